"""Vector search over entry embeddings: a numpy matrix kept in step with the database.

The database is the source of truth; this index is a cache. Each search first asks the database
for the newest `updated_at` (an indexed max, microseconds) and, when entries changed since the last
look, loads just those rows. At 100k entries × 384 dimensions the matrix is ~150 MB; small
workspaces score every entry exactly (one matrix-vector product), large ones first rank a
four-times-smaller projection of it and score only the shortlist exactly (`projection.py`).

Permissions and filters are not reimplemented here: the best candidates are confirmed by the same
SQL conditions as every other query (`entry_conditions`), widening the candidate list until enough
survive or every entry has been considered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry
from ckhub.ml.embedders import Vectors
from ckhub.search.projection import Matrix, Projection

COMMIT_SKEW = timedelta(seconds=60)
# From this many entries a projected first pass picks a shortlist to score exactly: below it the
# exact product takes under 3 ms. The shortlist is 30× the candidates a search keeps (100); the
# exact best 100 it finds at 100k entries are in docs/benchmarks.md (`vector_recall`).
APPROXIMATE_FROM = 20_000
SHORTLIST = 3_000


def _one_blas_thread() -> None:
    """Run numpy's matrix products on one thread (OpenBLAS's setting is process-wide).

    A query's scoring (100k × 384) runs beside the word search and the query embedding; with
    OpenBLAS's default of a thread per core the three fought over two cores and each took about
    twice as long (word search 15 → 30 ms p50). One BLAS thread: ranking at 100k 45 → 34 ms
    p50, 66 → 47 ms p95 (docs/benchmarks.md). Nothing else in ckhub multiplies large matrices.
    """
    threadpool_limits(limits=1, user_api="blas")


class VectorIndex:
    def __init__(
        self,
        model: str,
        dim: int,
        approximate_from: int = APPROXIMATE_FROM,
        shortlist: int = SHORTLIST,
    ) -> None:
        self.model = model
        self.dim = dim
        self.approximate_from = approximate_from
        self.shortlist = shortlist
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        self._projection: Projection | None = None
        self._projected: Matrix | None = None
        self._projected_size = 0  # how many entries the projection was fitted on
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
        self._project(keep, added)

    def _project(self, keep: list[int], added: Matrix) -> None:
        """Keep the projected copy in step; refit when the workspace has doubled since the fit."""
        size = len(self._ids)
        if size < self.approximate_from:
            self._projection, self._projected, self._projected_size = None, None, 0
        elif (
            self._projection is None or self._projected is None or size >= 2 * self._projected_size
        ):
            self._projection = Projection.fit(self._vectors)
            self._projected = self._projection.rows(self._vectors)
            self._projected_size = size
        else:
            self._projected = np.vstack([self._projected[keep], self._projection.rows(added)])

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
        """Indexed entries' exact similarity to the query — all of them, or in a large workspace
        the shortlist its projection ranks best (the rest on demand). Numpy only, no database,
        so it runs in another thread while the database works (numpy releases the GIL)."""
        with self._lock:
            vectors, ids = self._vectors, self._ids
            projection, projected = self._projection, self._projected

        def everything() -> Scores:
            return Scores(ids, vectors @ query_vector if len(ids) else np.zeros(0, np.float32))

        if projection is None or projected is None or len(ids) <= self.shortlist:
            return everything()
        rough = projected @ projection.query(query_vector)
        shortlist = np.argpartition(-rough, self.shortlist - 1)[: self.shortlist]
        return Scores(ids[shortlist], vectors[shortlist] @ query_vector, everything)

    def confirm(
        self, session: Session, scored: Scores, conditions: ColumnElement[bool], limit: int
    ) -> list[tuple[int, float]]:
        """The best scored entries that the conditions allow, best first."""
        ids, scores = scored.ids, scored.values
        wanted, window, start = limit, max(limit * 4, 100), 0
        results: list[tuple[int, float]] = []
        considered: set[int] = set()
        while len(results) < wanted:
            if start >= len(scores):
                if scored.rest is None:
                    break
                # Narrow filters left too few in the shortlist: score every entry exactly.
                scored = scored.rest()
                ids, scores, start = scored.ids, scored.values, 0
                continue
            chunk = [
                i for i in _best(scores, start + window)[start:] if int(ids[i]) not in considered
            ]
            candidate_ids = [int(ids[i]) for i in chunk]
            considered.update(candidate_ids)
            allowed = (
                set(
                    session.scalars(
                        select(KnowledgeEntry.id).where(
                            KnowledgeEntry.id.in_(candidate_ids), conditions
                        )
                    )
                )
                if candidate_ids
                else set()
            )
            results.extend((int(ids[i]), float(scores[i])) for i in chunk if int(ids[i]) in allowed)
            start += window
            window *= 4  # few survived: the filters are narrow, look further at once
        results.sort(key=lambda pair: -pair[1])
        return results[:wanted]


@dataclass(frozen=True)
class Scores:
    """Exact similarities of some entries; `rest` scores every entry when they are a shortlist."""

    ids: npt.NDArray[np.int64]
    values: npt.NDArray[np.float32]
    rest: Callable[[], Scores] | None = None


def _best(scores: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.intp]:
    """Positions of the `count` highest scores, best first, without sorting all of them
    (a full sort of 100k scores costs more than the matrix product)."""
    if count >= len(scores):
        return np.argsort(-scores)
    top = np.argpartition(-scores, count - 1)[:count]
    return top[np.argsort(-scores[top])]
