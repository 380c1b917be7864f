"""Text normalization applied to every entry before anything else looks at it."""

from __future__ import annotations

import html
import re

# Full-width letters, digits and the symbols of addresses and numbers become half-width, so
# "１３８…" and "ｉｎｆｏ＠…" are found (and redacted) like their ASCII forms.
# CJK punctuation (，。：；！？（）) is kept: it is how Chinese is written.
_HALF_WIDTH_SYMBOLS = "＠．－＿＋／＃％＆＝～"
_TO_HALF = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}  # digits
_TO_HALF.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})  # A-Z
_TO_HALF.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})  # a-z
_TO_HALF.update({ord(char): ord(char) - 0xFEE0 for char in _HALF_WIDTH_SYMBOLS})
_TO_HALF[0x3000] = ord(" ")  # ideographic space
# Zero-width and bidi-control characters hide text from people and from pattern matching.
_INVISIBLE = re.compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# A link runs over the characters a URL may hold, so it ends at Chinese text or punctuation.
_URL_CHARACTERS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_LINK = re.compile(rf"(?<![A-Za-z0-9])(?:https?://|www\.){_URL_CHARACTERS}+", re.IGNORECASE)


def normalize_text(text: str) -> str:
    """Half-width alphanumerics, no invisible or control characters, tidy whitespace."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = text.translate(_TO_HALF)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def model_text(text: str) -> str:
    """What the language models read of a text: HTML character references decoded (exports of
    web and social-media comments keep "&amp;") and links left out — a link's letters carry no
    meaning, and shortened ones (t.co/…) are random. Measured on crowd-labelled tweets: Apple
    0.888 → 0.901, airlines 0.921 → 0.922 (docs/benchmarks.md). A text that is nothing but a
    link is read as it is. The stored text is untouched: search still finds the link."""
    decoded = html.unescape(text)
    without_links = _SPACES.sub(" ", _LINK.sub("", decoded)).strip()
    return without_links or decoded
