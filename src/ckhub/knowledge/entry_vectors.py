"""An entry's vectors and the feeling read from them.

Every entry has a vector of its whole text: search, topics and tagging read it. A transcript
also has one of the customer's words alone (entry_text.customer_part), stored under its own
model key: the entry's feeling is read from that, since an agent's courtesies ("很高兴为您服务",
"thank you for calling") otherwise soften every angry call. Both are computed in the same
embedder call, once, when the entry is embedded: scoring again (after retraining) reads them
back and embeds nothing. Both go when the text changes (service._store deletes every vector of
the entry).

Where the text its feeling is read from is mostly English, the entry also keeps that text's
all-mpnet-base-v2 vector (ml/english_reader.py): the English reader reads English feeling from it.
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
from ckhub.ml.english_reader import FEELING_KEY, english_vectors
from ckhub.ml.sentiment import shipped_sentiment_model


@dataclass(frozen=True)
class EntryVectors:
    whole: np.ndarray
    # The customer's words and their vector, for a transcript; None otherwise.
    customer: tuple[str, np.ndarray] | None = None
    # The mpnet vector of the text the feeling is read from, where the English reader reads it.
    english: np.ndarray | None = None

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
    feeling = [text if part is None else part for (text, _), part in zip(texts, parts, strict=True)]
    english = _english_vectors(embedder, feeling)
    return [
        EntryVectors(vectors[i], None if part is None else (part, next(customers)), english[i])
        for i, part in enumerate(parts)
    ]


def _english_vectors(embedder: Embedder, texts: list[str]) -> list[np.ndarray | None]:
    """The mpnet vectors of the texts the English reader reads, if this embedder's shipped
    model has one (None for every text otherwise: no mpnet pass)."""
    model = shipped_sentiment_model(embedder.name)
    if model is None or model.english is None:
        return [None] * len(texts)
    return english_vectors(texts)


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
    customer_vector = None if vectors.customer is None else vectors.customer[1]
    _store_or_forget(session, entry.id, customer_words_key(embedder_name), customer_vector)
    _store_or_forget(session, entry.id, FEELING_KEY, vectors.english)
    model = current_sentiment_model(session, embedder_name)
    if model is not None:
        whole = embedding_text(entry.title, entry.body)
        said, vector = vectors.feeling
        correction = session.get(SentimentCorrection, entry.id) if entry.id else None
        found = corrected(model.of_text(said or whole, vector, vectors.english), correction, whole)
        entry.sentiment, entry.sentiment_score = found.label, found.score


def _store_or_forget(
    session: Session, entry_id: int, model: str, vector: np.ndarray | None
) -> None:
    """Keep the vector under that model key, or remove an older one when there is none now."""
    if vector is not None:
        store_embedding(session, entry_id, model, vector)
        return
    session.execute(
        delete(EntryEmbedding).where(
            EntryEmbedding.entry_id == entry_id, EntryEmbedding.model == model
        )
    )


def store_embedding(session: Session, entry_id: int, model: str, vector: np.ndarray) -> None:
    session.merge(
        EntryEmbedding(
            entry_id=entry_id, model=model, vector=np.asarray(vector, np.float32).tobytes()
        )
    )
