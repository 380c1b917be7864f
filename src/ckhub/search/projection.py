"""A cheaper first pass over many vectors: their principal components.

Scoring every entry exactly reads the whole matrix (100k × 384 float32 = 150 MB) for each query;
on this class of machine that is memory-bound, about 12 ms, and it competes with the word search
for the two cores. Projected onto the directions along which the workspace's own vectors vary most
(PCA), the matrix is four times smaller and ranks nearly the same way, so the first pass picks a
shortlist and only the shortlist is scored exactly. How many of the exact best are found is
measured by `ckhub bench search` (`vector_recall`) and recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

COMPONENTS = 96
FIT_SAMPLE = 20_000


class Projection:
    """Centre and project vectors onto the top principal components of a sample of them.

    Ranking by the projected dot product approximates ranking by the full one: q·v differs from
    q·(v − mean) by q·mean, the same for every entry, and the components dropped carry little of
    the variance of (v − mean).
    """

    def __init__(self, mean: Matrix, basis: Matrix) -> None:
        self.mean = mean  # (dim,)
        self.basis = basis  # (dim, components)

    @classmethod
    def fit(cls, vectors: Matrix, components: int = COMPONENTS, seed: int = 0) -> Projection:
        rng = np.random.default_rng(seed)
        if len(vectors) > FIT_SAMPLE:
            vectors = vectors[rng.choice(len(vectors), FIT_SAMPLE, replace=False)]
        sample = vectors.astype(np.float64)
        mean = sample.mean(axis=0)
        sample -= mean
        # Eigenvectors of the covariance (dim × dim) are the principal directions; eigh lists
        # them smallest first. Cheaper in memory than an SVD of the whole sample.
        _, directions = np.linalg.eigh(sample.T @ sample)
        basis = np.ascontiguousarray(directions[:, ::-1][:, :components], dtype=np.float32)
        return cls(mean.astype(np.float32), basis)

    def rows(self, vectors: Matrix, chunk: int = 10_000) -> Matrix:
        # In chunks: centring all 100k rows at once would hold a second 150 MB copy.
        projected = np.empty((len(vectors), self.basis.shape[1]), dtype=np.float32)
        for start in range(0, len(vectors), chunk):
            part = vectors[start : start + chunk]
            projected[start : start + chunk] = (part - self.mean) @ self.basis
        return projected

    def query(self, vector: Matrix) -> Matrix:
        return (vector @ self.basis).astype(np.float32)
