"""Vector search over entry embeddings: a numpy matrix kept in step with the database.

The database is the source of truth; this index is a cache. Each search first asks the database
for the newest `updated_at` (an indexed max, microseconds) and, when entries changed since the last
look, loads just those rows. At 100k entries × 384 dimensions the matrix is ~150 MB and one query
is a single matrix-vector product (a few milliseconds on two cores).

Permissions and filters are not reimplemented here: the best candidates are confirmed by the same
SQL conditions as every other query (`entry_conditions`), widening the candidate list until enough
survive or every entry has been considered.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry
from ckhub.ml.embedders import Vectors

COMMIT_SKEW = timedelta(seconds=60)


def _one_blas_thread() -> None:
    """Run numpy's matrix products on one thread (OpenBLAS's setting is process-wide).

    A query's scoring (100k × 384) runs beside the word search and the query embedding; with
    OpenBLAS's default of a thread per core the three fought over two cores and each took about
    twice as long (word search 15 → 30 ms p50). One BLAS thread: ranking at 100k 45 → 34 ms
    p50, 66 → 47 ms p95 (docs/benchmarks.md). Nothing else in ckhub multiplies large matrices.
    """
    threadpool_limits(limits=1, user_api="blas")


class VectorIndex:
    def __init__(self, model: str, dim: int) -> None:
        self.model = model
        self.dim = dim
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        self._position: dict[int, int] = {}
        self._seen_until: datetime | None = None
        self._lock = threading.Lock()
        _one_blas_thread()

    def __len__(self) -> int:
        return len(self._position)

    def refresh(self, session: Session) -> None:
        """Load entries changed since the last refresh (all of them the first time)."""
        newest = session.scalar(select(func.max(KnowledgeEntry.updated_at)))
        if newest is None or newest == self._seen_until:
            return
        with self._lock:
            query = (
                select(KnowledgeEntry.id, KnowledgeEntry.deleted_at, EntryEmbedding.vector)
                .outerjoin(
                    EntryEmbedding,
                    (EntryEmbedding.entry_id == KnowledgeEntry.id)
                    & (EntryEmbedding.model == self.model),
                )
                .where(KnowledgeEntry.updated_at <= newest)
            )
            if self._seen_until is not None:
                # Transactions can commit out of order: look a little further back than needed.
                query = query.where(KnowledgeEntry.updated_at > self._seen_until - COMMIT_SKEW)
            self._apply(session.execute(query).all())
            self._seen_until = newest

    def _apply(self, rows: Sequence[Row[int, datetime | None, bytes]]) -> None:
        removed = {int(entry_id) for entry_id, deleted, vector in rows if deleted or vector is None}
        fresh = {
            int(entry_id): np.frombuffer(vector, dtype=np.float32)
            for entry_id, deleted, vector in rows
            if not deleted and vector is not None
        }
        keep = [
            position
            for entry_id, position in self._position.items()
            if entry_id not in removed and entry_id not in fresh
        ]
        keep.sort()
        ids = np.concatenate(
            [self._ids[keep], np.fromiter(fresh, dtype=np.int64, count=len(fresh))]
        )
        added = np.vstack(list(fresh.values())) if fresh else np.zeros((0, self.dim), np.float32)
        self._vectors = np.ascontiguousarray(np.vstack([self._vectors[keep], added]))
        self._ids = ids
        self._position = {int(entry_id): index for index, entry_id in enumerate(ids)}

    def ranking(
        self,
        session: Session,
        query_vector: Vectors,
        conditions: ColumnElement[bool],
        limit: int,
    ) -> list[tuple[int, float]]:
        """(entry id, cosine similarity) best first, among entries the conditions allow."""
        self.refresh(session)
        return self.confirm(session, self.scores(query_vector), conditions, limit)

    def scores(self, query_vector: Vectors) -> Scores:
        """Every indexed entry's similarity to the query: numpy only, no database, so it can
        run in another thread while the database works (numpy releases the GIL)."""
        with self._lock:
            vectors, ids = self._vectors, self._ids
        return Scores(ids, vectors @ query_vector if len(ids) else np.zeros(0, np.float32))

    def confirm(
        self, session: Session, scored: Scores, conditions: ColumnElement[bool], limit: int
    ) -> list[tuple[int, float]]:
        """The best scored entries that the conditions allow, best first."""
        ids, scores = scored.ids, scored.values
        wanted, window, start = limit, max(limit * 4, 100), 0
        results: list[tuple[int, float]] = []
        while start < len(scores) and len(results) < wanted:
            chunk = _best(scores, start + window)[start:]
            candidate_ids = [int(ids[i]) for i in chunk]
            allowed = set(
                session.scalars(
                    select(KnowledgeEntry.id).where(
                        KnowledgeEntry.id.in_(candidate_ids), conditions
                    )
                )
            )
            results.extend((int(ids[i]), float(scores[i])) for i in chunk if int(ids[i]) in allowed)
            start += window
            window *= 4  # few survived: the filters are narrow, look further at once
        return results[:wanted]


@dataclass(frozen=True)
class Scores:
    ids: npt.NDArray[np.int64]
    values: npt.NDArray[np.float32]


def _best(scores: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.intp]:
    """Positions of the `count` highest scores, best first, without sorting all of them
    (a full sort of 100k scores costs more than the matrix product)."""
    if count >= len(scores):
        return np.argsort(-scores)
    top = np.argpartition(-scores, count - 1)[:count]
    return top[np.argsort(-scores[top])]
