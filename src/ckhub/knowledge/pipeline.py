"""What happens to every entry's text before it is stored: pure functions, no database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ckhub.text.language import detect_language
from ckhub.text.normalize import normalize_text
from ckhub.text.redact import redact
from ckhub.text.segment import segmented

MAX_TITLE = 500
MAX_BODY = 100_000  # characters; a longer body is cut and the cut is recorded


@dataclass
class PreparedText:
    title: str  # redacted
    body: str  # redacted
    original_body: str | None  # the normalized text, only when something was redacted
    redactions: dict[str, int]
    language: str
    search_title: str
    search_text: str
    content_hash: str
    truncated: bool = False
    notes: list[str] = field(default_factory=list)


def prepare_text(title: str, body: str, language: str | None = None) -> PreparedText:
    """Normalize, redact, detect the language and segment an entry's title and body."""
    clean_title = normalize_text(title)[:MAX_TITLE]
    clean_body = normalize_text(body)
    truncated = len(clean_body) > MAX_BODY
    clean_body = clean_body[:MAX_BODY]
    # The hash is of the text as received, so an unchanged re-import is recognised as such.
    content_hash = hashlib.sha256(f"{clean_title}\n{clean_body}".encode()).hexdigest()
    redacted_title, redacted_body = redact(clean_title), redact(clean_body)
    counts = redacted_title.counts + redacted_body.counts
    return PreparedText(
        title=redacted_title.text,
        body=redacted_body.text,
        original_body=clean_body if redacted_body.found else None,
        redactions=dict(counts),
        language=language or detect_language(f"{clean_title}\n{clean_body}"),
        search_title=segmented(redacted_title.text),
        search_text=segmented(redacted_body.text),
        content_hash=content_hash,
        truncated=truncated,
    )
