"""Write the labelled topic-clustering dev sets that docs/benchmarks.md reports on.

    python scripts/make_topic_sets.py --data ../shared/data --out /tmp/topics
    ckhub bench topics --data /tmp/topics/shop.csv --embeddings /tmp/topics/shop.npy

shop.csv: 500 reviews of each of the 10 online_shopping categories (seed 5, first 500 characters
of each review). bank.csv: every Banking77 training utterance with its intent.
Nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from ckhub.bench.metrics import write_text_label_rows

PER_CATEGORY = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    by_category: dict[str, list[str]] = {}
    with (args.data / "online_shopping_10_cats.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["review"] or "").strip():
                by_category.setdefault(row["cat"], []).append(row["review"])
    shop: list[tuple[str, str]] = []
    for category, reviews in sorted(by_category.items()):
        rng.shuffle(reviews)
        shop += [(review[:500], category) for review in reviews[:PER_CATEGORY]]
    rng.shuffle(shop)
    write_text_label_rows(args.out / "shop.csv", shop)
    with (args.data / "banking77_train.csv").open(encoding="utf-8") as handle:
        bank = [(row["text"], row["category"]) for row in csv.DictReader(handle)]
    write_text_label_rows(args.out / "bank.csv", bank)


if __name__ == "__main__":
    main()
