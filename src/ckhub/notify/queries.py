"""Reads of the outbox for the mail catcher page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.notify.models import OutboxMessage


def list_messages(
    session: Session, status: str = "", address: str = "", limit: int = 100
) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    if address.strip():
        query = query.where(OutboxMessage.to_address.contains(address.strip().lower()))
    return list(session.scalars(query).all())


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)
    )
    return {str(status): int(count) for status, count in rows}
