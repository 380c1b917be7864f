"""Recording and reading the audit log of sensitive actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ckhub.auth.models import AuditEvent
from ckhub.auth.permissions import Viewer


class AuditAction:
    """The actions ckhub records. Strings, so later areas can add their own."""

    SIGNIN_SUCCEEDED = "signin.succeeded"
    SIGNIN_FAILED = "signin.failed"
    SIGNIN_THROTTLED = "signin.throttled"
    SIGNOUT = "signout"
    PASSWORD_CHANGED = "password.changed"
    PASSWORD_RESET = "password.reset"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    ROLE_CHANGED = "user.role_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    TEAM_CREATED = "team.created"
    TEAM_MEMBERS_CHANGED = "team.members_changed"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    EXPORT = "export"
    DELETION = "deletion"


def record(
    session: Session,
    viewer: Viewer,
    action: str,
    target_type: str | None = None,
    target_id: object | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the caller's transaction (the caller commits)."""
    event = AuditEvent(
        actor_id=viewer.user_id,
        actor_name=viewer.username,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        ip=viewer.ip,
        details=details,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(query: Select[Any], criteria: AuditFilter) -> Select[Any]:
    if criteria.action:
        query = query.where(AuditEvent.action.startswith(criteria.action))
    if criteria.actor:
        query = query.where(AuditEvent.actor_name == criteria.actor.strip().lower())
    if criteria.since:
        query = query.where(AuditEvent.at >= criteria.since)
    if criteria.until:
        query = query.where(AuditEvent.at < criteria.until)
    return query


def list_events(
    session: Session, criteria: AuditFilter, limit: int = 50, offset: int = 0
) -> tuple[list[AuditEvent], int]:
    """Newest first, with the total count for paging."""
    total = session.scalar(_filtered(select(func.count(AuditEvent.id)), criteria)) or 0
    rows = session.scalars(
        _filtered(select(AuditEvent), criteria)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def export_events(
    session: Session, viewer: Viewer, criteria: AuditFilter, limit: int, offset: int
) -> list[AuditEvent]:
    """Events handed out through the API, newest first; the hand-out is itself recorded (who
    took a copy of the audit log, and how much of it)."""
    events, _total = list_events(session, criteria, limit, offset)
    record(session, viewer, AuditAction.EXPORT, "audit_log", None, count=len(events))
    session.commit()
    return events


def known_actions(session: Session) -> list[str]:
    return sorted(session.scalars(select(AuditEvent.action).distinct()).all())
