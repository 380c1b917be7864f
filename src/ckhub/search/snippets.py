"""Highlighted snippets: the part of an entry where the query's words are, marked up safely."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ckhub.text.segment import fold

SNIPPET_CHARS = 160


def snippet(body: str, tokens: list[str], width: int = SNIPPET_CHARS) -> Markup:
    """An HTML-escaped window of `body` around the first query word, words in <mark>."""
    words = sorted({t for t in tokens if t}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(word) for word in words)) if words else None
    # Query words are folded (simplified, lower case). Most texts match them lower-cased alone;
    # converting traditional characters (OpenCC, ~0.15 ms a text) only when that finds nothing.
    folded = body.lower()
    first = pattern.search(folded) if pattern and len(folded) == len(body) else None
    if first is None:
        folded = fold(body)
        if len(folded) != len(body):  # folding changed offsets: show the start, unmarked
            return escape(_cut(body, 0, width))
        first = pattern.search(folded) if pattern else None
    start = max(0, first.start() - width // 3) if first else 0
    window_end = min(len(body), start + width)
    # Every piece is escaped (escape() and Markup.format escape their input).
    parts: list[Markup] = [escape("…" if start > 0 else "")]
    cursor = start
    if pattern:
        for match in pattern.finditer(folded, start, window_end):
            parts.append(escape(body[cursor : match.start()]))
            parts.append(Markup("<mark>{}</mark>").format(body[match.start() : match.end()]))
            cursor = match.end()
    parts.append(escape(body[cursor:window_end]))
    parts.append(escape("…" if window_end < len(body) else ""))
    return Markup("").join(parts)


def _cut(text: str, start: int, width: int) -> str:
    return text[start : start + width] + ("…" if len(text) > start + width else "")
