"""Roles, capabilities and content visibility: the permission model every area reuses.

A `Viewer` is who is asking. Areas ask `viewer.can(Capability.X)` for actions, and build their
queries with `visibility_clause(viewer, …)` so that what a viewer may not see never leaves the
database (DESIGN.md rule 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import InstrumentedAttribute


class Role(StrEnum):
    ADMIN = "admin"
    KNOWLEDGE_MANAGER = "knowledge_manager"
    AGENT = "agent"
    EMPLOYEE = "employee"
    CUSTOMER = "customer"

    @property
    def is_staff(self) -> bool:
        return self is not Role.CUSTOMER


class Capability(StrEnum):
    STAFF_AREA = "staff_area"  # internal pages and dashboards
    MANAGE_USERS = "manage_users"  # create users, change roles, reset passwords
    MANAGE_TEAMS = "manage_teams"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_JOBS = "view_jobs"
    READ_ALL_TEAMS = "read_all_teams"  # team-restricted content of every team
    MANAGE_KNOWLEDGE = "manage_knowledge"  # taxonomy, publishing, review assignment
    WRITE_KNOWLEDGE = "write_knowledge"  # create and edit entries and drafts
    HANDLE_CUSTOMERS = "handle_customers"  # conversations, handoffs, customer contact data
    USE_API = "use_api"
    VIEW_OUTBOX = "view_outbox"  # outgoing messages (they hold customers' contact data)


_STAFF = {Capability.STAFF_AREA, Capability.USE_API}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.KNOWLEDGE_MANAGER: frozenset(
        _STAFF
        | {
            Capability.READ_ALL_TEAMS,
            Capability.MANAGE_KNOWLEDGE,
            Capability.WRITE_KNOWLEDGE,
            Capability.VIEW_JOBS,
        }
    ),
    Role.AGENT: frozenset(_STAFF | {Capability.WRITE_KNOWLEDGE, Capability.HANDLE_CUSTOMERS}),
    Role.EMPLOYEE: frozenset(_STAFF | {Capability.WRITE_KNOWLEDGE}),
    Role.CUSTOMER: frozenset({Capability.USE_API}),
}


class Visibility(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    CUSTOMERS = "customers"  # signed-in customers and all staff
    INTERNAL = "internal"  # all staff
    TEAM = "team"  # the owning team, plus roles that read all teams


@dataclass(frozen=True)
class Viewer:
    """Who is acting: a signed-in user, an anonymous visitor, or the system (CLI, jobs)."""

    user_id: int | None
    username: str
    role: Role | None
    team_ids: frozenset[int] = field(default_factory=frozenset)
    ip: str | None = None

    @classmethod
    def anonymous(cls, ip: str | None = None) -> Viewer:
        return cls(user_id=None, username="anonymous", role=None, ip=ip)

    @classmethod
    def system(cls, name: str = "system") -> Viewer:
        return cls(user_id=None, username=name, role=Role.ADMIN)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_staff(self) -> bool:
        return self.role is not None and self.role.is_staff

    def can(self, capability: Capability) -> bool:
        return self.role is not None and capability in ROLE_CAPABILITIES[self.role]


def visible_levels(viewer: Viewer) -> list[Visibility]:
    """The visibility levels a viewer sees without any team condition."""
    if viewer.is_staff:
        return [Visibility.PUBLIC, Visibility.CUSTOMERS, Visibility.INTERNAL]
    if viewer.role is Role.CUSTOMER:
        return [Visibility.PUBLIC, Visibility.CUSTOMERS]
    return [Visibility.PUBLIC]


def visibility_scope(viewer: Viewer) -> str:
    """A name for what visibility_clause lets the viewer see: two viewers with the same scope see
    exactly the same rows (used to share computed results between them)."""
    if viewer.can(Capability.READ_ALL_TEAMS):
        return "all"
    levels = ",".join(level.value for level in visible_levels(viewer))
    teams = ",".join(str(team) for team in sorted(viewer.team_ids)) if viewer.is_staff else ""
    return f"{levels};teams={teams}"


def visibility_clause(
    viewer: Viewer,
    visibility: InstrumentedAttribute[str],
    team_id: InstrumentedAttribute[int | None] | None = None,
) -> ColumnElement[bool]:
    """A WHERE condition: rows with this visibility (and owning team) that the viewer may see."""
    if viewer.can(Capability.READ_ALL_TEAMS):
        return true()
    condition = visibility.in_([level.value for level in visible_levels(viewer)])
    if viewer.is_staff and team_id is not None and viewer.team_ids:
        team_rows = (visibility == Visibility.TEAM.value) & team_id.in_(sorted(viewer.team_ids))
        return or_(condition, team_rows)
    return condition
