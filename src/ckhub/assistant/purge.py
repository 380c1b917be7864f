"""Conversations nobody wrote in are deleted once no browser can come back to them.

Earlier versions started a conversation whenever the chat page was opened, so visitors who left
without asking — and crawlers that followed the help center's chat link — left conversations
holding only the bot's words; the chat now stores nothing before the first question
(`chat_start.py`), and this job clears what is left of those and of any other conversation
without a customer's message. They count in no figure (deflection and handoff rates count
conversations with a question), and after the chat cookie's lifetime no visitor can return to
them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from ckhub.assistant.models import (
    Conversation,
    ConversationMessage,
    ConversationStatus,
    Sender,
)
from ckhub.timeutil import utcnow

# How long a browser keeps its conversation (the chat cookie); a conversation untouched for
# longer cannot be resumed from the chat page.
CHAT_DAYS = 30
BATCH = 500  # conversations deleted per statement (SQLite's bound-parameter limit)


def purge_unused_conversations(session: Session, now: datetime | None = None) -> int:
    """Delete conversations without a customer's message, still with the bot, untouched for
    CHAT_DAYS; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=CHAT_DAYS)
    customer_wrote = exists().where(
        ConversationMessage.conversation_id == Conversation.id,
        ConversationMessage.sender == Sender.CUSTOMER.value,
    )
    unused = list(
        session.scalars(
            select(Conversation.id).where(
                Conversation.status == ConversationStatus.BOT.value,
                Conversation.updated_at < cutoff,
                ~customer_wrote,
            )
        )
    )
    for start in range(0, len(unused), BATCH):
        # Their messages go with them (ON DELETE CASCADE; SQLite runs with foreign keys on).
        session.execute(
            delete(Conversation).where(Conversation.id.in_(unused[start : start + BATCH]))
        )
    session.commit()
    return len(unused)
