"""Delivering due outbox messages (e-mail, and webhooks: notify/webhooks.py): claim, send,
record; retry with backoff; never twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ckhub.notify.models import MessageStatus, OutboxMessage
from ckhub.notify.service import is_suppressed, suppress
from ckhub.notify.transport import MailTransport, PermanentFailure, build_email
from ckhub.notify.webhooks import CHANNEL as WEBHOOK
from ckhub.notify.webhooks import post_webhook
from ckhub.settings import Settings
from ckhub.timeutil import utcnow

log = logging.getLogger(__name__)

# Waits before attempts 2, 3, 4…: a mail server down for a day still gets the message.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A message left "sending" this long (its worker died mid-send) is tried again.
STALE_CLAIM = timedelta(minutes=10)


@dataclass
class DeliveryReport:
    sent: int = 0
    kept: int = 0
    retrying: int = 0
    failed: int = 0
    suppressed: int = 0


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    """Mark a due message as being sent; False if another worker got it first."""
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MessageStatus.PENDING.value)
        .values(status=MessageStatus.SENDING.value, next_attempt_at=now)
    )
    session.commit()
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _release_stale_claims(session: Session, now: datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.SENDING.value,
            OutboxMessage.next_attempt_at < now - STALE_CLAIM,
        )
        .values(status=MessageStatus.PENDING.value)
    )
    session.commit()


def _finish(
    session: Session, message: OutboxMessage, status: MessageStatus, error: str = ""
) -> None:
    message.status = status.value
    message.last_error = error[:2000]
    session.commit()


def deliver_due(
    session: Session,
    settings: Settings,
    transport: MailTransport | None,
    now: datetime | None = None,
    limit: int = 200,
) -> DeliveryReport:
    """Send every message that is due. Safe to run in several workers at once."""
    now = now or utcnow()
    report = DeliveryReport()
    _release_stale_claims(session, now)
    due = session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == MessageStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    for message_id in due:
        if not _claim(session, message_id, now):
            continue
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        is_webhook = message.channel == WEBHOOK
        if not is_webhook and is_suppressed(session, message.to_address, message.category):
            _finish(session, message, MessageStatus.SUPPRESSED)
            report.suppressed += 1
            continue
        if transport is None and not is_webhook:
            _finish(session, message, MessageStatus.KEPT)
            report.kept += 1
            continue
        message.attempts += 1
        try:
            if is_webhook:
                post_webhook(settings, message)
            else:
                assert transport is not None
                transport.send(build_email(settings, message))
        except PermanentFailure as refusal:
            if not is_webhook:  # a mailbox that refuses mail; a webhook may be fixed later
                suppress(session, message.to_address, "*", "bounced")
            _finish(session, message, MessageStatus.FAILED, f"refused: {refusal}")
            report.failed += 1
        except Exception as error:  # the server is down, slow or said "try later"
            log.warning(
                "outbox message %s: attempt %s failed: %s", message.id, message.attempts, error
            )
            if message.attempts >= MAX_ATTEMPTS:
                _finish(session, message, MessageStatus.FAILED, f"gave up: {error}")
                report.failed += 1
            else:
                message.next_attempt_at = now + BACKOFF[message.attempts - 1]
                _finish(session, message, MessageStatus.PENDING, str(error))
                report.retrying += 1
        else:
            message.sent_at = utcnow()
            _finish(session, message, MessageStatus.SENT)
            report.sent += 1
    return report
