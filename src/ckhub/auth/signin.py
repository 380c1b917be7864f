"""Signing in and out: password check, throttling, browser sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.audit import AuditAction
from ckhub.auth.credentials import digest, new_secret
from ckhub.auth.models import AuthSession, SigninAttempt, User
from ckhub.auth.passwords import hash_password, needs_rehash, verify_password
from ckhub.auth.permissions import Viewer
from ckhub.auth.service import find_user_by_login, viewer_for
from ckhub.errors import Problem
from ckhub.settings import Settings
from ckhub.timeutil import utcnow

# How often a session's last-seen time is written: once a minute, not on every request.
_TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    user: User
    viewer: Viewer
    session_token: str  # the cookie value; only its digest is stored


def _recent_failures(session: Session, settings: Settings, login: str, ip: str) -> tuple[int, int]:
    since = utcnow() - timedelta(minutes=settings.signin_throttle_minutes)
    failed = select(func.count(SigninAttempt.id)).where(
        SigninAttempt.at >= since, SigninAttempt.succeeded.is_(False)
    )
    by_login = session.scalar(failed.where(SigninAttempt.login == login)) or 0
    by_ip = session.scalar(failed.where(SigninAttempt.ip == ip)) or 0
    return by_login, by_ip


def authenticate(
    session: Session,
    settings: Settings,
    login: str,
    password: str,
    ip: str,
    user_agent: str = "",
) -> SignedIn:
    """Check the credentials and open a session, or raise a Problem saying why not.

    Failures are throttled per account and per IP. The error for an unknown user and a wrong
    password is the same, so the form does not reveal which accounts exist.
    """
    user = find_user_by_login(session, login)
    # Count failures per account, whether it was named by username or e-mail address.
    cleaned = user.username if user else login.strip().lower()[:254]
    anonymous = Viewer(user_id=None, username=cleaned or "(empty)", role=None, ip=ip)
    by_login, by_ip = _recent_failures(session, settings, cleaned, ip)
    if (
        by_login >= settings.signin_max_failures_per_account
        or by_ip >= settings.signin_max_failures_per_ip
    ):
        audit.record(session, anonymous, AuditAction.SIGNIN_THROTTLED, "login", cleaned)
        session.commit()
        raise Problem(
            "signin-throttled",
            "Too many failed sign-ins. Wait {minutes} minutes and try again.",
            429,
            minutes=settings.signin_throttle_minutes,
        )
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.is_active:
        session.add(SigninAttempt(login=cleaned, ip=ip, succeeded=False))
        reason = "unknown-user" if user is None else "inactive" if password_ok else "bad-password"
        audit.record(session, anonymous, AuditAction.SIGNIN_FAILED, "login", cleaned, reason=reason)
        session.commit()
        raise Problem("invalid-credentials", "The username or password is not correct.", 401)

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = new_secret()
    now = utcnow()
    session.add(
        AuthSession(
            token_hash=digest(token),
            user_id=user.id,
            expires_at=now + timedelta(hours=settings.session_hours),
            ip=ip,
            user_agent=user_agent[:255],
        )
    )
    session.add(SigninAttempt(login=cleaned, ip=ip, succeeded=True))
    user.last_login_at = now
    viewer = viewer_for(session, user, ip)
    audit.record(session, viewer, AuditAction.SIGNIN_SUCCEEDED, "user", user.id)
    session.commit()
    return SignedIn(user=user, viewer=viewer, session_token=token)


def resolve_session(
    session: Session, settings: Settings, token: str, ip: str | None
) -> tuple[User, Viewer] | None:
    """The user behind a session cookie, sliding its expiry while it is used."""
    auth_session = session.scalar(
        select(AuthSession).where(AuthSession.token_hash == digest(token))
    )
    now = utcnow()
    if auth_session is None or auth_session.expires_at <= now:
        return None
    user = session.get(User, auth_session.user_id)
    if user is None or not user.is_active:
        return None
    if now - auth_session.last_seen_at >= _TOUCH_INTERVAL:
        auth_session.last_seen_at = now
        auth_session.expires_at = now + timedelta(hours=settings.session_hours)
        session.commit()
    return user, viewer_for(session, user, ip)


def sign_out(session: Session, viewer: Viewer, token: str) -> None:
    session.execute(delete(AuthSession).where(AuthSession.token_hash == digest(token)))
    if viewer.user_id is not None:
        audit.record(session, viewer, AuditAction.SIGNOUT, "user", viewer.user_id)
    session.commit()


def purge_expired_sessions(session: Session, settings: Settings) -> dict[str, int]:
    """Delete ended sessions and sign-in attempts older than the throttle window."""
    now = utcnow()
    sessions = session.execute(delete(AuthSession).where(AuthSession.expires_at <= now))
    attempts_before = now - timedelta(minutes=settings.signin_throttle_minutes) - timedelta(days=1)
    attempts = session.execute(delete(SigninAttempt).where(SigninAttempt.at < attempts_before))
    session.commit()
    return {
        "sessions_deleted": sessions.rowcount or 0,  # type: ignore[attr-defined]
        "signin_attempts_deleted": attempts.rowcount or 0,  # type: ignore[attr-defined]
    }
