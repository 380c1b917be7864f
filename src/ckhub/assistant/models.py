"""Tables of the answer bot: conversations (with the handoff to a person) and their messages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ckhub.db.base import Base, CreatedAtMixin
from ckhub.timeutil import utcnow


class ConversationStatus(StrEnum):
    BOT = "bot"  # the bot is answering
    WAITING = "waiting"  # handed over, in the agents' queue
    ASSIGNED = "assigned"  # an agent picked it up
    RESOLVED = "resolved"


class Sender(StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class Conversation(CreatedAtMixin, Base):
    """One chat with the bot, and with a person once handed over."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # What an anonymous visitor's browser holds to come back to its conversation.
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16), default="web")  # web, widget, api
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    status: Mapped[str] = mapped_column(String(16), default=ConversationStatus.BOT.value)
    # Given (or asked for) at handoff, so the customer never has to repeat it.
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_contact: Mapped[str] = mapped_column(String(200), default="")
    issue_type_id: Mapped[int | None] = mapped_column(ForeignKey("issue_types.id"))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handed_over_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    # "bot" when a customer said an answer helped and never asked for a person; "agent" after
    # a handoff was resolved. Deflection and handoff rates are counted from here.
    resolved_by: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    messages: Mapped[list[ConversationMessage]] = relationship(
        order_by="ConversationMessage.id", cascade="all, delete-orphan"
    )


class ConversationMessage(Base):
    """One message: the customer's, the bot's (with its citations), an agent's, or a notice."""

    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    # [{"kind": "article"|"entry", "id", "title", "url"}]: what a bot answer came from.
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    confidence: Mapped[float | None]
    abstained: Mapped[bool] = mapped_column(default=False)
    # The customer's "did this answer your question?" on a bot answer.
    helpful: Mapped[bool | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
