"""Article Markdown to safe HTML.

Raw HTML in the source is shown as text, never passed through, and markdown-it refuses
`javascript:`, `vbscript:`, `file:` and non-image `data:` links, so an article cannot carry script
into a reader's page (the strict CSP is a second wall).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKUP = re.compile(r"[#*_`>\[\]()!|~-]+")


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(text: str) -> Markup:
    return Markup(_parser().render(text))  # noqa: S704 - markdown-it escaped every input


def plain_text(text: str, limit: int = 160) -> str:
    """The text without Markdown syntax, shortened: for meta descriptions and snippets."""
    flat = " ".join(_MARKUP.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
