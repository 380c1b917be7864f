"""Which of an entry's text each reading takes: search and topics read everything; the
entry's feeling is the customer's, so a transcript's is read from what the customer said."""

from __future__ import annotations

from ckhub.knowledge.models import KnowledgeEntry
from ckhub.text.speakers import customer_words


def embedding_text(title: str, body: str) -> str:
    """What an entry's vector is computed from."""
    return f"{title}\n{body}".strip()


def feeling_text(entry: KnowledgeEntry) -> str:
    """What an entry's feeling and aspects are read from: its text without the company's side
    of a transcript (the agent's "很高兴为您服务" would make an angry call read neutral). A
    transcript where the customer says nothing is read whole."""
    whole = embedding_text(entry.title, entry.body)
    said = customer_words(whole, (entry.extra or {}).get("speakers") or ())
    return said if said.strip() else whole
