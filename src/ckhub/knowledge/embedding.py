"""Embedding entries that were stored without a vector (bulk imports), after the fact.

Imports store text first, so it is searchable by words at once; on two cores the embedder is
four fifths of the ingest time (docs/benchmarks.md). Vectors follow here in small batches, so a
search waiting for the embedder is held up by one short batch at most, and a run can stop after a
time budget, so the every-minute job never piles up behind itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from ckhub.knowledge.entry_vectors import EntryVectors, embed_entries, entry_texts, store_vectors
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry
from ckhub.knowledge.service import TaggingData, tag_from_examples
from ckhub.ml.embedders import Embedder
from ckhub.timeutil import utcnow

BATCH = 32
# One run per process at a time: a second would embed the same entries again.
_running = threading.Lock()


def _pending(model: str) -> Select[KnowledgeEntry]:
    has_vector = exists().where(
        EntryEmbedding.entry_id == KnowledgeEntry.id, EntryEmbedding.model == model
    )
    return select(KnowledgeEntry).where(KnowledgeEntry.deleted_at.is_(None), ~has_vector)


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
    """Embed waiting entries, oldest first, committing each batch; returns how many were done."""
    if not _running.acquire(blocking=False):
        return {"embedded": 0}
    try:
        return _embed(session, embedder, budget_seconds, progress)
    finally:
        _running.release()


def _embed(
    session: Session,
    embedder: Embedder,
    budget_seconds: float | None,
    progress: Callable[[int, int], None],
) -> dict[str, int]:
    total = count_pending(session, embedder.name)
    if not total:
        return {"embedded": 0}
    tagging = TaggingData(session, embedder)

    def arrived(entry: KnowledgeEntry, vectors: EntryVectors) -> None:
        tag_from_examples(entry, tagging, vectors.whole)
        entry.updated_at = utcnow()  # so every process's vector index picks it up

    done = embed_in_batches(
        session, embedder, _pending(embedder.name), total, arrived, progress, budget_seconds
    )
    return {"embedded": done}


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
    started = time.monotonic()
    done, last_id = 0, 0
    progress(0, total)
    while budget_seconds is None or time.monotonic() - started < budget_seconds:
        batch = session.scalars(
            query.where(KnowledgeEntry.id > last_id).order_by(KnowledgeEntry.id).limit(BATCH)
        ).all()
        if not batch:
            break
        for entry, vectors in zip(batch, embed_entries(embedder, entry_texts(batch)), strict=True):
            store_vectors(session, entry, embedder.name, vectors)
            then(entry, vectors)
        session.commit()
        done += len(batch)
        last_id = batch[-1].id
        progress(done, max(total, done))
    return done
