"""Segmentation for search: Chinese by jieba, other scripts by lower-cased word tokens.

Text is folded first (Traditional → Simplified with OpenCC, lower case), so a query in either
script finds text in the other. OpenCC's `tw2sp` also maps Taiwan vocabulary to mainland usage
(匯出 → 导出, 軟體 → 软件, 滑鼠 → 鼠标), which character conversion alone would miss.

Documents are segmented with jieba's search mode, which adds the
shorter words inside long ones (中华人民共和国 → 中华, 人民, 共和国 …) for recall; queries use its
precise mode, whose words are therefore always among a document's tokens.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache

import jieba
import opencc

# Latin runs are letters and digits only: the full-text tokenizers split on anything else.
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_lock = threading.Lock()

# Words so frequent that they say nothing about what an entry is about.
STOPWORDS = frozenset(
    "的 了 是 我 你 他 她 它 们 吗 呢 啊 吧 呀 哦 和 与 及 在 也 都 就 而 或 这 那 有 被 把 给 让 "
    "着 过 个 对 很 还 又 但 并 之 等 么 什么 怎么 我们 你们 他们 一个 没有 可以 "
    "a an the is are was were be been to of and or in on at for it its this that with as by "
    "from i you he she we they me my our your not no do does did so if but".split()
)


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


@cache
def _jieba() -> jieba.Tokenizer:
    with _lock:
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return tokenizer


def fold(text: str) -> str:
    """Simplified Chinese, lower case: the form that search compares."""
    folded: str = _converter().convert(text)
    return folded.lower()


def _tokens(text: str, search_mode: bool) -> list[str]:
    tokenizer = _jieba()
    tokens: list[str] = []
    for run in _RUNS.findall(fold(text)):
        if _HAN_RUN.match(run):
            words = tokenizer.cut_for_search(run) if search_mode else tokenizer.cut(run)
            tokens.extend(word for word in words if word not in STOPWORDS)
        elif run not in STOPWORDS:
            tokens.append(run)
    return tokens


def index_tokens(text: str) -> list[str]:
    """Tokens to index a document by (jieba search mode)."""
    return _tokens(text, search_mode=True)


def query_tokens(text: str) -> list[str]:
    """Tokens of a search query (jieba precise mode), duplicates removed, order kept."""
    return list(dict.fromkeys(_tokens(text, search_mode=False)))


def segmented(text: str) -> str:
    """The space-joined tokens stored in an entry's search column."""
    return " ".join(index_tokens(text))
