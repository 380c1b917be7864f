"""Embedding entries that were stored without a vector (bulk imports), after the fact.

Imports store text first, so it is searchable by words at once; on two cores the embedder is
four fifths of the ingest time (docs/benchmarks.md). Vectors follow here in small batches, so a
search waiting for the embedder is held up by one short batch at most, and a run can stop after a
time budget, so the every-minute job never piles up behind itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ckhub.knowledge.entry_text import feeling_key
from ckhub.knowledge.entry_vectors import (
    EntryVectors,
    embed_entries,
    entry_texts,
    feel_entries,
    has_vector,
    store_vectors,
)
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.knowledge.service import TaggingData, tag_from_examples
from ckhub.ml.embedders import Embedder
from ckhub.ml.sentiment import shipped_sentiment_model
from ckhub.timeutil import utcnow

BATCH = 32
# One run per process at a time: a second would embed the same entries again.
_running = threading.Lock()


def _pending(model: str) -> Select[KnowledgeEntry]:
    return select(KnowledgeEntry).where(KnowledgeEntry.deleted_at.is_(None), ~has_vector(model))


def _unfelt(model: str) -> Select[KnowledgeEntry]:
    """Entries with a vector but no feeling vector: embedded before ckhub kept those."""
    return select(KnowledgeEntry).where(
        KnowledgeEntry.deleted_at.is_(None),
        has_vector(model),
        ~has_vector(feeling_key(model)),
    )


def count_pending(session: Session, model: str) -> int:
    """Entries still waiting for a vector from `model`."""
    subquery = _pending(model).with_only_columns(KnowledgeEntry.id).subquery()
    return session.scalar(select(func.count()).select_from(subquery)) or 0


def embed_pending(
    session: Session,
    embedder: Embedder,
    budget_seconds: float | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> dict[str, int]:
    """Embed waiting entries, oldest first, committing each batch, then give entries embedded
    before ckhub kept feeling vectors theirs in the time left; returns how many were done."""
    if not _running.acquire(blocking=False):
        return {"embedded": 0, "feeling_vectors": 0}
    try:
        started = time.monotonic()
        embedded = _embed(session, embedder, budget_seconds, progress)
        left = None if budget_seconds is None else budget_seconds - (time.monotonic() - started)
        return {"embedded": embedded, "feeling_vectors": _feel(session, embedder, left)}
    finally:
        _running.release()


def _embed(
    session: Session,
    embedder: Embedder,
    budget_seconds: float | None,
    progress: Callable[[int, int], None],
) -> int:
    total = count_pending(session, embedder.name)
    if not total:
        return 0
    tagging = TaggingData(session, embedder)

    def arrived(entry: KnowledgeEntry, vectors: EntryVectors) -> None:
        tag_from_examples(entry, tagging, vectors.whole)
        entry.updated_at = utcnow()  # so every process's vector index picks it up

    return embed_in_batches(
        session, embedder, _pending(embedder.name), total, arrived, progress, budget_seconds
    )


def _feel(session: Session, embedder: Embedder, budget_seconds: float | None) -> int:
    if shipped_sentiment_model(embedder.name) is None or (
        budget_seconds is not None and budget_seconds <= 0
    ):
        return 0
    query = _unfelt(embedder.name)
    return _in_batches(
        session,
        query,
        lambda batch: feel_entries(session, embedder, batch),
        budget_seconds=budget_seconds,
    )


def embed_in_batches(
    session: Session,
    embedder: Embedder,
    query: Select[KnowledgeEntry],
    total: int,
    then: Callable[[KnowledgeEntry, EntryVectors], None],
    progress: Callable[[int, int], None],
    budget_seconds: float | None = None,
) -> int:
    """Embed and store the entries `query` selects, in id order, a batch per transaction;
    `then` sees each entry with its vectors before the batch commits. Returns how many."""

    def embed(batch: Sequence[KnowledgeEntry]) -> None:
        for entry, vectors in zip(batch, embed_entries(embedder, entry_texts(batch)), strict=True):
            store_vectors(session, entry, embedder.name, vectors)
            then(entry, vectors)

    return _in_batches(session, query, embed, total, progress, budget_seconds)


def _in_batches(
    session: Session,
    query: Select[KnowledgeEntry],
    work: Callable[[Sequence[KnowledgeEntry]], None],
    total: int = 0,
    progress: Callable[[int, int], None] = lambda done, total: None,
    budget_seconds: float | None = None,
) -> int:
    """Run `work` on the entries `query` selects, in id order, a batch per transaction, until
    none are left or the budget is spent. Returns how many."""
    started = time.monotonic()
    done, last_id = 0, 0
    progress(0, total)
    while budget_seconds is None or time.monotonic() - started < budget_seconds:
        batch = session.scalars(
            query.where(KnowledgeEntry.id > last_id).order_by(KnowledgeEntry.id).limit(BATCH)
        ).all()
        if not batch:
            break
        work(batch)
        session.commit()
        done += len(batch)
        last_id = batch[-1].id
        progress(done, max(total, done))
    return done
