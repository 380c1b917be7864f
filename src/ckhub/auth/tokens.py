"""Personal API tokens: created (shown once), listed, revoked, resolved, purged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.audit import AuditAction
from ckhub.auth.credentials import digest, new_api_token
from ckhub.auth.models import ApiToken, User
from ckhub.auth.permissions import Capability, Viewer
from ckhub.auth.service import viewer_for
from ckhub.errors import Problem, forbidden, not_found
from ckhub.i18n_marker import N_
from ckhub.timeutil import utcnow

# Writing last_used_at on every API call would turn each read into a write.
_TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def create_token(
    session: Session, viewer: Viewer, name: str, expires_in_days: int | None = None
) -> NewToken:
    if viewer.user_id is None or not viewer.can(Capability.USE_API):
        raise forbidden()
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 128:
        raise Problem("invalid-token-name", "Give the token a name of 1–128 characters.", 422)
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise Problem("invalid-expiry", "A token expires in 1 to 3650 days.", 422)
    secret = new_api_token()
    token = ApiToken(
        user_id=viewer.user_id,
        name=cleaned,
        prefix=secret[:10],
        token_hash=digest(secret),
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    session.flush()
    audit.record(session, viewer, AuditAction.TOKEN_CREATED, "api_token", token.id, name=cleaned)
    session.commit()
    return NewToken(token=token, secret=secret)


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return list(session.scalars(query).all())


def revoke_token(session: Session, viewer: Viewer, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or (
        token.user_id != viewer.user_id and not viewer.can(Capability.MANAGE_USERS)
    ):
        raise not_found(N_("Token"))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            session, viewer, AuditAction.TOKEN_REVOKED, "api_token", token.id, name=token.name
        )
        session.commit()
    return token


def resolve_token(session: Session, secret: str, ip: str | None) -> tuple[User, Viewer] | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    now = utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= _TOUCH_INTERVAL:
        token.last_used_at = now
        session.commit()
    return user, viewer_for(session, user, ip)


def purge_expired_tokens(session: Session, keep_days: int = 90) -> int:
    """Mark expired tokens revoked; delete those revoked longer than `keep_days` ago."""
    now = utcnow()
    session.execute(
        update(ApiToken)
        .where(ApiToken.revoked_at.is_(None), ApiToken.expires_at <= now)
        .values(revoked_at=now)
    )
    cutoff: datetime = now - timedelta(days=keep_days)
    old = session.scalars(select(ApiToken).where(ApiToken.revoked_at < cutoff)).all()
    for token in old:
        session.delete(token)
    session.commit()
    return len(old)
