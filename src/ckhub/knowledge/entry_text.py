"""Which of an entry's text each reading takes: search, topics and the entry's feeling (from
its stored vector) read everything; its sentences and aspects are the customer's, so a
transcript's are read from what the customer said."""

from __future__ import annotations

from ckhub.knowledge.models import KnowledgeEntry
from ckhub.text.speakers import customer_words


def embedding_text(title: str, body: str) -> str:
    """What an entry's vector is computed from."""
    return f"{title}\n{body}".strip()


def customer_text(entry: KnowledgeEntry) -> str:
    """What an entry's sentences and aspects are read from: its text without the company's side
    of a transcript (the agent's "好的，新的物流很快" is no customer's feeling about the
    delivery). A transcript where the customer says nothing is read whole."""
    whole = embedding_text(entry.title, entry.body)
    said = customer_words(whole, (entry.extra or {}).get("speakers") or ())
    return said if said.strip() else whole
