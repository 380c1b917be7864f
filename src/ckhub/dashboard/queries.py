"""Figures for the dashboard, read from the real tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.audit import AuditAction, AuditFilter
from ckhub.auth.models import AuditEvent, AuthSession, Team, User
from ckhub.auth.permissions import Capability, Viewer
from ckhub.jobs.models import Job
from ckhub.jobs.runner import list_jobs
from ckhub.timeutil import utcnow


@dataclass
class WorkspaceFigures:
    users_by_role: dict[str, int]
    teams: int
    active_sessions: int
    failed_signins_24h: int


@dataclass
class Dashboard:
    my_signins: list[AuditEvent]
    figures: WorkspaceFigures | None = None
    audit: list[AuditEvent] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)


def workspace_figures(session: Session) -> WorkspaceFigures:
    now = utcnow()
    roles = session.execute(select(User.role, func.count(User.id)).group_by(User.role)).all()
    live_sessions = select(func.count(AuthSession.id)).where(AuthSession.expires_at > now)
    failed = select(func.count(AuditEvent.id)).where(
        AuditEvent.action == AuditAction.SIGNIN_FAILED, AuditEvent.at >= now - timedelta(days=1)
    )
    return WorkspaceFigures(
        users_by_role={str(role): int(count) for role, count in roles},
        teams=session.scalar(select(func.count(Team.id))) or 0,
        active_sessions=session.scalar(live_sessions) or 0,
        failed_signins_24h=session.scalar(failed) or 0,
    )


def dashboard_for(session: Session, viewer: Viewer) -> Dashboard:
    """For everyone their own recent sign-ins; for admins the workspace and its activity."""
    mine, _ = audit.list_events(session, AuditFilter(action="signin", actor=viewer.username), 5)
    board = Dashboard(my_signins=mine)
    if viewer.can(Capability.VIEW_AUDIT_LOG):
        board.figures = workspace_figures(session)
        board.audit, _ = audit.list_events(session, AuditFilter(), limit=8)
    if viewer.can(Capability.VIEW_JOBS):
        board.jobs = list_jobs(session, limit=5)
    return board
