"""Which of an entry's text each reading takes: search and topics read everything; the entry's
feeling, its sentences and its aspects are the customer's, so a transcript's are read from what
the customer said."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ckhub.knowledge.models import KnowledgeEntry
from ckhub.text.speakers import customer_words


def embedding_text(title: str, body: str) -> str:
    """What an entry's vector is computed from."""
    return f"{title}\n{body}".strip()


def customer_part(text: str, speakers: Iterable[str] = ()) -> str | None:
    """The customer's words when they are not simply the text: a transcript without the
    company's side (the agent's "好的，新的物流很快" is no customer's feeling about the delivery)
    and without speaker labels. None for everything else, and for a transcript where the
    customer says nothing (it is read whole)."""
    said = customer_words(text, speakers)
    return said if said.strip() and said != text else None


def speakers_named(extra: dict[str, Any] | None) -> Iterable[str]:
    """The speakers an entry's source named (a call's voices, a ticket's authors)."""
    speakers: Iterable[str] = (extra or {}).get("speakers") or ()
    return speakers


def customer_part_of(entry: KnowledgeEntry) -> str | None:
    """customer_part of an entry's text, with the speakers its source named."""
    return customer_part(embedding_text(entry.title, entry.body), speakers_named(entry.extra))


def customer_text(entry: KnowledgeEntry) -> str:
    """What an entry's feeling, sentences and aspects are read from."""
    said = customer_part_of(entry)
    return embedding_text(entry.title, entry.body) if said is None else said


def feeling_key(embedder_name: str) -> str:
    """The model key under which an entry's feeling vector is stored (the embedder's query
    vector of `customer_text`, ml/sentiment.py), beside the passage vector of its whole text
    from the same embedder (one entry_embeddings row each)."""
    return f"{embedder_name}:feeling"
