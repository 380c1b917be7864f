"""A second reader of Chinese feeling: character n-grams, beside the embedding model.

The embedding model (ml/sentiment.py) reads meaning but was trained on 5,350 Chinese reviews; a
linear model on character 1–3-grams learns the wording of all 50,740 reviews of the training
categories (差评, 不错, 太慢了…) at little cost. Averaged with the embedding model it was right
about 2 points more often on categories it never saw (leave-one-category-out cross-validation,
docs/benchmarks.md). It reads only Chinese: its share of a text's verdict shrinks with the share
of the text that is Chinese (text/language.py), so English is read by the embedding model alone.

Features are hashed (no vocabulary to ship): sklearn's HashingVectorizer, sublinear term
frequency times inverse document frequency, L2-normalized — the TF-IDF of
`scripts/train_sentiment.py`, which writes the model file with the same functions.

Wording the reader never learned must not sway it. Its intercept is negative (the average review
it trained on leans to a complaint), so a text in words it never saw — a post about a dairy
brand rather than a product review — fell back to that lean and read as a complaint. The
intercept is therefore scaled by the text's *familiarity*: the length of the part of its
unit-length features that falls on n-grams at least KNOWN_DOCUMENTS training reviews contained.
A text of familiar wording is read as trained; a text of unknown wording gets little verdict
from this reader (hashed n-grams can still share a bucket with known ones), and the embedding
model decides. For that to mean anything, buckets must rarely collide: 2^20 of them (2^17 were
all taken by the training reviews' n-grams). Cross-validation over all training reviews and the
most foreign categories (books; the unseen dairy posts) improved; hotels stayed within 0.2
points (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse
from scipy.optimize import minimize
from sklearn.feature_extraction.text import HashingVectorizer

from ckhub.text.language import chinese_share

HASH_BITS = 20
NGRAMS = (1, 3)
# An n-gram bucket counts as known wording once this many training reviews contain it (chosen by
# leave-one-category-out cross-validation among 5, 10 and 20: docs/benchmarks.md).
KNOWN_DOCUMENTS = 10

_hasher = HashingVectorizer(
    analyzer="char",
    ngram_range=NGRAMS,
    n_features=2**HASH_BITS,
    alternate_sign=False,
    norm=None,
)


def hashed_counts(texts: Sequence[str]) -> scipy.sparse.csr_matrix:
    """How often each hashed character n-gram occurs in each text."""
    counts: scipy.sparse.csr_matrix = _hasher.transform(list(texts)).tocsr()
    return counts


def inverse_document_frequency(counts: scipy.sparse.csr_matrix) -> np.ndarray:
    """Smoothed IDF per hashed n-gram, as scikit-learn's TfidfTransformer computes it."""
    documents = np.bincount(counts.indices, minlength=counts.shape[1])
    idf: np.ndarray = np.log((1 + counts.shape[0]) / (1 + documents)) + 1.0
    return idf


def known_idf(documents: int) -> float:
    """The IDF below which a bucket is known wording, for a model trained on `documents` texts:
    halfway between the IDFs of KNOWN_DOCUMENTS and one fewer, so the IDFs' storage as float16
    cannot move a bucket across it."""
    return float(np.log((1 + documents) / (0.5 + KNOWN_DOCUMENTS)) + 1.0)


def known_buckets(idf: np.ndarray, known: float) -> np.ndarray:
    """1.0 for each bucket of known wording (IDF at or below `known`), else 0.0."""
    return (idf <= known).astype(np.float64)


def familiarity(features: scipy.sparse.csr_matrix, known: np.ndarray) -> np.ndarray:
    """For unit-length feature rows: the length of each row's part on `known_buckets` (0 … 1)."""
    lengths: np.ndarray = np.sqrt(_row_sums(features, features.data**2 * known[features.indices]))
    return lengths


def _row_sums(features: scipy.sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    """Per row, the sum of `values` (one per stored element of `features`).

    Element-wise work on a matrix 2^20 columns wide is done on its stored values: scipy's
    `multiply` with a row that wide cost milliseconds a call, most of the aspect analysis's
    time for this reader."""
    rows = np.repeat(np.arange(features.shape[0]), np.diff(features.indptr))
    sums: np.ndarray = np.bincount(rows, weights=values, minlength=features.shape[0])
    return sums


def linear_decisions(
    features: scipy.sparse.csr_matrix, weights: np.ndarray, bias: float, known: np.ndarray
) -> np.ndarray:
    """A linear reader's decisions, its intercept scaled by each text's familiarity."""
    decided: np.ndarray = features @ weights + bias * familiarity(features, known)
    return decided


def weighed(counts: scipy.sparse.csr_matrix, idf: np.ndarray) -> scipy.sparse.csr_matrix:
    """Sublinear TF times IDF, each row scaled to unit length."""
    features: scipy.sparse.csr_matrix = counts.astype(np.float64).tocsr()
    features.sum_duplicates()
    features.data = (1.0 + np.log(features.data)) * idf[features.indices]
    norms = np.sqrt(_row_sums(features, features.data**2))
    features.data /= np.repeat(np.maximum(norms, 1e-12), np.diff(features.indptr))
    return features


@dataclass(frozen=True)
class CharacterModel:
    idf: np.ndarray
    weights: np.ndarray  # already in the combined model's units (see the training script)
    bias: float
    share: float  # of a wholly Chinese text's verdict
    # How strongly learning from a workspace's corrections is pulled back to the shipped weights:
    # the training's L2 penalty in these units, scaled so that a correction weighs the same share
    # of this model's training data as of the embedding model's (see the training script).
    prior: float
    known: float  # the IDF at or below which a bucket is known wording (`known_idf`)

    def decisions(self, texts: Sequence[str]) -> np.ndarray:
        return self._decisions(weighed(hashed_counts(texts), self.idf))

    @cached_property
    def _known_buckets(self) -> np.ndarray:
        # Derived once per model: comparing all 2^20 IDFs on every call would cost more than
        # reading a short text.
        return known_buckets(self.idf, self.known)

    def _decisions(self, features: scipy.sparse.csr_matrix) -> np.ndarray:
        return linear_decisions(features, self.weights, self.bias, self._known_buckets)

    def shares(self, texts: Sequence[str]) -> np.ndarray:
        """How much of each text's verdict this model gives."""
        return self.share * np.array([chinese_share(text) for text in texts])

    def adjusted(self, change: np.ndarray) -> CharacterModel:
        """This model with `learn_corrections`'s change (n-gram index, weight change) rows."""
        weights = self.weights.copy()
        weights[change[:, 0].astype(np.int64)] += change[:, 1]
        return replace(self, weights=weights)

    def learn_corrections(
        self,
        texts: Sequence[str],
        targets: np.ndarray,
        sample_weights: np.ndarray,
        other_decisions: np.ndarray,
    ) -> np.ndarray:
        """The change to this model's weights that fits people's corrections best, given the
        rest of each text's decision (`other_decisions`, the embedding model's part), held
        near the shipped weights by `prior` (L2). Only n-grams that occur in the corrected
        texts change: (index, change) rows."""
        shares = self.shares(texts)
        features = weighed(hashed_counts(texts), self.idf)
        used = np.unique(features.indices)
        local = features[:, used]
        fixed = other_decisions * (1 - shares) + shares * self._decisions(features)

        def loss_and_gradient(change: np.ndarray) -> tuple[float, np.ndarray]:
            decisions = fixed + shares * (local @ change)
            probabilities = 1.0 / (1.0 + np.exp(-decisions))
            losses = np.logaddexp(0.0, decisions) - targets * decisions
            loss = float(sample_weights @ losses + 0.5 * self.prior * change @ change)
            residuals = sample_weights * (probabilities - targets) * shares
            return loss, local.T @ residuals + self.prior * change

        found = minimize(loss_and_gradient, np.zeros(len(used)), jac=True, method="L-BFGS-B")
        return np.column_stack([used, found.x])


def save_character_model(path: Path, model: CharacterModel) -> None:
    np.savez_compressed(
        path,
        idf=model.idf.astype(np.float16),
        weights=model.weights.astype(np.float16),
        bias=np.float64(model.bias),
        share=np.float64(model.share),
        prior=np.float64(model.prior),
        known=np.float64(model.known),
    )


def load_character_model(path: Path) -> CharacterModel:
    saved = np.load(path)
    return CharacterModel(
        saved["idf"].astype(np.float64),
        saved["weights"].astype(np.float64),
        float(saved["bias"]),
        float(saved["share"]),
        float(saved["prior"]),
        float(saved["known"]),
    )
