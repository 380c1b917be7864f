"""Language detection for Chinese and English (the first-class languages) and "other".

A character census is enough for this question and costs microseconds: Chinese is recognised by
Han characters, English by Latin letters; mixed text ("这个app的export按钮") counts as Chinese
as soon as a meaningful part of it is Han.
"""

from __future__ import annotations

import re

HAN_CHARACTERS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # for a regex character class
_HAN = re.compile(f"[{HAN_CHARACTERS}]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

ZH, EN, OTHER = "zh", "en", "other"


def detect_language(text: str) -> str:
    han = len(_HAN.findall(text))
    if _KANA_HANGUL.search(text) and len(_KANA_HANGUL.findall(text)) >= han / 2:
        return OTHER
    latin_letters = sum(len(word) for word in _LATIN_WORD.findall(text))
    if han and han * 3 >= latin_letters * 0.5:  # one Han character carries ~ a word
        return ZH
    if latin_letters >= 2:
        return EN
    return ZH if han else OTHER


def chinese_share(text: str) -> float:
    """How much of a text is Chinese: Han characters among Han characters and Latin words (a
    character counted like a word, as above); 0 for a text with neither."""
    han = len(_HAN.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return han / (han + words) if han + words else 0.0
