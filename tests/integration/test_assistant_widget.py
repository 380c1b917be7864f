"""The chat widget other sites embed: works without cookies, may be framed only there, answers
from public articles only, and hands over to the same agents' queue."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.assistant.models import Conversation
from ckhub.auth.permissions import Role
from ckhub.runtime import Runtime
from tests.factories import another_browser, make_user, post_form, sign_in
from tests.helpcenter_factories import agent_on_first_handoff


def _third_party_frame(client: TestClient) -> TestClient:
    """A browser that sends no cookies to ckhub, as in a frame on another site."""
    frame = another_browser(client)
    frame.cookies.clear()
    return frame


def _conversations(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Conversation)) or 0


def test_loader_script_and_framing_headers(client: TestClient, runtime: Runtime) -> None:
    loader = client.get("/help/widget.js")
    assert loader.status_code == 200
    assert loader.headers["content-type"].startswith("text/javascript")
    assert "/help/widget?lang=" in loader.text

    start = client.get("/help/widget", params={"lang": "en"})
    assert "frame-ancestors *" in start.headers["content-security-policy"]
    assert "x-frame-options" not in start.headers
    assert "automated assistant" in start.text
    # Every other page still refuses to be framed.
    help_center = client.get("/help")
    assert "frame-ancestors 'none'" in help_center.headers["content-security-policy"]
    assert help_center.headers["x-frame-options"] == "DENY"

    runtime.settings.widget_origins = "https://shop.example.com javascript:alert(1) 'unsafe-inline'"
    limited = client.get("/help/widget", params={"lang": "zh"})
    policy = limited.headers["content-security-policy"]
    assert "frame-ancestors https://shop.example.com;" in policy + ";"
    assert "javascript" not in policy and "unsafe-inline" not in policy
    assert "机器人" in limited.text  # the widget speaks the host page's language


def test_a_visitor_chats_without_cookies_and_hands_over(
    client: TestClient, db: Session, published: None
) -> None:
    frame = _third_party_frame(client)
    assert frame.get("/help/widget").status_code == 200
    assert _conversations(db) == 0  # opening the widget stores nothing

    empty = frame.post("/help/widget/start", data={"question": "  ", "lang": "zh"})
    assert empty.status_code == 422 and _conversations(db) == 0

    started = frame.post(
        "/help/widget/start", data={"question": "平板同步失败怎么办", "lang": "zh"}
    )
    assert started.status_code == 303, started.text
    address = started.headers["location"]
    assert address.startswith("/help/widget/c/")
    page = frame.get(address)
    assert 'href="/help/articles/tablet-sync" target="_blank"' in page.text
    assert "frame-ancestors *" in page.headers["content-security-policy"]

    message_id = page.text.split('name="message_id" value="')[1].split('"')[0]
    rated = frame.post(f"{address}/rate", data={"message_id": message_id, "helpful": "yes"})
    assert rated.status_code == 303
    handed = frame.post(
        f"{address}/person",
        data={"name": "王女士", "contact": "wang@example.com"},
        headers={"HX-Request": "true"},
    )
    assert handed.status_code == 200 and "王女士" in handed.text

    agent, page, queue = agent_on_first_handoff(client, db)
    assert "王女士" in queue and "平板同步失败怎么办" in queue
    post_form(agent, f"{page}/reply", {"text": "您好，我来帮您"}, page=page)
    conversation_id = page.rsplit("/", 1)[-1]
    assert "您好，我来帮您" in frame.get(f"{address}/messages", headers={"HX-Request": "true"}).text
    conversation = db.get(Conversation, int(conversation_id))
    assert conversation is not None and conversation.channel == "widget"


def test_the_widget_is_anonymous_even_for_signed_in_staff(
    client: TestClient, db: Session, published: None
) -> None:
    make_user(db, "agent.li", Role.AGENT)
    sign_in(client, "agent.li")  # same browser, session cookie present
    started = client.post(
        "/help/widget/start", data={"question": "已知缺陷 2.3 固件同步失败 什么时候修复"}
    )
    page = client.get(started.headers["location"]).text
    assert "sync-defect" not in page  # internal article: not on another site's page


def test_a_forgotten_conversation_starts_afresh(client: TestClient) -> None:
    gone = client.get("/help/widget/c/no-such-key")
    assert gone.status_code == 303 and gone.headers["location"].startswith("/help/widget?new=1")
    fresh = client.get(gone.headers["location"])
    assert 'data-forget="yes"' in fresh.text  # the host page drops the old key


def test_knowledge_managers_find_the_tag_to_embed(
    client: TestClient, db: Session, runtime: Runtime
) -> None:
    make_user(db, "km", Role.KNOWLEDGE_MANAGER)
    sign_in(client, "km")
    runtime.settings.base_url = "https://help.example.com/"
    page = client.get("/assistant/widget").text
    assert '&lt;script src="https://help.example.com/help/widget.js" async&gt;' in page
    assert 'id="widget-origins">any site' in page
    make_user(db, "agent", Role.AGENT)
    agent = another_browser(client)
    sign_in(agent, "agent")
    assert agent.get("/assistant/widget").status_code == 403


def test_anonymous_questions_are_limited_per_address(
    client: TestClient, db: Session, runtime: Runtime, published: None
) -> None:
    runtime.settings.anonymous_questions_limit = 2
    frame = _third_party_frame(client)
    started = frame.post(
        "/help/widget/start", data={"question": "平板同步失败怎么办", "lang": "en"}
    )
    address = started.headers["location"]
    assert frame.post(f"{address}/ask", data={"question": "热水器有异响"}).status_code == 303
    refused = frame.post(f"{address}/ask", data={"question": "还有别的办法吗"})
    assert refused.status_code == 429 and "Too many questions" in refused.text
    assert "talk to a person" in refused.text.lower()  # the way out is still offered
    again = _third_party_frame(client).post("/help/widget/start", data={"question": "在吗"})
    assert again.status_code == 429 and _conversations(db) == 1  # nothing stored when refused
    make_user(db, "zhou", Role.CUSTOMER)  # signed-in customers are not limited
    sign_in(client, "zhou")
    client.get("/help/chat")
    asked = post_form(client, "/help/chat/ask", {"question": "热水器有异响"}, page="/help/chat")
    assert asked.status_code == 303
