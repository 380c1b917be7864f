"""Staff correct an entry's feeling. The correction holds while the entry's text is the text
that was judged — re-scoring never undoes it — and `ckhub train sentiment` learns from it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden
from ckhub.knowledge.entry_text import embedding_text
from ckhub.knowledge.models import KnowledgeEntry, SentimentCorrection
from ckhub.knowledge.queries import visible_entry
from ckhub.knowledge.sentiment_models import score_within

LABELS = ("positive", "neutral", "negative")


def corrections_for(session: Session, entry_ids: Iterable[int]) -> dict[int, SentimentCorrection]:
    ids = list(entry_ids)
    if not ids:
        return {}
    rows = session.scalars(select(SentimentCorrection).where(SentimentCorrection.entry_id.in_(ids)))
    return {row.entry_id: row for row in rows}


def correction_of(session: Session, entry: KnowledgeEntry) -> SentimentCorrection | None:
    """The correction that holds for the entry's current text, if any."""
    correction = session.get(SentimentCorrection, entry.id)
    if correction is None or correction.text != embedding_text(entry.title, entry.body):
        return None
    return correction


def correct_sentiment(
    session: Session, viewer: Viewer, entry_id: int, label: str
) -> KnowledgeEntry:
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()
    if label not in LABELS:
        raise Problem("invalid-sentiment", f"Sentiment must be one of: {', '.join(LABELS)}.", 422)
    entry = visible_entry(session, viewer, entry_id)
    text = embedding_text(entry.title, entry.body)
    earlier = correction_of(session, entry)
    # What the model said, kept from the first correction of this text: later ones only
    # change the person's verdict.
    model_label, model_score = (
        (earlier.model_label, earlier.model_score)
        if earlier is not None
        else (entry.sentiment, entry.sentiment_score)
    )
    session.merge(
        SentimentCorrection(
            entry_id=entry.id,
            label=label,
            text=text,
            model_label=model_label,
            model_score=model_score,
            corrected_by_id=viewer.user_id,
        )
    )
    audit.record(
        session,
        viewer,
        "knowledge.sentiment_corrected",
        "entry",
        entry.id,
        before=entry.sentiment,
        after=label,
    )
    entry.sentiment = label
    entry.sentiment_score = round(score_within(label, entry.sentiment_score), 4)
    session.commit()
    return entry
