"""Cutting an article into passages: what search matches and what the answer bot quotes.

Passage 0 is the title with the keywords (a question people ask in their own words, matched
question-to-question); passage 1 the whole article (title and text: what it is about as a
whole); then the body in sections (split at Markdown headings) of at most `MAX_CHARS`, cut
between paragraphs, each remembering the heading it is under — those are what the bot quotes.
Measured on CovidFAQ (docs/benchmarks.md): title plus whole-article similarity ranks better than
either alone or than the best section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 600
TITLE, DOCUMENT = 0, 1  # positions of the two passages that are not quoted
FIRST_SECTION = 2
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Passage:
    position: int
    heading: str
    text: str


def split_passages(title: str, body: str, keywords: str = "") -> list[Passage]:
    passages = [
        Passage(TITLE, "", f"{title}\n{keywords}".strip()),
        Passage(DOCUMENT, "", f"{title}\n{body}".strip()),
    ]
    heading = ""
    paragraph_lines: list[str] = []
    chunks: list[tuple[str, str]] = []  # (heading, paragraph)

    def close_paragraph() -> None:
        if paragraph_lines:
            chunks.append((heading, "\n".join(paragraph_lines).strip()))
            paragraph_lines.clear()

    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            close_paragraph()
            heading = match.group(1)
        elif line.strip():
            paragraph_lines.append(line)
        else:
            close_paragraph()
    close_paragraph()

    current_heading, current = "", ""
    for chunk_heading, paragraph in chunks:
        joined = f"{current}\n\n{paragraph}" if current else paragraph
        if current and (chunk_heading != current_heading or len(joined) > MAX_CHARS):
            passages.append(Passage(len(passages), current_heading, current))
            current, current_heading = paragraph, chunk_heading
        else:
            current, current_heading = joined, chunk_heading
        while len(current) > MAX_CHARS:  # one very long paragraph: cut it
            passages.append(Passage(len(passages), current_heading, current[:MAX_CHARS]))
            current = current[MAX_CHARS:]
    if current:
        passages.append(Passage(len(passages), current_heading, current))
    return passages
