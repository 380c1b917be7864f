"""Suggested feedback items: incoming entries that read like a request, a bug or a complaint wait
for a staff member, who accepts (a new item, or one more requester of an existing item) or
dismisses. The decisions teach the scan.

What reads like feedback, strongest signal first:
1. Learned: the nearest decided suggestion (embedding cosine ≥ tagging.EXAMPLE_THRESHOLD)
   decides — dismissed look-alikes are not suggested again, accepted ones are, with their kind.
2. The entry's issue type (the taxonomy tagger reads "希望能…", "闪退", "投诉" in both languages):
   feature_request, bug and complaint map to the kinds of the same key.
Negative sentiment alone is not a signal: on the demo workspace it suggested 746 of 1,652
entries (an unhappy customer is not yet a request), against 208 from the issue types.

The scan runs in the minute job after embedding; it reads entries in id order and stops at the
first one still waiting for its vector, so none is skipped. An entry waiting longer than
WAIT_FOR_VECTOR (one that cannot be embedded, or a huge import still embedding) stops holding
the others back: it is read on its issue type alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVarTuple

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden, not_found
from ckhub.feedback.models import (
    ACCEPTED,
    DISMISSED,
    PENDING,
    FeedbackKind,
    FeedbackSource,
    FeedbackSuggestion,
    SuggestionScan,
)
from ckhub.feedback.service import ItemInput, add_source, create_item
from ckhub.i18n_marker import N_
from ckhub.knowledge.models import EntryEmbedding, IssueType, KnowledgeEntry
from ckhub.knowledge.queries import visible_entry
from ckhub.knowledge.tagging import EXAMPLE_THRESHOLD
from ckhub.ml.embedders import Embedder
from ckhub.search.filters import SearchFilters, entry_conditions
from ckhub.settings import Settings
from ckhub.timeutil import utcnow

Row = TypeVarTuple("Row")
FEEDBACK_ISSUE_TYPES = ("feature_request", "bug", "complaint")
NOT_FEEDBACK_CHANNELS = ("usage",)  # product-usage events are counted, not asked
SCAN_BATCH = 2000
WAIT_FOR_VECTOR = timedelta(hours=6)
FIRST_SCAN_DAYS = timedelta(days=30)
# Suggestions per page: each is shown with its similar items, whose embedding costs ~12 ms.
PAGE_SIZE = 30
REASONS = {
    "learned": N_("like suggestions you accepted"),
    "issue_type": N_("its issue type"),
    "customer": N_("suggested by the customer"),
}


@dataclass(frozen=True)
class Decision:
    kind_key: str
    score: float
    reason: str


@dataclass
class DecidedExamples:
    """Vectors of decided suggestions' entries: the kind key of accepted ones, None dismissed."""

    vectors: np.ndarray
    kinds: list[str | None]

    def nearest(self, vector: np.ndarray) -> tuple[str | None, float] | None:
        if not self.kinds:
            return None
        scores = self.vectors @ vector
        best = int(np.argmax(scores))
        if scores[best] < EXAMPLE_THRESHOLD:
            return None
        return self.kinds[best], float(scores[best])


def decided_examples(session: Session, embedder_name: str) -> DecidedExamples:
    rows = session.execute(
        select(EntryEmbedding.vector, FeedbackSuggestion.status, FeedbackKind.key)
        .join(FeedbackSuggestion, FeedbackSuggestion.entry_id == EntryEmbedding.entry_id)
        .join(FeedbackKind, FeedbackKind.id == FeedbackSuggestion.kind_id)
        .where(
            EntryEmbedding.model == embedder_name,
            FeedbackSuggestion.status.in_((ACCEPTED, DISMISSED)),
        )
    ).all()
    if not rows:
        return DecidedExamples(np.zeros((0, 1), np.float32), [])
    vectors = np.vstack([np.frombuffer(vector, np.float32) for vector, _, _ in rows])
    return DecidedExamples(vectors, [key if st == ACCEPTED else None for _, st, key in rows])


def decide(issue_type_key: str | None, learned: tuple[str | None, float] | None) -> Decision | None:
    """Whether (and as what) an entry is suggested; see the module's docstring."""
    if learned is not None:
        kind, similarity = learned
        return Decision(kind, round(similarity, 3), "learned") if kind else None
    if issue_type_key in FEEDBACK_ISSUE_TYPES:
        return Decision(issue_type_key, 0.8, "issue_type")
    return None


def _scan_state(session: Session) -> SuggestionScan:
    """How far the scan has read. The first scan of a workspace that already holds entries
    starts with those of the last FIRST_SCAN_DAYS: a year of history would bury the queue."""
    state = session.get(SuggestionScan, 1)
    if state is None:
        older = session.scalar(
            select(func.max(KnowledgeEntry.id)).where(
                KnowledgeEntry.created_at < utcnow() - FIRST_SCAN_DAYS
            )
        )
        state = SuggestionScan(id=1, last_entry_id=older or 0)
        session.add(state)
        session.flush()
    return state


def scan_new_entries(session: Session, embedder_name: str, limit: int = SCAN_BATCH) -> int:
    """Suggest items for the entries that arrived since the last scan; returns how many."""
    state = _scan_state(session)
    embedded = select(EntryEmbedding.entry_id).where(
        EntryEmbedding.entry_id == KnowledgeEntry.id, EntryEmbedding.model == embedder_name
    )
    waiting = session.scalar(
        select(func.min(KnowledgeEntry.id)).where(
            KnowledgeEntry.id > state.last_entry_id,
            KnowledgeEntry.deleted_at.is_(None),
            KnowledgeEntry.created_at > utcnow() - WAIT_FOR_VECTOR,
            ~embedded.exists(),
        )
    )
    query = (
        select(
            KnowledgeEntry.id,
            KnowledgeEntry.channel,
            IssueType.key,
            EntryEmbedding.vector,
        )
        .outerjoin(IssueType, IssueType.id == KnowledgeEntry.issue_type_id)
        .outerjoin(
            EntryEmbedding,
            (EntryEmbedding.entry_id == KnowledgeEntry.id)
            & (EntryEmbedding.model == embedder_name),
        )
        .where(KnowledgeEntry.id > state.last_entry_id, KnowledgeEntry.deleted_at.is_(None))
        .order_by(KnowledgeEntry.id)
        .limit(limit)
    )
    if waiting is not None:
        query = query.where(KnowledgeEntry.id < waiting)
    rows = session.execute(query).all()
    if not rows:
        return 0
    examples = decided_examples(session, embedder_name)
    kinds = {kind.key: kind.id for kind in session.scalars(select(FeedbackKind))}
    already = set(
        session.scalars(
            select(FeedbackSuggestion.entry_id).where(
                FeedbackSuggestion.entry_id.in_([row.id for row in rows])
            )
        )
    ) | set(
        session.scalars(
            select(FeedbackSource.entry_id).where(
                FeedbackSource.entry_id.in_([row.id for row in rows])
            )
        )
    )
    suggested = 0
    for entry_id, channel, issue_type, vector in rows:
        if channel in NOT_FEEDBACK_CHANNELS or entry_id in already:
            continue
        learned = examples.nearest(np.frombuffer(vector, np.float32)) if vector else None
        decision = decide(issue_type, learned)
        if decision is None or decision.kind_key not in kinds:
            continue
        session.add(FeedbackSuggestion(
            entry_id=entry_id, kind_id=kinds[decision.kind_key], score=decision.score,
            reason=decision.reason, status=PENDING,
        ))  # fmt: skip
        suggested += 1
    state.last_entry_id = rows[-1].id
    session.commit()
    return suggested


@dataclass
class PendingSuggestion:
    suggestion: FeedbackSuggestion
    entry: KnowledgeEntry
    kind: FeedbackKind


def _readable_pending(query: Select[*Row], viewer: Viewer) -> Select[*Row]:
    """Waiting suggestions whose entries the viewer may read (the permission in the query)."""
    return query.join(KnowledgeEntry, KnowledgeEntry.id == FeedbackSuggestion.entry_id).where(
        FeedbackSuggestion.status == PENDING, entry_conditions(viewer, SearchFilters())
    )


def pending_suggestions(
    session: Session, viewer: Viewer, limit: int = PAGE_SIZE, offset: int = 0
) -> list[PendingSuggestion]:
    """Waiting suggestions whose entries the viewer may read, most confident (then newest)
    first; `offset` of them skipped (the pages after the first)."""
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()
    query = _readable_pending(select(FeedbackSuggestion, KnowledgeEntry, FeedbackKind), viewer)
    rows = session.execute(
        query.join(FeedbackKind, FeedbackKind.id == FeedbackSuggestion.kind_id)
        .order_by(FeedbackSuggestion.score.desc(), FeedbackSuggestion.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [PendingSuggestion(s, e, k) for s, e, k in rows]


def pending_count(session: Session, viewer: Viewer) -> int:
    counted = _readable_pending(select(func.count()).select_from(FeedbackSuggestion), viewer)
    return session.scalar(counted) or 0


def _pending(session: Session, viewer: Viewer, suggestion_id: int) -> FeedbackSuggestion:
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()
    suggestion = session.get(FeedbackSuggestion, suggestion_id)
    if suggestion is None:
        raise not_found(N_("Suggestion"))
    visible_entry(session, viewer, suggestion.entry_id)
    if suggestion.status != PENDING:
        raise Problem("already-decided", "This suggestion was already decided.", 409)
    return suggestion


def _decided(suggestion: FeedbackSuggestion, viewer: Viewer, status: str) -> None:
    suggestion.status = status
    suggestion.decided_by_id = viewer.user_id
    suggestion.decided_at = utcnow()


def default_title(entry: KnowledgeEntry) -> str:
    text = " ".join((entry.title or entry.body).split())
    return text[:80] + ("…" if len(text) > 80 else "")


def accept(
    session: Session,
    settings: Settings,
    viewer: Viewer,
    suggestion_id: int,
    embedder: Embedder,
    *,
    item_id: int | None = None,
    title: str = "",
    kind: str = "",
) -> int:
    """Accept: a new item from the entry, or the entry added to an existing item (its customer
    becomes one more requester). Returns the item's id."""
    suggestion = _pending(session, viewer, suggestion_id)
    _decided(suggestion, viewer, ACCEPTED)
    if kind:
        chosen = session.scalar(select(FeedbackKind).where(FeedbackKind.key == kind))
        if chosen is not None:
            suggestion.kind_id = chosen.id  # what was decided teaches the scan
    if item_id is not None:
        add_source(session, settings, viewer, item_id, suggestion.entry_id)
        suggestion.item_id = item_id
    else:
        entry = visible_entry(session, viewer, suggestion.entry_id)
        kind_key = session.scalar(
            select(FeedbackKind.key).where(FeedbackKind.id == suggestion.kind_id)
        )
        item = create_item(
            session, settings, viewer,
            ItemInput(title=title.strip() or default_title(entry), kind=kind_key or "complaint",
                      entry_id=entry.id),
            embedder,
        )  # fmt: skip
        suggestion.item_id = item.id
    audit.record(session, viewer, "feedback.suggestion_accepted", "feedback_suggestion",
                 suggestion.id, item=suggestion.item_id)  # fmt: skip
    session.commit()
    return suggestion.item_id or 0


def dismiss(session: Session, viewer: Viewer, suggestion_id: int) -> None:
    suggestion = _pending(session, viewer, suggestion_id)
    _decided(suggestion, viewer, DISMISSED)
    audit.record(session, viewer, "feedback.suggestion_dismissed", "feedback_suggestion",
                 suggestion.id)  # fmt: skip
    session.commit()
