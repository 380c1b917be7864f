"""An entry's vectors and the feeling read from them.

Every entry has a vector of its whole text: search, topics and tagging read it. A transcript
also has one of the customer's words alone (entry_text.customer_part), stored under its own
model key: the entry's feeling is read from that, since an agent's courtesies ("很高兴为您服务",
"thank you for calling") otherwise soften every angry call. Both are computed in the same
embedder call, once, when the entry is embedded: scoring again (after retraining) reads them
back and embeds nothing. Both go when the text changes (service._store deletes every vector of
the entry).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete
from sqlalchemy.orm import Session

from ckhub.knowledge.entry_text import (
    customer_part,
    customer_words_key,
    embedding_text,
    speakers_named,
)
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry, SentimentCorrection
from ckhub.knowledge.sentiment_models import corrected, current_sentiment_model
from ckhub.ml.embedders import Embedder


@dataclass(frozen=True)
class EntryVectors:
    whole: np.ndarray
    # The customer's words and their vector, for a transcript; None otherwise.
    customer: tuple[str, np.ndarray] | None = None

    @property
    def feeling(self) -> tuple[str | None, np.ndarray]:
        """(the customer's words, or None for the whole text; the vector to read it from)."""
        return (None, self.whole) if self.customer is None else self.customer


def embed_entries(
    embedder: Embedder, texts: Sequence[tuple[str, Iterable[str]]]
) -> list[EntryVectors]:
    """The vectors of entries given as (embedding text, speakers named by the source)."""
    parts = [customer_part(text, speakers) for text, speakers in texts]
    asked = [part for part in parts if part is not None]
    vectors = embedder.embed_passages([text for text, _ in texts] + asked)
    customers = iter(vectors[len(texts) :])
    return [
        EntryVectors(vectors[i])
        if part is None
        else EntryVectors(vectors[i], (part, next(customers)))
        for i, part in enumerate(parts)
    ]


def entry_texts(entries: Iterable[KnowledgeEntry]) -> list[tuple[str, Iterable[str]]]:
    """What embed_entries reads of stored entries."""
    return [
        (embedding_text(entry.title, entry.body), speakers_named(entry.extra)) for entry in entries
    ]


def store_vectors(
    session: Session, entry: KnowledgeEntry, embedder_name: str, vectors: EntryVectors
) -> None:
    """Keep the entry's vectors and what follows from them at once: its feeling."""
    store_embedding(session, entry.id, embedder_name, vectors.whole)
    customer_key = customer_words_key(embedder_name)
    if vectors.customer is None:
        session.execute(
            delete(EntryEmbedding).where(
                EntryEmbedding.entry_id == entry.id, EntryEmbedding.model == customer_key
            )
        )
    else:
        store_embedding(session, entry.id, customer_key, vectors.customer[1])
    model = current_sentiment_model(session, embedder_name)
    if model is not None:
        whole = embedding_text(entry.title, entry.body)
        said, vector = vectors.feeling
        correction = session.get(SentimentCorrection, entry.id) if entry.id else None
        found = corrected(model.of_text(said or whole, vector), correction, whole)
        entry.sentiment, entry.sentiment_score = found.label, found.score


def store_embedding(session: Session, entry_id: int, model: str, vector: np.ndarray) -> None:
    session.merge(
        EntryEmbedding(
            entry_id=entry_id, model=model, vector=np.asarray(vector, np.float32).tobytes()
        )
    )
