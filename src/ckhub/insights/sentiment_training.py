"""`ckhub train sentiment`: retrain the sentiment model on the shipped data plus this workspace's
corrections, and use it only if it judges held-back corrections at least as well as the model in
use.

A fixed share of the corrections (chosen by a seeded shuffle, so a rerun holds back the same ones)
is never trained on: both models judge those, and the new one is adopted when it is right as
often or more. After adoption every entry's feeling is read again from its stored vector; staff
corrections still win over either model. A corrected transcript teaches what its customer said,
which is what a transcript's feeling is read from (knowledge/entry_vectors.py). Corrections of
mostly English text also refit the English reader (ml/english_reader.py), which reads those.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Viewer
from ckhub.errors import ConfigurationError, Problem
from ckhub.knowledge.entry_text import customer_part, speakers_named
from ckhub.knowledge.models import KnowledgeEntry, SentimentCorrection, TrainedSentimentModel
from ckhub.knowledge.sentiment import score_sentiment
from ckhub.knowledge.sentiment_models import current_sentiment_model
from ckhub.ml.english_reader import EnglishReader, english_vectors, given
from ckhub.ml.sentiment import (
    English,
    OpinionGate,
    SentimentModel,
    TrainingSet,
    feeling_vectors,
    shipped_sentiment_model,
    shipped_training_set,
)

MIN_CORRECTIONS = 20
HELD_BACK_SHARE = 0.25
SPLIT_SEED = 17
# A workspace's corrections are its own customers' words judged by its own staff: each counts
# like this many shipped training reviews of full weight (1% of the shipped data's weight), so
# a few dozen can move a strongly regularized model.
CORRECTION_WEIGHT = 30.0
LABEL_TARGETS = {"positive": 1.0, "negative": 0.0, "neutral": 0.5}


@dataclass(frozen=True)
class TrainingOutcome:
    model_id: int
    corrections_trained: int
    corrections_held_back: int
    accuracy_before: float
    accuracy_after: float
    adopted: bool
    rescored: int


def split_corrections(
    corrections: list[SentimentCorrection],
) -> tuple[list[SentimentCorrection], list[SentimentCorrection]]:
    """(to train on, held back), the same for the same corrections."""
    ordered = sorted(corrections, key=lambda row: row.entry_id)
    random.Random(SPLIT_SEED).shuffle(ordered)
    held = max(1, round(len(ordered) * HELD_BACK_SHARE))
    return ordered[held:], ordered[:held]


def train_sentiment(session: Session, viewer: Viewer, embedder_name: str) -> TrainingOutcome:
    corrections = list(session.scalars(select(SentimentCorrection)))
    if len(corrections) < MIN_CORRECTIONS:
        raise Problem(
            "too-few-corrections",
            "Retraining needs at least {needed} sentiment corrections; this workspace has {have}. "
            "Correct more entries' sentiment on their pages first.",
            422,
            needed=MIN_CORRECTIONS,
            have=len(corrections),
        )
    shipped_data = shipped_training_set(embedder_name)
    shipped = shipped_sentiment_model(embedder_name)
    in_use = current_sentiment_model(session, embedder_name)
    if shipped_data is None or shipped is None or in_use is None:
        raise ConfigurationError(
            f"ckhub ships no sentiment training data for the embedder {embedder_name!r}."
        )
    to_train, held_back = split_corrections(corrections)
    candidate = _fit(shipped_data, shipped, to_train, _read_texts(session, to_train))
    held_texts = _read_texts(session, held_back)
    held_vectors = feeling_vectors(in_use.embedder, held_texts)
    held_english = english_vectors(held_texts) if shipped.english else None
    before = _accuracy(in_use, held_back, held_texts, held_vectors, held_english)
    after = _accuracy(candidate, held_back, held_texts, held_vectors, held_english)
    record = TrainedSentimentModel(
        embedder=embedder_name,
        weights=candidate.weights.tobytes(),
        bias=candidate.bias,
        character_change=(
            None if candidate.character_change is None else candidate.character_change.tobytes()
        ),
        opinion_weights=None if candidate.opinion is None else candidate.opinion.weights.tobytes(),
        opinion_bias=None if candidate.opinion is None else candidate.opinion.bias,
        english_weights=(
            None if candidate.english is None else candidate.english.weights.tobytes()
        ),
        english_bias=None if candidate.english is None else candidate.english.bias,
        trained_against=shipped.version,
        corrections_trained=len(to_train),
        corrections_held_back=len(held_back),
        accuracy_before=before,
        accuracy_after=after,
        adopted=after >= before,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        viewer,
        "insights.sentiment_trained",
        "sentiment_model",
        record.id,
        adopted=record.adopted,
        accuracy_before=before,
        accuracy_after=after,
    )
    session.commit()
    rescored = score_sentiment(session, embedder_name, everything=True) if record.adopted else 0
    return TrainingOutcome(
        record.id, len(to_train), len(held_back), before, after, record.adopted, rescored
    )


def _fit(
    shipped_data: TrainingSet,
    shipped: SentimentModel,
    corrections: list[SentimentCorrection],
    corrected_texts: list[str],
) -> SentimentModel:
    """The shipped model refitted with the corrections: the embedding model on the shipped
    training vectors plus the corrections (scaled as shipped), then the character n-gram
    reader's change for the corrections given the new embedding part (its training reviews are
    not shipped; its prior keeps it near the shipped weights)."""
    texts = corrected_texts * 2  # each correction once as negative, once as positive example
    # A neutral correction is half a positive and half a negative example: the model learns to
    # be unsure there (soft label 0.5) with plain two-class logistic regression.
    targets = np.repeat([0.0, 1.0], len(corrections))
    weights = CORRECTION_WEIGHT * np.array(
        [_share_of(row.label, target) for target in (0.0, 1.0) for row in corrections]
    )
    corrected = feeling_vectors(shipped.embedder, corrected_texts)
    vectors = np.vstack([corrected, corrected])
    fitted = LogisticRegression(C=shipped_data.regularization_c, max_iter=3000).fit(
        np.vstack([shipped_data.vectors, vectors]),
        np.concatenate([shipped_data.labels.astype(float), targets]),
        sample_weight=np.concatenate([shipped_data.weights, weights]),
    )
    scale = shipped_data.calibration_scale  # as the shipped model was calibrated
    embedding = shipped.retrained(
        (fitted.coef_[0] * scale).astype(np.float32), float(fitted.intercept_[0]) * scale
    )
    change = (
        None
        if shipped.characters is None
        else shipped.characters.learn_corrections(
            texts, targets, weights, vectors @ embedding.weights + embedding.bias
        )
    )
    return embedding.retrained(
        embedding.weights,
        embedding.bias,
        change,
        _fit_opinion(shipped_data, corrections, corrected),
        _fit_english(shipped_data, corrected_texts, corrected, targets, weights),
    )


def _fit_english(
    shipped_data: TrainingSet,
    corrected_texts: list[str],
    corrected: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
) -> EnglishReader | None:
    """The English reader refitted on its shipped training vectors plus the corrections it
    reads (each twice, as in `_fit`); None (the shipped reader stays) when none is English."""
    shipped = shipped_data.english
    if shipped is None:
        return None
    rows, mpnet = given(english_vectors(corrected_texts))
    if not rows:
        return None
    read = np.hstack([corrected[rows], mpnet])
    twice = rows + [i + len(corrected_texts) for i in rows]
    fitted = LogisticRegression(C=shipped.regularization_c, max_iter=3000).fit(
        np.vstack([shipped.vectors, read, read]),
        np.concatenate([shipped.labels.astype(float), targets[twice]]),
        sample_weight=np.concatenate([shipped.weights, weights[twice]]),
    )
    return EnglishReader.calibrated(
        fitted.coef_[0], fitted.intercept_[0], shipped.calibration_scale
    )


def _fit_opinion(
    shipped_data: TrainingSet, corrections: list[SentimentCorrection], vectors: np.ndarray
) -> OpinionGate | None:
    """The opinion gate refitted on its shipped training vectors plus the corrections: a
    neutral one is no opinion, a positive or negative one is."""
    shipped = shipped_data.opinion
    if shipped is None:
        return None
    fitted = LogisticRegression(C=shipped.regularization_c, max_iter=3000).fit(
        np.vstack([shipped.vectors, vectors]),
        np.concatenate([shipped.labels, [int(row.label != "neutral") for row in corrections]]),
        sample_weight=np.concatenate(
            [shipped.weights, np.full(len(corrections), CORRECTION_WEIGHT)]
        ),
    )
    return OpinionGate(fitted.coef_[0].astype(np.float32), float(fitted.intercept_[0]))


def _read_texts(session: Session, corrections: list[SentimentCorrection]) -> list[str]:
    """What the model reads of corrected entries, as their feeling is read: a transcript's
    customer's words, with the speakers its source named (knowledge/entry_vectors.py)."""
    ids = [row.entry_id for row in corrections]
    found = session.execute(
        select(KnowledgeEntry.id, KnowledgeEntry.extra).where(KnowledgeEntry.id.in_(ids))
    )
    extras: dict[int, dict[str, Any]] = dict(found.all())
    return [
        customer_part(row.text, speakers_named(extras.get(row.entry_id))) or row.text
        for row in corrections
    ]


def _share_of(label: str, target: float) -> float:
    wanted = LABEL_TARGETS[label]
    return wanted if target == 1.0 else 1.0 - wanted


def _accuracy(
    model: SentimentModel,
    corrections: list[SentimentCorrection],
    texts: list[str],
    vectors: np.ndarray,
    english: English,
) -> float:
    found = model.of_texts(texts, vectors, english)
    right = sum(
        1 for row, verdict in zip(corrections, found, strict=True) if verdict.label == row.label
    )
    return round(right / len(corrections), 4)
