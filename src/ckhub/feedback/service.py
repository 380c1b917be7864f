"""Feedback items: create (from an entry, a form, the API or the CLI), link more sources,
follow, vote, comment, and find similar items while one is being written."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden
from ckhub.feedback import routing
from ckhub.feedback.models import (
    ACCEPTED,
    PENDING,
    FeedbackComment,
    FeedbackFollower,
    FeedbackItem,
    FeedbackSource,
    FeedbackSuggestion,
    FeedbackVote,
)
from ckhub.feedback.requesters import refresh_impact
from ckhub.feedback.workflow import (
    NEW,
    get_item,
    kind_by_key,
    require_manage,
    require_not_merged,
    start_workflow,
    status_by_key,
)
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.knowledge.queries import visible_entry
from ckhub.ml.duplicates import SIMILAR_SHOWN_FROM, nearest, request_text, request_vectors
from ckhub.ml.embedders import Embedder
from ckhub.settings import Settings
from ckhub.timeutil import utcnow

MAX_TITLE = 200
MAX_QUOTE = 2000


@dataclass
class ItemInput:
    title: str
    kind: str = "feature_request"
    description: str = ""
    product_line_id: int | None = None
    issue_type_id: int | None = None
    team_id: int | None = None  # None: routed
    owner_id: int | None = None
    is_public: bool = False
    entry_id: int | None = None  # the entry it comes from: its customer becomes a requester


def _require_writer(viewer: Viewer) -> None:
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()


def _checked_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise Problem("title-required", "An item needs a title.", 422, field="title")
    if len(cleaned) > MAX_TITLE:
        raise Problem("title-too-long", "A title has at most {max} characters.", 422,
                      field="title", max=MAX_TITLE)  # fmt: skip
    return cleaned


def _source_from(
    item_id: int, entry: KnowledgeEntry, viewer: Viewer, quote: str = ""
) -> FeedbackSource:
    words = (quote.strip() or entry.body.strip())[:MAX_QUOTE]
    return FeedbackSource(
        item_id=item_id,
        entry_id=entry.id, customer_id=entry.customer_id, quote=words,
        language=entry.language if entry.language in ("zh", "en") else "zh",
        added_by_id=viewer.user_id,
    )  # fmt: skip


def _settle_suggestion(session: Session, viewer: Viewer, entry_id: int, item_id: int) -> None:
    """An entry made a source by hand settles its waiting suggestion: accepted, for this item
    (so the scan learns from it as from any accepted suggestion)."""
    waiting = session.scalar(
        select(FeedbackSuggestion).where(
            FeedbackSuggestion.entry_id == entry_id, FeedbackSuggestion.status == PENDING
        )
    )
    if waiting is not None:
        waiting.status, waiting.item_id = ACCEPTED, item_id
        waiting.decided_by_id, waiting.decided_at = viewer.user_id, utcnow()


def store_vector(item: FeedbackItem, embedder: Embedder) -> None:
    vector = request_vectors(embedder, [request_text(item.title, item.description)])[0]
    item.vector = np.asarray(vector, np.float32).tobytes()
    item.vector_model = embedder.name


def create_item(
    session: Session, settings: Settings, viewer: Viewer, data: ItemInput, embedder: Embedder
) -> FeedbackItem:
    """A new item in status "new", routed to a team, its creator following it."""
    _require_writer(viewer)
    entry = visible_entry(session, viewer, data.entry_id) if data.entry_id else None
    item = FeedbackItem(
        kind_id=kind_by_key(session, data.kind).id,
        title=_checked_title(data.title),
        description=data.description.strip()[:20000],
        status_id=status_by_key(session, NEW).id,
        product_line_id=data.product_line_id or (entry.product_line_id if entry else None),
        issue_type_id=data.issue_type_id or (entry.issue_type_id if entry else None),
        team_id=data.team_id,
        owner_id=data.owner_id,
        is_public=data.is_public,
        created_by_id=viewer.user_id,
    )
    rule = routing.route(session, item)
    store_vector(item, embedder)
    session.add(item)
    session.flush()
    if entry is not None:
        session.add(_source_from(item.id, entry, viewer))
        _settle_suggestion(session, viewer, entry.id, item.id)
    if viewer.user_id is not None:
        session.add(FeedbackFollower(item_id=item.id, user_id=viewer.user_id))
    start_workflow(session, viewer, item, status_by_key(session, NEW))
    refresh_impact(session, settings, item)
    audit.record(
        session, viewer, "feedback.created", "feedback_item", item.id,
        entry=data.entry_id, rule=rule.id if rule else None,
    )  # fmt: skip
    session.commit()
    return item


def add_source(
    session: Session,
    settings: Settings,
    viewer: Viewer,
    item_id: int,
    entry_id: int,
    quote: str = "",
) -> FeedbackSource:
    """Another entry asks for the same thing: its customer becomes a requester too."""
    _require_writer(viewer)
    item = get_item(session, item_id)
    require_not_merged(item)
    entry = visible_entry(session, viewer, entry_id)
    if session.scalar(
        select(FeedbackSource.id).where(
            FeedbackSource.item_id == item.id, FeedbackSource.entry_id == entry.id
        )
    ):
        raise Problem("source-exists", "This entry is already a source of the item.", 409)
    source = _source_from(item.id, entry, viewer, quote)
    session.add(source)
    _settle_suggestion(session, viewer, entry.id, item.id)
    refresh_impact(session, settings, item)
    audit.record(session, viewer, "feedback.source_added", "feedback_item", item.id,
                 entry=entry.id)  # fmt: skip
    session.commit()
    return source


def _toggle(session: Session, existing: object | None, wanted: bool, new: object) -> None:
    """Make a row (a follow, a vote) exist or not, whichever `wanted` says; idempotent."""
    if wanted and existing is None:
        session.add(new)
    elif not wanted and existing is not None:
        session.delete(existing)
    session.commit()


def set_following(session: Session, viewer: Viewer, item_id: int, following: bool) -> None:
    if not viewer.is_staff or viewer.user_id is None:
        raise forbidden()
    get_item(session, item_id)
    existing = session.get(FeedbackFollower, (item_id, viewer.user_id))
    _toggle(session, existing, following, FeedbackFollower(item_id=item_id, user_id=viewer.user_id))


def has_voted(session: Session, viewer: Viewer, item_id: int) -> bool:
    return viewer.user_id is not None and bool(
        session.scalar(
            select(FeedbackVote.id).where(
                FeedbackVote.item_id == item_id, FeedbackVote.user_id == viewer.user_id
            )
        )
    )


def set_vote(session: Session, viewer: Viewer, item_id: int, voting: bool) -> None:
    """Staff vote for any item; customers for public ones."""
    if viewer.user_id is None:
        raise Problem("signin-required", "Please sign in first.", 401)
    item = get_item(session, item_id)
    if not viewer.is_staff and not item.is_public:
        raise forbidden()
    existing = session.scalar(
        select(FeedbackVote).where(
            FeedbackVote.item_id == item_id, FeedbackVote.user_id == viewer.user_id
        )
    )
    _toggle(session, existing, voting, FeedbackVote(item_id=item_id, user_id=viewer.user_id))


def add_comment(session: Session, viewer: Viewer, item_id: int, body: str) -> FeedbackComment:
    if not viewer.is_staff:
        raise forbidden()
    get_item(session, item_id)
    text = body.strip()
    if not text:
        raise Problem("comment-required", "Write something first.", 422, field="body")
    comment = FeedbackComment(item_id=item_id, author_id=viewer.user_id, body=text[:10000])
    session.add(comment)
    session.commit()
    return comment


def update_item(
    session: Session,
    viewer: Viewer,
    item_id: int,
    *,
    title: str,
    description: str,
    is_public: bool,
    team_id: int | None,
    owner_id: int | None,
    embedder: Embedder,
) -> FeedbackItem:
    item = get_item(session, item_id)
    require_manage(viewer, item)
    text_changed = (item.title, item.description) != (_checked_title(title), description.strip())
    item.title = _checked_title(title)
    item.description = description.strip()[:20000]
    item.is_public, item.team_id, item.owner_id = is_public, team_id, owner_id
    if text_changed:
        store_vector(item, embedder)
    audit.record(session, viewer, "feedback.updated", "feedback_item", item.id, public=is_public)
    session.commit()
    return item


@dataclass(frozen=True)
class SimilarItem:
    item: FeedbackItem
    similarity: float
    is_duplicate: bool  # at or above CKHUB_FEEDBACK_DUPLICATE_THRESHOLD


def _candidates(session: Session, embedder: Embedder) -> tuple[list[int], np.ndarray]:
    """Items that may be asked for again (not merged away): their ids and query vectors. Only
    those two columns: the whole items (descriptions of up to 20,000 characters) are loaded for
    the few that match."""
    rows = session.execute(
        select(FeedbackItem.id, FeedbackItem.vector).where(
            FeedbackItem.merged_into_id.is_(None),
            FeedbackItem.vector_model == embedder.name,
            FeedbackItem.vector.is_not(None),
        )
    ).all()
    if not rows:
        return [], np.zeros((0, 1), np.float32)
    matrix = np.frombuffer(b"".join(row.vector for row in rows), np.float32)
    return [row.id for row in rows], matrix.reshape(len(rows), -1)


def similar_items_for_many(
    session: Session,
    settings: Settings,
    embedder: Embedder,
    texts: list[tuple[str, str]],
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[list[SimilarItem]]:
    """For each (title, description): existing items that may ask for the same thing, most
    similar first. One embedding batch for all (a page of suggestions)."""
    ids, matrix = _candidates(session, embedder)
    if not ids or not texts:
        return [[] for _ in texts]
    vectors = request_vectors(embedder, [request_text(title, more) for title, more in texts])
    floor = min(SIMILAR_SHOWN_FROM, settings.feedback_duplicate_threshold)
    matches = [
        [m for m in nearest(vector, matrix, floor, limit + 1) if ids[m.index] != exclude_id][:limit]
        if title.strip()
        else []
        for (title, _more), vector in zip(texts, vectors, strict=True)
    ]
    wanted = {ids[m.index] for found in matches for m in found}
    items = {
        item.id: item
        for item in session.scalars(select(FeedbackItem).where(FeedbackItem.id.in_(wanted)))
    }
    duplicate_from = settings.feedback_duplicate_threshold
    return [
        [SimilarItem(items[ids[m.index]], m.similarity, m.similarity >= duplicate_from)
         for m in found]
        for found in matches
    ]  # fmt: skip


def similar_items(
    session: Session,
    settings: Settings,
    embedder: Embedder,
    title: str,
    description: str = "",
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[SimilarItem]:
    """Existing items (not merged away) that may ask for the same thing, most similar first."""
    [found] = similar_items_for_many(
        session, settings, embedder, [(title, description)], exclude_id, limit
    )
    return found
