"""An entry's vectors and the feeling read from them.

Every entry has a passage vector of its whole text: search, topics and tagging read it. It also
has a feeling vector — the same embedder's query vector of the text its feeling is read from
(entry_text.customer_text: a transcript's customer's words, since an agent's courtesies
("很高兴为您服务", "thank you for calling") otherwise soften every angry call; the whole text
otherwise) — stored under its own model key: the sentiment model reads query vectors
(ml/sentiment.py). Both are computed when the entry is embedded, once: scoring again (after
retraining) reads them back and embeds nothing. Both go when the text changes (service._store
deletes every vector of the entry).

Where the text its feeling is read from is mostly English, the entry also keeps that text's
all-mpnet-base-v2 vector (ml/english_reader.py): the English reader reads English feeling from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Exists, delete, exists, select
from sqlalchemy.orm import Session

from ckhub.knowledge.entry_text import (
    customer_part,
    customer_part_of,
    embedding_text,
    feeling_key,
    speakers_named,
)
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry, SentimentCorrection
from ckhub.knowledge.sentiment_models import corrected, current_sentiment_model
from ckhub.ml.embedders import Embedder
from ckhub.ml.english_reader import FEELING_KEY, english_vectors
from ckhub.ml.sentiment import feeling_vectors, shipped_sentiment_model


@dataclass(frozen=True)
class EntryVectors:
    whole: np.ndarray  # the passage vector of the whole text
    # The query vector of the text the feeling is read from; None where the embedder has no
    # sentiment model to read it.
    feeling: np.ndarray | None = None
    # The customer's words the feeling is read from, for a transcript; None: the whole text.
    said: str | None = None
    # The mpnet vector of the text the feeling is read from, where the English reader reads it.
    english: np.ndarray | None = None


def embed_entries(
    embedder: Embedder, texts: Sequence[tuple[str, Iterable[str]]]
) -> list[EntryVectors]:
    """The vectors of entries given as (embedding text, speakers named by the source)."""
    wholes = embedder.embed_passages([text for text, _ in texts])
    model = shipped_sentiment_model(embedder.name)
    if model is None:
        return [EntryVectors(whole) for whole in wholes]
    parts = [customer_part(text, speakers) for text, speakers in texts]
    read = [text if part is None else part for (text, _), part in zip(texts, parts, strict=True)]
    feelings = feeling_vectors(embedder, read)
    # The mpnet pass only where the shipped model has an English reader to read its vectors.
    english = english_vectors(read) if model.english is not None else [None] * len(read)
    return [EntryVectors(wholes[i], feelings[i], part, english[i]) for i, part in enumerate(parts)]


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
    _store_feeling(session, entry, embedder_name, vectors.said, vectors.feeling, vectors.english)


def feel_entries(session: Session, embedder: Embedder, entries: Sequence[KnowledgeEntry]) -> None:
    """Give entries embedded before ckhub kept feeling vectors theirs, and read their feeling
    from it (with the mpnet vector they have, if any: those are not computed here)."""
    said = [customer_part_of(entry) for entry in entries]
    read = [
        words or embedding_text(entry.title, entry.body)
        for entry, words in zip(entries, said, strict=True)
    ]
    english = dict(
        session.execute(
            select(EntryEmbedding.entry_id, EntryEmbedding.vector).where(
                EntryEmbedding.entry_id.in_([entry.id for entry in entries]),
                EntryEmbedding.model == FEELING_KEY,
            )
        ).all()
    )
    for entry, words, feeling in zip(entries, said, feeling_vectors(embedder, read), strict=True):
        stored = english.get(entry.id)
        mpnet = None if stored is None else np.frombuffer(stored, np.float32)
        _store_feeling(session, entry, embedder.name, words, feeling, mpnet)


def _store_feeling(
    session: Session,
    entry: KnowledgeEntry,
    embedder_name: str,
    said: str | None,
    feeling: np.ndarray | None,
    english: np.ndarray | None,
) -> None:
    """Keep the vectors the feeling is read from (`said`: the customer's words, or None for the
    whole text), and read it."""
    _store_or_forget(session, entry.id, feeling_key(embedder_name), feeling)
    _store_or_forget(session, entry.id, FEELING_KEY, english)
    model = current_sentiment_model(session, embedder_name)
    if model is not None and feeling is not None:
        whole = embedding_text(entry.title, entry.body)
        correction = session.get(SentimentCorrection, entry.id) if entry.id else None
        found = corrected(model.of_text(said or whole, feeling, english), correction, whole)
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


def has_vector(model: str) -> Exists:
    """Whether an entry has a vector under this model key (a correlated EXISTS)."""
    return exists().where(
        EntryEmbedding.entry_id == KnowledgeEntry.id, EntryEmbedding.model == model
    )


def store_embedding(session: Session, entry_id: int, model: str, vector: np.ndarray) -> None:
    session.merge(
        EntryEmbedding(
            entry_id=entry_id, model=model, vector=np.asarray(vector, np.float32).tobytes()
        )
    )
