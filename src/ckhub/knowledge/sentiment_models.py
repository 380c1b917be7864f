"""Whose verdict an entry's feeling is: a person's correction of that very text, else the
workspace's model — the newest one `ckhub train sentiment` adopted for the embedder, else the
one shipped with ckhub.

A retrained model is a change to the shipped model it was fitted beside (the character reader's
n-gram weights by bucket, the embedding part's weights in the combined model's units). When an
upgrade ships a different model, that change means nothing any more: the shipped model is used
until `ckhub train sentiment` runs again, and the log says so once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import numpy as np
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ckhub.knowledge.models import SentimentCorrection, TrainedSentimentModel
from ckhub.ml.english_reader import EnglishReader
from ckhub.ml.sentiment import (
    NEUTRAL_BAND,
    OpinionGate,
    Sentiment,
    SentimentModel,
    shipped_sentiment_model,
)

# Trained models by id and training time: a row never changes once written; the time tells
# apart rows of a database created anew under the same process (ids start again).
_loaded: dict[tuple[int, datetime], SentimentModel] = {}
_log = logging.getLogger(__name__)
Reader = TypeVar("Reader", OpinionGate, EnglishReader)


def _newest_adopted(
    session: Session, embedder_name: str
) -> Row[int, datetime, bool, str | None] | None:
    return session.execute(
        select(
            TrainedSentimentModel.id,
            TrainedSentimentModel.trained_at,
            TrainedSentimentModel.character_change.is_not(None).label("has_change"),
            TrainedSentimentModel.trained_against,
        )
        .where(
            TrainedSentimentModel.embedder == embedder_name,
            TrainedSentimentModel.adopted.is_(True),
        )
        .order_by(TrainedSentimentModel.id.desc())
        .limit(1)
    ).first()


def retraining_set_aside(session: Session, embedder_name: str) -> int | None:
    """The id of the workspace's adopted retrained model when it no longer applies, because
    this ckhub ships another model than the one it was fitted beside; None otherwise. Staff
    who manage knowledge are told on the insights dashboard (their corrections still stand,
    but the model learned from them waits for `ckhub train sentiment`)."""
    adopted = _newest_adopted(session, embedder_name)
    shipped = shipped_sentiment_model(embedder_name)
    if adopted is None or shipped is None or not _set_aside(adopted, shipped):
        return None
    return int(adopted.id)


def _set_aside(adopted: Row[int, datetime, bool, str | None], shipped: SentimentModel) -> bool:
    """Whether the adopted model was fitted beside another shipped model than this one. One
    without a character change predates the fingerprint and is used as trained."""
    return bool(adopted.has_change) and adopted.trained_against != shipped.version


def current_sentiment_model(session: Session, embedder_name: str) -> SentimentModel | None:
    adopted = _newest_adopted(session, embedder_name)
    shipped = shipped_sentiment_model(embedder_name)
    if adopted is None or shipped is None:
        return shipped
    key = (adopted.id, adopted.trained_at)
    if key not in _loaded:
        row = session.get_one(TrainedSentimentModel, adopted.id)
        weights = np.frombuffer(row.weights, np.float32).copy()
        if row.character_change is None:
            # Trained before the character n-gram reader existed: its weights were scaled for
            # the embedding model alone, so it is used as it was trained.
            _loaded[key] = SentimentModel(weights, row.bias, shipped.embedder)
        elif _set_aside(adopted, shipped):
            _log.warning(
                "The adopted sentiment model #%s was trained beside an earlier shipped model; "
                "the shipped model is used until `ckhub train sentiment` runs again.",
                row.id,
            )
            _loaded[key] = shipped
        else:
            change = np.frombuffer(row.character_change, np.float64).reshape(-1, 2)
            opinion = _linear_reader(OpinionGate, row.opinion_weights, row.opinion_bias)
            english = _linear_reader(EnglishReader, row.english_weights, row.english_bias)
            _loaded[key] = shipped.retrained(weights, row.bias, change, opinion, english)
    return _loaded[key]


def _linear_reader(
    kind: Callable[[np.ndarray, float], Reader], weights: bytes | None, bias: float | None
) -> Reader | None:
    """A refitted linear part (float32 weights and a bias) as stored, or None if it was not."""
    if weights is None or bias is None:
        return None
    return kind(np.frombuffer(weights, np.float32), bias)


def score_within(label: str, score: float | None) -> float:
    """The nearest score that reads as the label, so averages agree with the counts."""
    score = score or 0.0
    if label == "positive":
        return max(score, NEUTRAL_BAND)
    if label == "negative":
        return min(score, -NEUTRAL_BAND)
    return min(max(score, -NEUTRAL_BAND / 2), NEUTRAL_BAND / 2)


def corrected(found: Sentiment, correction: SentimentCorrection | None, text: str) -> Sentiment:
    """The model's verdict, or the person's where they judged this very text."""
    if correction is None or correction.text != text:
        return found
    return Sentiment(correction.label, round(score_within(correction.label, found.score), 4))
