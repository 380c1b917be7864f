"""Combining the lexical and the vector ranking of one query.

Both score lists are min-max normalized over their own candidates, then added with the lexical
list weighing ALPHA. Measured on the shared dev sets (docs/benchmarks.md): reciprocal-rank
fusion with equal weights fell below vector search alone on CovidFAQ (nDCG@10 0.670 against
0.758), because BM25 is weak on long FAQ answers, while on LCQMC every fusion helped a little.
A small lexical weight keeps the vector order and lets exact word matches decide among near
ties; every weight from 0.05 to 0.2 improved both sets, and ALPHA is the middle of that range,
not a tuned peak. Normalizing makes the weight independent of the embedder's cosine scale.
"""

from __future__ import annotations

from collections.abc import Sequence

ALPHA = 0.15


def _normalized(ranking: Sequence[tuple[int, float]]) -> dict[int, float]:
    if not ranking:
        return {}
    scores = [score for _, score in ranking]
    low, high = min(scores), max(scores)
    spread = high - low
    return {item: (score - low) / spread if spread > 0 else 1.0 for item, score in ranking}


def fuse(
    vector: Sequence[tuple[int, float]],
    lexical: Sequence[tuple[int, float]],
    alpha: float = ALPHA,
) -> list[tuple[int, float]]:
    """(id, fused score) best first; an item missing from a list scores 0 there."""
    fused = _normalized(vector)
    for item, score in _normalized(lexical).items():
        fused[item] = fused.get(item, 0.0) + alpha * score
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))
