"""Every write to users and teams, with its rules and audit records."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ckhub.auth import audit
from ckhub.auth.audit import AuditAction
from ckhub.auth.models import ApiToken, AuthSession, Team, TeamMember, User
from ckhub.auth.passwords import hash_password, verify_password
from ckhub.auth.permissions import Capability, Role, Viewer
from ckhub.errors import Problem, forbidden, not_found
from ckhub.i18n_marker import N_
from ckhub.timeutil import utcnow

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _require(viewer: Viewer, capability: Capability) -> None:
    if not viewer.can(capability):
        raise forbidden()


def _clean_username(username: str) -> str:
    cleaned = username.strip().lower()
    if not USERNAME_PATTERN.match(cleaned):
        raise Problem(
            "invalid-username",
            "A username is 2–64 characters: lower-case letters, digits, dot, dash or underscore.",
            422,
        )
    return cleaned


def _clean_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    cleaned = email.strip().lower()
    if not EMAIL_PATTERN.match(cleaned):
        raise Problem("invalid-email", "“{email}” is not a valid e-mail address.", 422, email=email)
    return cleaned


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise Problem(
            "invalid-role",
            "Unknown role “{role}”; choose one of: {choices}.",
            422,
            role=value,
            choices=", ".join(role.value for role in Role),
        ) from None


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise not_found(N_("User"))
    return user


def find_user_by_login(session: Session, login: str) -> User | None:
    """The user whose username or e-mail is `login` (case-insensitive)."""
    cleaned = login.strip().lower()
    if not cleaned:
        return None
    return session.scalar(select(User).where(or_(User.username == cleaned, User.email == cleaned)))


def team_ids_of(session: Session, user_id: int) -> frozenset[int]:
    rows = session.scalars(select(TeamMember.team_id).where(TeamMember.user_id == user_id))
    return frozenset(rows.all())


def viewer_for(session: Session, user: User, ip: str | None = None) -> Viewer:
    return Viewer(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        team_ids=team_ids_of(session, user.id),
        ip=ip,
    )


def create_user(
    session: Session,
    viewer: Viewer,
    *,
    username: str,
    password: str,
    role: Role | str,
    display_name: str = "",
    email: str | None = None,
    team_ids: Iterable[int] = (),
) -> User:
    _require(viewer, Capability.MANAGE_USERS)
    role = parse_role(role) if isinstance(role, str) else role
    cleaned = _clean_username(username)
    cleaned_email = _clean_email(email)
    if find_user_by_login(session, cleaned) or (
        cleaned_email and find_user_by_login(session, cleaned_email)
    ):
        raise Problem("user-exists", "A user with this username or e-mail already exists.", 409)
    user = User(
        username=cleaned,
        email=cleaned_email,
        display_name=display_name.strip() or cleaned,
        password_hash=hash_password(password),
        role=role.value,
    )
    session.add(user)
    session.flush()
    for team_id in team_ids:
        session.add(TeamMember(team_id=team_id, user_id=user.id))
    audit.record(
        session,
        viewer,
        AuditAction.USER_CREATED,
        "user",
        user.id,
        username=cleaned,
        role=role.value,
    )
    session.commit()
    return user


def set_role(session: Session, viewer: Viewer, user_id: int, role: Role | str) -> User:
    _require(viewer, Capability.MANAGE_USERS)
    role = parse_role(role) if isinstance(role, str) else role
    user = get_user(session, user_id)
    if user.id == viewer.user_id and role is not Role.ADMIN:
        raise Problem("own-role", "You cannot remove your own administrator role.", 409)
    old = user.role
    if old == role.value:
        return user
    user.role = role.value
    audit.record(
        session,
        viewer,
        AuditAction.ROLE_CHANGED,
        "user",
        user.id,
        username=user.username,
        old=old,
        new=role.value,
    )
    session.commit()
    return user


def set_active(session: Session, viewer: Viewer, user_id: int, active: bool) -> User:
    _require(viewer, Capability.MANAGE_USERS)
    user = get_user(session, user_id)
    if user.id == viewer.user_id and not active:
        raise Problem("own-account", "You cannot deactivate your own account.", 409)
    if user.is_active == active:
        return user
    user.is_active = active
    if not active:
        _end_all_access(session, user.id)
    action = AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED
    audit.record(session, viewer, action, "user", user.id, username=user.username)
    session.commit()
    return user


def update_profile(
    session: Session,
    viewer: Viewer,
    user_id: int,
    *,
    display_name: str | None = None,
    email: str | None = None,
    locale: str | None = None,
    timezone: str | None = None,
) -> User:
    """Users edit their own profile; user managers edit anyone's."""
    if viewer.user_id != user_id:
        _require(viewer, Capability.MANAGE_USERS)
    user = get_user(session, user_id)
    changed: dict[str, str | None] = {}
    if display_name is not None and display_name.strip() != user.display_name:
        user.display_name = changed["display_name"] = display_name.strip() or user.username
    if email is not None:
        cleaned = _clean_email(email)
        if cleaned != user.email:
            other = find_user_by_login(session, cleaned) if cleaned else None
            if other is not None and other.id != user.id:
                raise Problem("user-exists", "Another user already has this e-mail address.", 409)
            user.email = changed["email"] = cleaned
    if locale is not None:
        user.locale = locale or None
    if timezone is not None:
        user.timezone = timezone or None
    if changed:
        audit.record(
            session, viewer, AuditAction.USER_UPDATED, "user", user.id, fields=sorted(changed)
        )
    session.commit()
    return user


def change_password(
    session: Session, viewer: Viewer, current_password: str, new_password: str
) -> None:
    """A signed-in user changes their own password; other sessions and tokens stay valid."""
    if viewer.user_id is None:
        raise forbidden()
    user = get_user(session, viewer.user_id)
    if not verify_password(user.password_hash, current_password):
        raise Problem("wrong-password", "The current password is not correct.", 422)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    audit.record(session, viewer, AuditAction.PASSWORD_CHANGED, "user", user.id)
    session.commit()


def reset_password(session: Session, viewer: Viewer, user_id: int, new_password: str) -> User:
    """An administrator sets a new password; the user's sessions end."""
    _require(viewer, Capability.MANAGE_USERS)
    user = get_user(session, user_id)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    _end_all_access(session, user.id, tokens=False)
    audit.record(
        session, viewer, AuditAction.PASSWORD_RESET, "user", user.id, username=user.username
    )
    session.commit()
    return user


def _end_all_access(session: Session, user_id: int, tokens: bool = True) -> None:
    for auth_session in session.scalars(select(AuthSession).where(AuthSession.user_id == user_id)):
        session.delete(auth_session)
    if tokens:
        now = utcnow()
        live = select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        for token in session.scalars(live):
            token.revoked_at = now


def list_users(session: Session, search: str = "", role: str = "") -> list[User]:
    query = select(User).options(selectinload(User.memberships).selectinload(TeamMember.team))
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                User.username.like(pattern),
                func.lower(User.display_name).like(pattern),
                User.email.like(pattern),
            )
        )
    if role:
        query = query.where(User.role == role)
    return list(session.scalars(query.order_by(User.username)).all())


def active_staff(session: Session) -> list[User]:
    """Active staff users (not customers), by username: who may own or be assigned work."""
    return list(
        session.scalars(
            select(User)
            .where(User.is_active.is_(True), User.role != Role.CUSTOMER.value)
            .order_by(User.username)
        )
    )


def active_members(session: Session, team_id: int) -> list[User]:
    """The team's active members: who gets the team's reports and digests."""
    return list(
        session.scalars(
            select(User)
            .join(TeamMember, TeamMember.user_id == User.id)
            .where(TeamMember.team_id == team_id, User.is_active.is_(True))
        )
    )


def create_team(session: Session, viewer: Viewer, name: str, description: str = "") -> Team:
    _require(viewer, Capability.MANAGE_TEAMS)
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 128:
        raise Problem("invalid-team-name", "A team name is 1–128 characters.", 422)
    if session.scalar(select(Team).where(func.lower(Team.name) == cleaned.lower())):
        raise Problem("team-exists", "A team named “{name}” already exists.", 409, name=cleaned)
    team = Team(name=cleaned, description=description.strip())
    session.add(team)
    session.flush()
    audit.record(session, viewer, AuditAction.TEAM_CREATED, "team", team.id, name=cleaned)
    session.commit()
    return team


def set_team_members(
    session: Session,
    viewer: Viewer,
    team_id: int,
    member_ids: Iterable[int],
    lead_ids: Iterable[int] = (),
) -> Team:
    """Replace a team's members; leads must be members."""
    _require(viewer, Capability.MANAGE_TEAMS)
    team = session.get(Team, team_id)
    if team is None:
        raise not_found(N_("Team"))
    members = set(member_ids)
    leads = set(lead_ids) & members
    existing = set(session.scalars(select(User.id).where(User.id.in_(members))))
    if missing := members - existing:
        raise Problem("unknown-user", "Unknown user ids: {ids}.", 422, ids=sorted(missing))
    before = {m.user_id: m.is_lead for m in team.members}
    team.members = [TeamMember(user_id=uid, is_lead=uid in leads) for uid in sorted(members)]
    after = {uid: uid in leads for uid in members}
    if before != after:
        audit.record(
            session,
            viewer,
            AuditAction.TEAM_MEMBERS_CHANGED,
            "team",
            team.id,
            members=sorted(members),
            leads=sorted(leads),
        )
    session.commit()
    return team


def list_teams(session: Session) -> list[Team]:
    query = select(Team).options(selectinload(Team.members).selectinload(TeamMember.user))
    return list(session.scalars(query.order_by(Team.name)).all())


def get_team_by_name(session: Session, name: str) -> Team | None:
    return session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))


def leads_of(session: Session, user_id: int) -> list[int]:
    """The leads of the teams a user belongs to (not the user): who hears escalations."""
    teams = team_ids_of(session, user_id)
    return sorted(
        set(
            session.scalars(
                select(TeamMember.user_id).where(
                    TeamMember.team_id.in_(teams),
                    TeamMember.is_lead.is_(True),
                    TeamMember.user_id != user_id,
                )
            )
        )
    )
