"""Telling a user something: in ckhub (their notifications) and by e-mail through the outbox.

Messages are written in the user's language when they are created, from translatable
templates, so an e-mail reads the same as the notification beside it. Like `queue_email`, this
adds to the caller's transaction: the message exists if, and only if, what caused it does.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ckhub.auth.service import get_user
from ckhub.notify.models import Notification
from ckhub.notify.service import queue_email
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from ckhub.web import i18n


def notify_user(
    session: Session,
    settings: Settings,
    user_id: int,
    *,
    category: str,
    subject: str,
    body: str,
    link: str = "",
    dedup_key: str | None = None,
    **params: object,
) -> Notification | None:
    """Notify one user; `subject` and `body` are message ids whose {fields} `params` fill in.

    With a `dedup_key` the same notification is never sent twice (e.g. one reminder per due
    date); returns None then.
    """
    if dedup_key is not None and session.scalar(
        select(Notification.id).where(
            Notification.user_id == user_id, Notification.dedup_key == dedup_key
        )
    ):
        return None
    user = get_user(session, user_id)
    language = user.locale or settings.default_locale
    subject_text = i18n.translate(language, subject, **params)
    body_text = i18n.translate(language, body, **params)
    notification = Notification(
        user_id=user.id,
        category=category,
        dedup_key=dedup_key,
        subject=subject_text[:255],
        body=body_text,
        link=link,
    )
    session.add(notification)
    if user.email and user.is_active:
        address = f"{settings.base_url.rstrip('/')}{link}" if link else ""
        queue_email(
            session,
            to_address=user.email,
            to_name=user.display_name,
            subject=subject_text,
            body=f"{body_text}\n\n{address}".strip(),
            category=category,
            dedup_key=f"{category}|{user.id}|{dedup_key}" if dedup_key else None,
            user_id=user.id,
        )
    return notification


def notifications_of(session: Session, user_id: int, limit: int = 100) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_all_read(session: Session, user_id: int) -> None:
    session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    session.commit()
