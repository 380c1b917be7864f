"""The projected first pass ranks like the exact product on data shaped like embeddings."""

from __future__ import annotations

import numpy as np

from ckhub.search.projection import Projection


def _embedding_like(count: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors in 384 dimensions that vary mostly along a few dozen directions, around a
    shared mean (as sentence embeddings do), plus a little noise in every direction."""
    topics = rng.normal(size=(40, 384))
    mixed = rng.normal(size=(count, 40)) @ topics + 6 * rng.normal(size=384)
    vectors = mixed + 0.5 * rng.normal(size=(count, 384))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_shortlist_holds_the_exact_best() -> None:
    rng = np.random.default_rng(7)
    vectors = _embedding_like(5000, rng)
    queries = _embedding_like(20, rng)
    projection = Projection.fit(vectors)
    projected = projection.rows(vectors)
    assert projected.shape == (5000, 96)
    for query in queries:
        exact_best = set(np.argsort(-(vectors @ query))[:20])
        shortlist = set(np.argsort(-(projected @ projection.query(query)))[:200])
        assert len(exact_best & shortlist) >= 19
