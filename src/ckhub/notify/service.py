"""Queuing messages, unsubscribes and manual retries.

`queue_email` adds the message to the caller's transaction and does not commit: the message is
stored if, and only if, the change that caused it is (a transactional outbox). Delivery happens
later, in `delivery.py`.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden, not_found
from ckhub.i18n_marker import N_
from ckhub.notify.models import MessageStatus, OutboxMessage, Suppression
from ckhub.timeutil import utcnow

ANY_CATEGORY = "*"


def _address(value: str) -> str:
    cleaned = value.strip().lower()
    if "@" not in cleaned or len(cleaned) > 254:
        raise Problem("invalid-email", "“{email}” is not a valid e-mail address.", 422, email=value)
    return cleaned


def queue_email(
    session: Session,
    *,
    to_address: str,
    subject: str,
    body: str,
    category: str,
    to_name: str = "",
    dedup_key: str | None = None,
    user_id: int | None = None,
) -> OutboxMessage | None:
    """Store an e-mail for delivery. Returns None when `dedup_key` was already queued."""
    if dedup_key is not None:
        existing = session.scalar(select(OutboxMessage).where(OutboxMessage.dedup_key == dedup_key))
        if existing is not None:
            return None
    message = OutboxMessage(
        category=category,
        to_address=_address(to_address),
        to_name=to_name.strip()[:128],
        subject=subject.strip()[:255],
        body_text=body,
        dedup_key=dedup_key,
        user_id=user_id,
    )
    session.add(message)
    session.flush()
    return message


def is_suppressed(session: Session, address: str, category: str) -> bool:
    query = select(Suppression.id).where(
        Suppression.address == address.strip().lower(),
        or_(Suppression.category == category, Suppression.category == ANY_CATEGORY),
    )
    return session.scalar(query.limit(1)) is not None


def suppress(session: Session, address: str, category: str, reason: str) -> None:
    """Stop sending `category` (or everything, "*") to an address; idempotent. Caller commits."""
    cleaned = _address(address)
    existing = session.scalar(
        select(Suppression).where(Suppression.address == cleaned, Suppression.category == category)
    )
    if existing is None:
        session.add(Suppression(address=cleaned, category=category, reason=reason))
        session.flush()


def unsubscribe(session: Session, address: str, category: str = ANY_CATEGORY) -> None:
    suppress(session, address, category, "unsubscribed")
    session.commit()


def retry_message(session: Session, viewer: Viewer, message_id: int) -> OutboxMessage:
    """An administrator sends a failed or kept message again."""
    if not viewer.can(Capability.MANAGE_USERS):
        raise forbidden()
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise not_found(N_("Message"))
    if message.status not in (MessageStatus.FAILED, MessageStatus.KEPT):
        raise Problem("not-retryable", "Only failed or kept messages can be sent again.", 409)
    message.status = MessageStatus.PENDING.value
    message.next_attempt_at = utcnow()
    message.last_error = ""
    audit.record(session, viewer, "outbox.retry", "outbox_message", message.id)
    session.commit()
    return message
