"""Reading feedback items for the pages and the API: the list (filtered, sorted by impact, due
date or age) and one item with everything around it. Requesters' words are shown only from
entries the viewer may see; a requester whose entry is hidden still counts, without the quote."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from ckhub.auth.models import Team, User
from ckhub.auth.permissions import Viewer
from ckhub.errors import forbidden
from ckhub.feedback.merging import merges_into
from ckhub.feedback.models import (
    FeedbackComment,
    FeedbackFollower,
    FeedbackItem,
    FeedbackKind,
    FeedbackMerge,
    FeedbackStatus,
    FeedbackStatusChange,
    FeedbackVote,
)
from ckhub.feedback.requesters import Requester, requesters_of
from ckhub.feedback.service import has_voted
from ckhub.feedback.workflow import can_manage, get_item, statuses_for
from ckhub.knowledge.queries import visible_entry_ids
from ckhub.timeutil import utcnow

SORTS = {
    "impact": (FeedbackItem.impact.desc(), FeedbackItem.id.desc()),
    "due": (FeedbackItem.due_at.is_(None), FeedbackItem.due_at, FeedbackItem.id),
    "newest": (FeedbackItem.id.desc(),),
    "updated": (FeedbackItem.status_changed_at.desc(), FeedbackItem.id.desc()),
}
STATES = ("open", "closed", "overdue", "all")
PAGE = 200


@dataclass
class ItemFilters:
    state: str = "open"  # see STATES, or a status key
    kind: str = ""
    team_id: int | None = None
    owner_id: int | None = None
    q: str = ""
    sort: str = "impact"

    @classmethod
    def from_params(cls, params: dict[str, str]) -> ItemFilters:
        def number(name: str) -> int | None:
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        sort = params.get("sort", "impact")
        return cls(
            state=params.get("state", "open").strip() or "open",
            kind=params.get("kind", "").strip(),
            team_id=number("team"),
            owner_id=number("owner"),
            q=params.get("q", "").strip()[:200],
            sort=sort if sort in SORTS else "impact",
        )


def _vote_counts() -> Select[int, int]:
    return select(FeedbackVote.item_id, func.count().label("votes")).group_by(FeedbackVote.item_id)


@dataclass
class ItemRow:
    item: FeedbackItem
    kind: FeedbackKind
    status: FeedbackStatus
    votes: int
    team: str
    owner: str

    @property
    def overdue(self) -> bool:
        return self.item.due_at is not None and self.item.due_at < utcnow()


def _with_names(
    session: Session, rows: list[tuple[FeedbackItem, FeedbackKind, FeedbackStatus, int | None]]
) -> list[ItemRow]:
    team_ids = {item.team_id for item, *_ in rows if item.team_id}
    owner_ids = {item.owner_id for item, *_ in rows if item.owner_id}
    teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
    owners = dict(
        session.execute(select(User.id, User.username).where(User.id.in_(owner_ids))).all()
    )
    return [
        ItemRow(item, kind, status, votes or 0,
                teams.get(item.team_id or 0, ""), owners.get(item.owner_id or 0, ""))
        for item, kind, status, votes in rows
    ]  # fmt: skip


def _item_query() -> Select[FeedbackItem, FeedbackKind, FeedbackStatus, int | None]:
    votes = _vote_counts().subquery()
    return (
        select(FeedbackItem, FeedbackKind, FeedbackStatus, votes.c.votes)
        .join(FeedbackKind, FeedbackKind.id == FeedbackItem.kind_id)
        .join(FeedbackStatus, FeedbackStatus.id == FeedbackItem.status_id)
        .outerjoin(votes, votes.c.item_id == FeedbackItem.id)
        .where(FeedbackItem.merged_into_id.is_(None))
    )


def rows_where(
    session: Session, *conditions: ColumnElement[bool], sort: str = "impact", limit: int = PAGE
) -> list[ItemRow]:
    """Items (merged duplicates left out: their target stands for them) matching conditions."""
    query = _item_query().where(*conditions).order_by(*SORTS[sort]).limit(limit)
    return _with_names(session, list(session.execute(query).all()))


def _state_condition(state: str) -> ColumnElement[bool] | None:
    if state == "open":
        return FeedbackStatus.is_closed.is_(False)
    if state == "closed":
        return FeedbackStatus.is_closed.is_(True)
    if state == "overdue":
        return and_(FeedbackItem.due_at < utcnow(), FeedbackStatus.is_closed.is_(False))
    if state != "all":
        return FeedbackStatus.key == state
    return None


def list_items(session: Session, viewer: Viewer, filters: ItemFilters) -> list[ItemRow]:
    if not viewer.is_staff:
        raise forbidden()
    conditions = [c for c in (_state_condition(filters.state),) if c is not None]
    if filters.kind:
        conditions.append(FeedbackKind.key == filters.kind)
    if filters.team_id is not None:
        conditions.append(FeedbackItem.team_id == filters.team_id)
    if filters.owner_id is not None:
        conditions.append(FeedbackItem.owner_id == filters.owner_id)
    if filters.q:
        pattern = f"%{filters.q}%"
        conditions.append(
            or_(FeedbackItem.title.ilike(pattern), FeedbackItem.description.ilike(pattern))
        )
    return rows_where(session, *conditions, sort=filters.sort)


@dataclass
class ShownRequester:
    """A requester as the viewer may see them: the words only from entries they may read."""

    customer_id: int
    name: str
    tier_weight: float | None
    quotes: list[tuple[int | None, str, datetime]]  # (entry id, words, when)
    hidden_quotes: int


@dataclass
class ItemView:
    row: ItemRow
    requesters: list[ShownRequester]
    history: list[tuple[FeedbackStatusChange, str, str]]  # change, from name, to name
    comments: list[tuple[FeedbackComment, str]]
    merges: list[tuple[FeedbackMerge, str]]  # merged into this one, with the duplicate's title
    merged_into: FeedbackItem | None
    followers: list[str]
    statuses: list[FeedbackStatus]
    following: bool
    voted: bool
    can_manage: bool
    status_names: dict[int, FeedbackStatus] = field(default_factory=dict)


def _shown(session: Session, viewer: Viewer, requesters: list[Requester]) -> list[ShownRequester]:
    entry_ids = {q.entry_id for r in requesters for q in r.quotes if q.entry_id is not None}
    readable = visible_entry_ids(session, viewer, entry_ids)
    shown = []
    for requester in requesters:
        # Words given without an entry (a customer's vote on the roadmap) are theirs to show.
        quotes = [
            (q.entry_id, q.quote, q.created_at)
            for q in requester.quotes
            if q.quote.strip() and (q.entry_id is None or q.entry_id in readable)
        ]
        hidden = sum(1 for q in requester.quotes if q.entry_id and q.entry_id not in readable)
        customer = requester.customer
        shown.append(ShownRequester(customer.customer_id, customer.name,
                                    customer.tier_weight, quotes, hidden))  # fmt: skip
    return shown


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all())


def item_view(session: Session, viewer: Viewer, item_id: int) -> ItemView:
    if not viewer.is_staff:
        raise forbidden()
    item = get_item(session, item_id)
    [(kind, status, votes)] = session.execute(
        select(FeedbackKind, FeedbackStatus, func.count(FeedbackVote.id))
        .select_from(FeedbackItem)
        .join(FeedbackKind, FeedbackKind.id == FeedbackItem.kind_id)
        .join(FeedbackStatus, FeedbackStatus.id == FeedbackItem.status_id)
        .outerjoin(FeedbackVote, FeedbackVote.item_id == FeedbackItem.id)
        .where(FeedbackItem.id == item_id)
        .group_by(FeedbackKind.id, FeedbackStatus.id)
    ).all()
    [row] = _with_names(session, [(item, kind, status, votes)])
    all_statuses = {s.id: s for s in session.scalars(select(FeedbackStatus))}
    changes = session.scalars(
        select(FeedbackStatusChange)
        .where(FeedbackStatusChange.item_id == item_id)
        .order_by(FeedbackStatusChange.changed_at, FeedbackStatusChange.id)
    ).all()
    comments = session.scalars(
        select(FeedbackComment)
        .where(FeedbackComment.item_id == item_id)
        .order_by(FeedbackComment.created_at, FeedbackComment.id)
    ).all()
    follower_ids = set(
        session.scalars(select(FeedbackFollower.user_id).where(FeedbackFollower.item_id == item_id))
    )
    names = _names(session, follower_ids | {c.author_id for c in comments if c.author_id})
    merges = merges_into(session, item_id)
    titles = dict(
        session.execute(
            select(FeedbackItem.id, FeedbackItem.title).where(
                FeedbackItem.id.in_({m.source_id for m in merges})
            )
        ).all()
    )

    def name_of(status_id: int | None) -> str:
        found = all_statuses.get(status_id or 0)
        return found.key if found else ""

    return ItemView(
        row=row,
        requesters=_shown(session, viewer, requesters_of(session, item_id)),
        history=[(c, name_of(c.from_status_id), name_of(c.to_status_id)) for c in changes],
        comments=[(c, names.get(c.author_id or 0, "—")) for c in comments],
        merges=[(m, titles.get(m.source_id, "")) for m in merges],
        merged_into=session.get(FeedbackItem, item.merged_into_id) if item.merged_into_id else None,
        followers=sorted(names[u] for u in follower_ids if u in names),
        statuses=statuses_for(session, item.team_id),
        following=viewer.user_id in follower_ids,
        voted=has_voted(session, viewer, item_id),
        can_manage=can_manage(viewer, item),
        status_names=all_statuses,
    )
