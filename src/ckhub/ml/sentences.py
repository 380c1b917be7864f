"""Sentences of a text and their feeling, from the feeling of their clauses.

A sentence ends at 。！？!?, at a line break, and at a full stop followed by a space or a Chinese
character. Its score
is the mean of its clauses' scores (ml/aspects.py cuts clauses at commas and contrast words),
weighted by length — except that after a contrast word ("界面漂亮，但是太卡了", "nice screen but
slow") the part after it weighs AFTER_CONTRAST_WEIGHT, as in the whole-text model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ckhub.ml.aspects import starts_with_contrast
from ckhub.ml.sentiment import AFTER_CONTRAST_WEIGHT
from ckhub.text.language import HAN_CHARACTERS

_SENTENCE_END = re.compile(rf"(?<=[。！？!?\n])|(?<=\.)\s+|(?<=\.)(?=[{HAN_CHARACTERS}])")
MAX_SENTENCE = 1000


def sentences(text: str) -> list[str]:
    return [part.strip()[:MAX_SENTENCE] for part in _SENTENCE_END.split(text) if part.strip()]


def _mean(parts: Sequence[tuple[str, float]]) -> float:
    total = sum(len(clause) for clause, _ in parts)
    return sum(len(clause) * score for clause, score in parts) / total if total else 0.0


def sentence_score(clause_scores: Sequence[tuple[str, float]]) -> float:
    """A sentence's score (−1 … 1) from its clauses' (clause, score) in order."""
    if not clause_scores:
        return 0.0
    turn = next(
        (i for i, (clause, _) in enumerate(clause_scores) if i and starts_with_contrast(clause)),
        None,
    )
    if turn is None:
        return _mean(clause_scores)
    before, after = _mean(clause_scores[:turn]), _mean(clause_scores[turn:])
    return (1 - AFTER_CONTRAST_WEIGHT) * before + AFTER_CONTRAST_WEIGHT * after
