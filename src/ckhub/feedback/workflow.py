"""The workflow: kinds and statuses, who may move an item, and moving it (with its history,
its next due date, the followers' notifications and the requesters' messages)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.models import TeamMember
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden, not_found
from ckhub.feedback.models import (
    FeedbackFollower,
    FeedbackItem,
    FeedbackKind,
    FeedbackStatus,
    FeedbackStatusChange,
)
from ckhub.i18n_marker import N_
from ckhub.notify.inbox import notify_user
from ckhub.settings import Settings
from ckhub.timeutil import utcnow

STATUS_CHANGED = "feedback.status"
NEW, DUPLICATE = "new", "duplicate"


def kinds(session: Session, active_only: bool = True) -> list[FeedbackKind]:
    query = select(FeedbackKind).order_by(FeedbackKind.position, FeedbackKind.id)
    if active_only:
        query = query.where(FeedbackKind.is_active.is_(True))
    return list(session.scalars(query))


def kind_by_key(session: Session, key: str) -> FeedbackKind:
    kind = session.scalar(select(FeedbackKind).where(FeedbackKind.key == key.strip()))
    if kind is None or not kind.is_active:
        raise Problem("unknown-kind", "There is no feedback kind “{kind}”.", 422, kind=key)
    return kind


def _checked_key(key: str) -> str:
    cleaned = key.strip().lower()
    if not cleaned.replace("_", "").isalnum() or len(cleaned) > 32:
        raise Problem("invalid-key", "A key is letters, digits and _ (at most 32).", 422)
    return cleaned


def _checked_due_days(due_days: int | None) -> int | None:
    if due_days is not None and not 0 < due_days <= 3650:
        raise Problem("invalid-due-days", "Due days are a number from 1 to 3650.", 422)
    return due_days


def add_kind(
    session: Session, viewer: Viewer, *, key: str, name_zh: str, name_en: str
) -> FeedbackKind:
    """A workspace's own kind of feedback (e.g. "documentation")."""
    require_manager(viewer)
    cleaned = _checked_key(key)
    if session.scalar(select(FeedbackKind.id).where(FeedbackKind.key == cleaned)):
        raise Problem("duplicate-key", "The key “{key}” is already used.", 409, key=cleaned)
    last = max((kind.position for kind in kinds(session, active_only=False)), default=0)
    kind = FeedbackKind(key=cleaned, name_zh=name_zh.strip() or cleaned,
                        name_en=name_en.strip() or cleaned, position=last + 1)  # fmt: skip
    session.add(kind)
    session.flush()
    audit.record(session, viewer, "feedback.kind_added", "feedback_kind", kind.id)
    session.commit()
    return kind


def set_kind_active(session: Session, viewer: Viewer, kind_id: int, active: bool) -> None:
    """Retire a kind (its items keep it; new items cannot take it) or bring it back."""
    require_manager(viewer)
    kind = session.get(FeedbackKind, kind_id)
    if kind is None:
        raise not_found(N_("Kind"))
    kind.is_active = active
    audit.record(session, viewer, "feedback.kind_changed", "feedback_kind", kind.id, active=active)
    session.commit()


def set_due_days(session: Session, viewer: Viewer, status_id: int, due_days: int | None) -> None:
    """How long an item may stay in a status before its owner is reminded (None: no limit).
    Items already in the status keep their due date until they move."""
    status = session.get(FeedbackStatus, status_id)
    if status is None:
        raise not_found(N_("Status"))
    if not viewer.can(Capability.MANAGE_KNOWLEDGE) and (
        status.team_id is None or status.team_id not in viewer.team_ids
    ):
        raise forbidden()
    status.due_days = _checked_due_days(due_days)
    audit.record(session, viewer, "feedback.due_days_changed", "feedback_status", status.id,
                 due_days=due_days)  # fmt: skip
    session.commit()


def statuses_for(session: Session, team_id: int | None) -> list[FeedbackStatus]:
    """The statuses an item of this team may take: the built-in and shared ones, and the
    team's own."""
    return list(
        session.scalars(
            select(FeedbackStatus)
            .where(or_(FeedbackStatus.team_id.is_(None), FeedbackStatus.team_id == team_id))
            .order_by(FeedbackStatus.position, FeedbackStatus.id)
        )
    )


def status_by_key(session: Session, key: str) -> FeedbackStatus:
    status = session.scalar(select(FeedbackStatus).where(FeedbackStatus.key == key.strip()))
    if status is None:
        raise Problem("unknown-status", "There is no status “{name}”.", 422, name=key)
    return status


def add_status(
    session: Session,
    viewer: Viewer,
    *,
    key: str,
    name_zh: str,
    name_en: str,
    team_id: int | None,
    due_days: int | None = None,
    is_closed: bool = False,
    tells_requesters: bool = False,
) -> FeedbackStatus:
    """A team's own step (e.g. "in beta"); knowledge managers may add shared ones too."""
    shared = team_id is None
    if not viewer.can(Capability.MANAGE_KNOWLEDGE) and (shared or team_id not in viewer.team_ids):
        raise forbidden()
    cleaned = _checked_key(key)
    if session.scalar(select(FeedbackStatus.id).where(FeedbackStatus.key == cleaned)):
        raise Problem("duplicate-key", "The key “{key}” is already used.", 409, key=cleaned)
    _checked_due_days(due_days)
    last = max((s.position for s in statuses_for(session, team_id)), default=0)
    status = FeedbackStatus(
        key=cleaned, name_zh=name_zh.strip() or cleaned, name_en=name_en.strip() or cleaned,
        position=last + 1, is_closed=is_closed, due_days=due_days,
        tells_requesters=tells_requesters, team_id=team_id,
    )  # fmt: skip
    session.add(status)
    session.flush()
    audit.record(session, viewer, "feedback.status_added", "feedback_status", status.id)
    session.commit()
    return status


def status_name(status: FeedbackStatus) -> str:
    """Both names, for text written before the reader's language is known (notifications)."""
    return (
        status.name_zh
        if status.name_zh == status.name_en
        else f"{status.name_zh} / {status.name_en}"
    )


def require_manager(viewer: Viewer) -> None:
    """Workspace-wide feedback settings (rules, webhooks, shared statuses) are for knowledge
    managers."""
    if not viewer.can(Capability.MANAGE_KNOWLEDGE):
        raise forbidden()


def delete_setting(
    session: Session, viewer: Viewer, model: type[Any], row_id: int, what: str, action: str
) -> None:
    """Remove one row of the feedback settings (a routing rule, a webhook), audited."""
    require_manager(viewer)
    row = session.get(model, row_id)
    if row is None:
        raise not_found(what)
    audit.record(session, viewer, action, model.__tablename__, row_id)
    session.delete(row)
    session.commit()


def can_manage(viewer: Viewer, item: FeedbackItem) -> bool:
    """Knowledge managers manage every item; writers the items of their teams, the ones they
    own, and those no team has yet."""
    if viewer.can(Capability.MANAGE_KNOWLEDGE):
        return True
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        return False
    return (
        item.team_id is None
        or item.team_id in viewer.team_ids
        or (item.owner_id is not None and item.owner_id == viewer.user_id)
    )


def require_manage(viewer: Viewer, item: FeedbackItem) -> None:
    if not can_manage(viewer, item):
        raise forbidden()


def require_not_merged(item: FeedbackItem) -> None:
    """A merged item only points to its target: changes go to the target."""
    if item.merged_into_id is not None:
        raise Problem("merged-item", "#{id} was merged into #{target}: change that one.", 409,
                      id=item.id, target=item.merged_into_id)  # fmt: skip


def get_item(session: Session, item_id: int) -> FeedbackItem:
    item = session.get(FeedbackItem, item_id)
    if item is None:
        raise not_found(N_("Feedback item"))
    return item


def start_workflow(
    session: Session, viewer: Viewer, item: FeedbackItem, status: FeedbackStatus
) -> None:
    """A new item's first status, with its due date and the first line of its history."""
    _record_move(session, viewer, item, status, from_status_id=None)


def _record_move(
    session: Session,
    viewer: Viewer,
    item: FeedbackItem,
    status: FeedbackStatus,
    from_status_id: int | None,
    note: str = "",
) -> FeedbackStatusChange:
    """The history line of a move, and the item's new status and due date."""
    now = utcnow()
    change = FeedbackStatusChange(
        item_id=item.id, from_status_id=from_status_id, to_status_id=status.id,
        changed_by_id=viewer.user_id, changed_by_name=viewer.username, changed_at=now,
        note=note.strip()[:4000],
    )  # fmt: skip
    session.add(change)
    item.status_id = status.id
    item.status_changed_at = now
    item.due_at = now + timedelta(days=status.due_days) if status.due_days else None
    item.reminded_at = item.escalated_at = None
    return change


def set_status(
    session: Session,
    settings: Settings,
    viewer: Viewer,
    item: FeedbackItem,
    status: FeedbackStatus,
    note: str = "",
) -> FeedbackStatusChange:
    """Move the item (no permission check, no commit: the callers do both) and tell the
    followers; reaching a status that tells requesters queues their messages."""
    if status.team_id is not None and status.team_id != item.team_id:
        raise Problem("status-of-other-team", "This status belongs to another team.", 422)
    change = _record_move(session, viewer, item, status, item.status_id, note)
    session.flush()
    for user_id in followers_of(session, item.id):
        if user_id == viewer.user_id:
            continue
        notify_user(
            session, settings, user_id, category=STATUS_CHANGED,
            subject=N_("#{id} {title}: {status}"),
            body=N_("{who} moved “{title}” to {status}. {note}"),
            link=f"/feedback/{item.id}", dedup_key=f"{STATUS_CHANGED}|{change.id}",
            id=item.id, title=item.title, status=status_name(status), who=viewer.username,
            note=change.note,
        )  # fmt: skip
    # Imported here: telling and hooks need the requesters, which need this module's lookups.
    from ckhub.feedback.hooks import queue_status_hooks
    from ckhub.feedback.telling import tell_requesters

    if status.tells_requesters:
        tell_requesters(session, settings, item, status, change.note)
    link = f"{settings.base_url.rstrip('/')}/feedback/{item.id}"
    queue_status_hooks(session, item, status, change.id, link)
    audit.record(
        session, viewer, "feedback.status_changed", "feedback_item", item.id,
        status=status.key, note=bool(change.note),
    )  # fmt: skip
    return change


def change_status(
    session: Session,
    settings: Settings,
    viewer: Viewer,
    item_id: int,
    status_key: str,
    note: str = "",
) -> FeedbackStatusChange:
    """Someone who manages the item moves it to another status, with an optional note (for a
    shipped item: what changed — the requesters read it)."""
    item = get_item(session, item_id)
    require_manage(viewer, item)
    require_not_merged(item)
    status = status_by_key(session, status_key)
    if status.id == item.status_id:
        raise Problem("same-status", "The item already has this status.", 409)
    if status.key == DUPLICATE:
        raise Problem("merge-instead", "Merge the item into the one it duplicates.", 422)
    change = set_status(session, settings, viewer, item, status, note)
    session.commit()
    return change


def followers_of(session: Session, item_id: int) -> list[int]:
    return list(
        session.scalars(
            select(FeedbackFollower.user_id)
            .where(FeedbackFollower.item_id == item_id)
            .order_by(FeedbackFollower.user_id)
        )
    )


def team_leads(session: Session, team_id: int | None) -> list[int]:
    if team_id is None:
        return []
    return list(
        session.scalars(
            select(TeamMember.user_id).where(
                TeamMember.team_id == team_id, TeamMember.is_lead.is_(True)
            )
        )
    )
