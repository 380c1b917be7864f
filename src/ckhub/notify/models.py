"""Tables of the outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ckhub.db.base import Base, CreatedAtMixin
from ckhub.timeutil import utcnow


class MessageStatus(StrEnum):
    PENDING = "pending"  # waiting for (another) delivery attempt
    SENDING = "sending"  # claimed by one worker
    SENT = "sent"
    KEPT = "kept"  # no mail server configured: kept here, readable in the mail catcher
    FAILED = "failed"  # permanently refused, or out of attempts
    SUPPRESSED = "suppressed"  # the recipient unsubscribed or bounced before


class OutboxMessage(CreatedAtMixin, Base):
    """One message to one recipient, stored before any attempt to send it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="email")
    # What kind of message (e.g. "account", "feedback.shipped"), for unsubscribes and filtering.
    category: Mapped[str] = mapped_column(String(64), index=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    to_name: Mapped[str] = mapped_column(String(128), default="")
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    # Set by the sender to make a message idempotent: the same key is never queued twice.
    dedup_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Suppression(CreatedAtMixin, Base):
    """An address that must not receive a category of messages ("*" = any), and why."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("address", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254))
    category: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(32))  # "unsubscribed" or "bounced"


class Notification(CreatedAtMixin, Base):
    """A message to a user inside ckhub (the bell), written in their language when created."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        UniqueConstraint("user_id", "dedup_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")  # a path inside ckhub
    # Set by the sender so the same notification is never made twice (e.g. one per due date).
    dedup_key: Mapped[str | None] = mapped_column(String(255))
    read_at: Mapped[datetime | None]
