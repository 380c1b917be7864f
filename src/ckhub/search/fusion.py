"""Combining rankings: reciprocal-rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009).

RRF needs no score calibration between BM25 and cosine similarity, which live on different
scales and shift with the corpus; k=60 is the paper's constant. Weights let a measured better
component count more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[tuple[int, float]]],
    weights: Sequence[float] | None = None,
    k: int = RRF_K,
) -> list[tuple[int, float]]:
    """(id, fused score) best first; ties broken by the id's best single rank."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = defaultdict(float)
    best_rank: dict[int, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _score) in enumerate(ranking, 1):
            fused[item] += weight / (k + rank)
            best_rank[item] = min(best_rank.get(item, rank), rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], best_rank[pair[0]], pair[0]))
