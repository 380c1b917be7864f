"""Conversations nobody wrote in (a visitor opened the chat and left, a crawler followed the
link) are deleted once no browser can come back to them; every conversation with a question
stays, and so does a recent empty one."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ckhub.assistant.models import Conversation, ConversationMessage
from ckhub.assistant.purge import CHAT_DAYS
from ckhub.jobs.models import Job
from ckhub.runtime import Runtime
from ckhub.timeutil import utcnow
from tests.factories import another_browser, post_form


def _newest_conversation(db: Session) -> int:
    found = db.scalar(select(func.max(Conversation.id)))
    assert found is not None
    return found


def test_unused_conversations_are_deleted_after_the_chat_cookie_lapses(
    client: TestClient, db: Session, runtime: Runtime, published: None
) -> None:
    client.get("/help/chat")  # opened and left: only the bot's greeting
    left = _newest_conversation(db)
    crawler = another_browser(client)
    crawler.get("/help/chat", params={"q": "退款", "article": "tablet-sync"})  # "Still need help?"
    followed = _newest_conversation(db)
    asker = another_browser(client)
    asker.get("/help/chat")
    post_form(asker, "/help/chat/ask", {"question": "平板同步失败怎么办"}, page="/help/chat")
    asked = _newest_conversation(db)
    long_ago = utcnow() - timedelta(days=CHAT_DAYS + 1)
    db.execute(update(Conversation).values(updated_at=long_ago))
    db.commit()
    another_browser(client).get("/help/chat")  # opened today: its visitor may still come back
    recent = _newest_conversation(db)

    job = db.get(Job, runtime.queue.enqueue("assistant.purge_unused"))
    assert job is not None and job.result == {"conversations_deleted": 2}

    db.expire_all()
    kept = set(db.scalars(select(Conversation.id)))
    assert kept == {asked, recent} and not kept & {left, followed}
    orphans = select(ConversationMessage).where(
        ConversationMessage.conversation_id.in_([left, followed])
    )
    assert db.scalars(orphans).first() is None
    # The visitor who left and comes back gets a new conversation, not an error.
    assert "机器人" in client.get("/help/chat", headers={"Accept-Language": "zh-CN"}).text
    assert _newest_conversation(db) > recent
