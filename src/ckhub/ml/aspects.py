"""Aspects: what a customer's feeling is about (电池, 客服响应, 导出按钮, battery life…).

A text is cut into clauses at punctuation and at contrast words ("屏幕很清晰，但是电池不耐用"
→ two clauses), since one clause usually carries one opinion about one thing. In each clause the
aspect candidates are noun phrases: for Chinese, runs of nouns from jieba's part-of-speech tags
(a two-character verb may lead: 导出按钮, and 客服响应 keeps its verb); for English, the noun
phrase that an opinion is stated about ("the battery life is…", "the app keeps…"). Each aspect
takes the feeling of its clause, scored by the caller's sentiment function.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import jieba
import jieba.posseg

from ckhub.ml.sentiment import CONTRAST_WORDS
from ckhub.text.filler_words import CHINESE_COURTESIES, CUSTOMER_REFERENCES

Scorer = Callable[[list[str]], list[float]]  # clauses → scores in −1 … 1

_CLAUSE_BREAK = re.compile(
    # Punctuation, but not the point inside a number (版本2.3, 1.5 hours) …
    r"(?:[，,。!！?？;；\n]|(?<!\d)\.|\.(?!\d))+"
    # … the numbers of a list ("1、屏幕好 2、电池差", "3) …", " 2. …") …
    r"|(?<![\d.])[(（]?\d{1,2}[、)）]|(?:^|(?<=\s))\d{1,2}[.．](?!\d)"
    # … and before a contrast.
    rf"|(?={CONTRAST_WORDS})|\s(?=but\b|however\b|though\b)",
    re.I,
)
_WORDS = re.compile(r"\w")  # a clause has words; a stray bracket or dash is none
# A list's or a quoted line's mark is no part of a clause.
_BULLET = re.compile(r"^(?:[-*>]+\s+|[•·]\s*)")
_STARTS_WITH_CONTRAST = re.compile(rf"^(?:{CONTRAST_WORDS}|but\b|however\b|though\b)", re.I)
_NOUNS = {"n", "nz", "ng", "vn", "an"}
_LEADING_VERB_OK = {"v", "vn"}
_NAME_TAGS = {"nr", "nrt", "ns", "nt"}
# Tokens that jieba sometimes tags as nouns but that say how, not what.
_NOT_ASPECT_START = tuple("太很非超特真挺好最更较蛮")
# Who is speaking in staff-written notes (客户反馈…, 对方提到…) is not what a note is about.
_GENERIC = CUSTOMER_REFERENCES | frozenset(
    "东西 问题 时候 感觉 地方 样子 方面 一点 有点 产品 商品 宝贝 朋友 大家 我们 自己 事情 "
    "时间 情况 原因 办法 什么 这个 那个 一次 第一次 之后 以后 以前 记录 中心 "
    # Verdicts, not things ("垃圾" is the feeling about something else), and the people a
    # purchase was for: seen as top "aspects" of the real online-shopping reviews.
    "垃圾 好评 差评 评价 建议 意见 五星 一星 "
    "妈妈 爸爸 老婆 老公 孩子 儿子 女儿 家人 同事 老人".split()
)
# Politeness, not things: it ends a noun run.
_COURTESY = CHINESE_COURTESIES
# Whom a greeting addresses is no aspect: "客服你好" greets the agent and says nothing of them.
_GREETINGS = frozenset("你好 您好".split())
# Reporting verbs end a noun run too: in sales notes and call transcripts "客户反馈导出按钮没反应"
# is about 导出按钮, and jieba's two-character verbs would otherwise join 客户反馈导出按钮.
_REPORTING = frozenset("提到 表示 反馈 反映 希望 要求 询问 抱怨 提出".split())
_EN_ASPECT = re.compile(
    r"\b(?:the|my|its|this|your|our|their)\s+((?:[a-z][a-z-]+\s){0,2}[a-z][a-z-]+?)\s+"
    r"(?:is|are|was|were|keeps|kept|has|have|had|feels|looks|works|worked|seems|isn't|aren't|"
    r"wasn't|doesn't|does|did|didn't|won't|can't|stopped|broke|fails|failed)\b",
    re.I,
)
_EN_STOP = frozenset("it this that one thing things way stuff lot bit".split())
MAX_ASPECT_CHARS = 8


@dataclass(frozen=True)
class Aspect:
    term: str  # as written (lower case for English)
    clause: str
    score: float  # −1 … 1, the clause's feeling


def starts_with_contrast(clause: str) -> bool:
    return bool(_STARTS_WITH_CONTRAST.match(clause))


def clauses(text: str) -> list[str]:
    parts = (_BULLET.sub("", part.strip()) for part in _CLAUSE_BREAK.split(text) if part)
    return [part for part in parts if _WORDS.search(part)]


_lock = threading.Lock()


@cache
def _tagger() -> jieba.posseg.POSTokenizer:
    """jieba's part-of-speech tagger on its own dictionary, loaded once, quietly."""
    with _lock:
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return jieba.posseg.POSTokenizer(tokenizer)


def _chinese_terms(clause: str) -> list[str]:
    terms: list[str] = []
    run: list[str] = []
    flags: list[str] = []
    for token in [*_tagger().cut(clause), None]:
        word, flag = (token.word, token.flag) if token is not None else ("", "x")
        joins = (
            flag in _NOUNS
            or (flag in _LEADING_VERB_OK and len(word) == 2)
            # jieba tags some product words as names (电池续航 → 电池/n 续航/nr): only after a noun
            or (flag in _NAME_TAGS and bool(run))
        )
        ends = word in _COURTESY or word in _REPORTING
        if joins and not word.startswith(_NOT_ASPECT_START) and not ends:
            run.append(word)
            flags.append(flag)
            continue
        if run and word in _GREETINGS:
            run, flags = [], []
        if run:
            # A trailing verb is not part of the thing ("客服响应" keeps it only after a noun).
            while flags and flags[-1] == "v" and len(run) == 1:
                run.pop()
                flags.pop()
            term = "".join(run)
            noun = any(f in _NOUNS for f in flags)
            if noun and 2 <= len(term) <= MAX_ASPECT_CHARS and term not in _GENERIC:
                terms.append(term)
            run, flags = [], []
    return terms


def _english_terms(clause: str) -> list[str]:
    found = []
    for match in _EN_ASPECT.finditer(clause):
        term = match.group(1).lower()
        if term not in _EN_STOP:
            found.append(term)
    return found


def aspect_terms(clause: str) -> list[str]:
    """Aspect candidates of one clause, in order, without repeats."""
    if re.search(r"[\u4e00-\u9fff]", clause):
        terms = _chinese_terms(clause) + _english_terms(clause)
    else:
        terms = _english_terms(clause)
    return list(dict.fromkeys(terms))


def extract_aspects(texts: Sequence[str], score: Scorer) -> list[list[Aspect]]:
    """The aspects of each text with the feeling of the clause each was found in."""
    found: list[list[tuple[str, str]]] = []
    wanted: list[str] = []
    for text in texts:
        pairs = [(term, part) for part in clauses(text) for term in aspect_terms(part)]
        found.append(pairs)
        wanted += [part for _, part in pairs]
    unique = list(dict.fromkeys(wanted))
    scores = dict(zip(unique, score(unique), strict=True)) if unique else {}
    return [[Aspect(term, part, scores[part]) for term, part in pairs] for pairs in found]
