"""Metrics of the benchmarks (ranking, classification) and the labelled CSV they read."""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from pathlib import Path


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    gains = sum(relevant.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return gains / best if best else 0.0


def mrr_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    for rank, doc in enumerate(ranked[:k], 1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    wanted = {doc for doc, grade in relevant.items() if grade > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    classes = sorted(set(truth))
    f1s = []
    for name in classes:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == name)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if p == name and t != name)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == name and p != name)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(sum(f1s) / len(f1s), 4) if f1s else 0.0


def write_text_label_rows(path: Path, rows: Sequence[tuple[str, str]]) -> None:
    """A file `labelled_files.read_text_labels` reads (UTF-8), as the dev-set scripts write
    them."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    print(f"{path}: {len(rows)} rows")
