"""Opening the chat stores nothing (visitors who leave and crawlers that follow the link leave
no conversation behind); conversations nobody wrote in that exist all the same (from earlier
versions, which started one on every visit) are deleted once no browser can come back to
them; every conversation with a question stays, and so does a recent empty one."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ckhub.assistant.models import Conversation, ConversationMessage
from ckhub.assistant.purge import CHAT_DAYS
from ckhub.assistant.service import start_conversation
from ckhub.auth.permissions import Viewer
from ckhub.jobs.models import Job
from ckhub.runtime import Runtime
from ckhub.timeutil import utcnow
from tests.factories import another_browser, post_form


def _newest_conversation(db: Session) -> int:
    found = db.scalar(select(func.max(Conversation.id)))
    assert found is not None
    return found


def test_opening_the_chat_stores_nothing_until_the_first_question(
    client: TestClient, db: Session, published: None
) -> None:
    client.get("/help/chat")
    another_browser(client).get("/help/chat", params={"q": "退款", "article": "tablet-sync"})
    assert db.scalar(select(func.count(Conversation.id))) == 0
    assert "ckhub_chat" not in client.cookies
    empty = post_form(client, "/help/chat/ask", {"question": " "}, page="/help/chat")
    assert empty.status_code == 422 and "Type a question first" in empty.text
    nameless = post_form(
        client, "/help/chat/person", {"name": "", "contact": ""}, page="/help/chat"
    )
    assert nameless.status_code == 422
    assert db.scalar(select(func.count(Conversation.id))) == 0
    post_form(client, "/help/chat/ask", {"question": "平板同步失败怎么办"}, page="/help/chat")
    assert "ckhub_chat" in client.cookies
    chat = client.get("/help/chat").text
    assert "平板同步失败怎么办" in chat and "Did this answer your question?" in chat


def _empty_conversation(db: Session) -> int:
    """A conversation holding only the bot's greeting, as earlier versions left behind."""
    return start_conversation(db, Viewer.anonymous(), "zh").id


def test_unused_conversations_are_deleted_after_the_chat_cookie_lapses(
    client: TestClient, db: Session, runtime: Runtime, published: None
) -> None:
    left = _empty_conversation(db)
    left_key = db.get_one(Conversation, left).public_key
    asker = another_browser(client)
    post_form(asker, "/help/chat/ask", {"question": "平板同步失败怎么办"}, page="/help/chat")
    asked = _newest_conversation(db)
    long_ago = utcnow() - timedelta(days=CHAT_DAYS + 1)
    db.execute(update(Conversation).values(updated_at=long_ago))
    db.commit()
    recent = _empty_conversation(db)  # its visitor may still come back

    job = db.get(Job, runtime.queue.enqueue("assistant.purge_unused"))
    assert job is not None and job.result == {"conversations_deleted": 1}

    db.expire_all()
    kept = set(db.scalars(select(Conversation.id)))
    assert kept == {asked, recent} and left not in kept
    orphans = select(ConversationMessage).where(ConversationMessage.conversation_id == left)
    assert db.scalars(orphans).first() is None
    # The visitor who left and comes back starts afresh, not with an error.
    returning = another_browser(client)
    returning.cookies.set("ckhub_chat", left_key)
    page = returning.get("/help/chat", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "机器人" in page.text
