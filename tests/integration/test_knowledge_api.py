"""The knowledge API: push entries (one or JSON lines), read, retag, delete, search, customers."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth import tokens
from ckhub.auth.permissions import Role
from ckhub.auth.service import create_team, viewer_for
from tests.factories import SYSTEM, make_user
from tests.knowledge_factories import entry, ingest


def _api(client: TestClient, db: Session, role: Role, username: str) -> TestClient:
    person = make_user(db, username, role)
    secret = tokens.create_token(db, viewer_for(db, person.user), "test").secret
    client.headers["Authorization"] = f"Bearer {secret}"
    return client


def test_push_read_search_retag_delete(client: TestClient, db: Session) -> None:
    api = _api(client, db, Role.AGENT, "li.na")
    created = api.post(
        "/api/v1/entries",
        json={
            "channel": "ticket",
            "source": "zendesk",
            "source_id": "4711",
            "title": "导出失败",
            "body": "导出按钮没反应，联系电话 13812345678",
            "tags": ["导出", "v2.3"],
        },
    )
    assert created.status_code == 201, created.text
    entry_id = created.json()["entry_id"]
    entry = api.get(f"/api/v1/entries/{entry_id}").json()
    assert "[PHONE]" in entry["body"]
    assert "13812345678" in entry["original_body"]  # agents handle customers: they may see it
    assert entry["tags"] == ["v2.3", "导出"]
    found = api.get("/api/v1/search", params={"q": "导出没反应"}).json()
    assert found["hits"][0]["entry"]["id"] == entry_id
    assert "<mark>" in found["hits"][0]["snippet"]
    retagged = api.patch(
        f"/api/v1/entries/{entry_id}/tags", json={"product_line_id": None, "issue_type_id": 1}
    )
    assert retagged.json()["issue_type_id"] == 1
    assert api.delete(f"/api/v1/entries/{entry_id}").status_code == 403  # agents cannot delete


def test_employee_does_not_see_unredacted_text(client: TestClient, db: Session) -> None:
    api = _api(client, db, Role.EMPLOYEE, "pm.liu")
    entry_id = api.post(
        "/api/v1/entries",
        json={
            "channel": "sales_note",
            "source": "crm",
            "source_id": "n1",
            "body": "客户王总手机13900001111，想要批量导出",
        },
    ).json()["entry_id"]
    entry = api.get(f"/api/v1/entries/{entry_id}").json()
    assert entry["original_body"] is None
    assert "13900001111" not in json.dumps(entry)


def test_bulk_json_lines_keep_good_lines_and_name_bad_ones(client: TestClient, db: Session) -> None:
    api = _api(client, db, Role.KNOWLEDGE_MANAGER, "km.wang")
    lines = [
        json.dumps(
            {"channel": "social", "source": "weibo", "source_id": "1", "body": "电池不耐用"}
        ),
        "{not json",
        json.dumps({"channel": "fax", "source": "weibo", "source_id": "2", "body": "x"}),
        json.dumps({"channel": "social", "source": "weibo", "source_id": "3", "body": "屏幕很好"}),
    ]
    response = api.post(
        "/api/v1/entries/bulk",
        content="\n".join(lines),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    outcomes = response.json()
    assert [(o["line"], o["status"]) for o in outcomes] == [
        (1, "created"),
        (2, "failed"),
        (3, "failed"),
        (4, "created"),
    ]
    assert "Not a valid entry" in outcomes[1]["error"]
    assert outcomes[2]["field"] == "channel"
    again = api.post(
        "/api/v1/entries/bulk", content=lines[0], headers={"Content-Type": "application/x-ndjson"}
    )
    assert again.json()[0]["status"] == "unchanged"


def test_restricted_entries_are_not_found_by_customers(client: TestClient, db: Session) -> None:
    staff = _api(client, db, Role.KNOWLEDGE_MANAGER, "km.wang")
    entry_id = staff.post(
        "/api/v1/entries",
        json={"channel": "ticket", "source": "t", "source_id": "1", "body": "内部：已知缺陷"},
    ).json()["entry_id"]
    customer = _api(TestClient(client.app), db, Role.CUSTOMER, "zhou.min")
    assert customer.get(f"/api/v1/entries/{entry_id}").status_code == 403
    assert customer.get("/api/v1/search", params={"q": "缺陷"}).status_code == 403


def test_customers_api_hides_contacts_from_employees(client: TestClient, db: Session) -> None:
    agent = _api(client, db, Role.AGENT, "li.na")
    created = agent.post(
        "/api/v1/customers",
        json={
            "name": "华星科技",
            "tier": "key",
            "emails": ["it@huaxing.example"],
            "external_ids": [["crm", "C-1"]],
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["contacts"] == [["email", "it@huaxing.example"]]
    employee = _api(TestClient(client.app), db, Role.EMPLOYEE, "pm.liu")
    listed = employee.get("/api/v1/customers").json()
    assert listed[0]["name"] == "华星科技"
    assert listed[0]["contacts"] is None
    bad_tier = agent.post("/api/v1/customers", json={"name": "X", "tier": "platinum"})
    assert bad_tier.status_code == 422
    assert "platinum" in bad_tier.json()["detail"]


def test_replacing_a_customer_keeps_contacts_hidden_from_the_editor(
    client: TestClient, db: Session
) -> None:
    agent = _api(client, db, Role.AGENT, "li.na")
    customer = agent.post(
        "/api/v1/customers",
        json={
            "name": "华星",
            "tier": "key",
            "emails": ["it@hx.example"],
            "external_ids": [["crm", "C-1"]],
        },
    ).json()
    entry_id = agent.post(
        "/api/v1/entries",
        json={
            "channel": "ticket",
            "source": "t",
            "source_id": "1",
            "body": "登录不了",
            "customer": {"email": "it@hx.example"},
        },
    ).json()["entry_id"]
    employee = _api(TestClient(client.app), db, Role.EMPLOYEE, "pm.liu")
    replaced = employee.put(
        f"/api/v1/customers/{customer['id']}",
        json={"name": "华星科技", "tier": "strategic", "external_ids": [["erp", "88"]]},
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["external_ids"] == [["erp", "88"]]  # the crm id was left out: removed
    seen_by_agent = agent.get(f"/api/v1/customers/{customer['id']}").json()
    assert seen_by_agent["contacts"] == [["email", "it@hx.example"]]  # not the employee's to drop
    # The entry carries its customer's new tier (facets and trends read it from the entry).
    assert agent.get(f"/api/v1/entries/{entry_id}").json()["tier_id"] == replaced.json()["tier_id"]
    cleared = agent.put(f"/api/v1/customers/{customer['id']}", json={"name": "华星科技"})
    assert cleared.json()["contacts"] == [] and cleared.json()["tier_id"] is None


def test_links_between_entries(client: TestClient, db: Session) -> None:
    api = _api(client, db, Role.AGENT, "li.na")

    def push(source_id: str, body: str, **extra: str) -> int:
        payload = {"channel": "ticket", "source": "t", "source_id": source_id, "body": body}
        return int(api.post("/api/v1/entries", json={**payload, **extra}).json()["entry_id"])

    first, second = push("1", "平板同步失败"), push("2", "平板同步又失败了")
    create_team(db, SYSTEM, "安全组")
    [restricted] = ingest(
        db, entry("内部排查记录", source_id="3", visibility="team", team="安全组")
    )
    secret = restricted.entry_id
    assert (
        api.post(
            f"/api/v1/entries/{second}/links", json={"to": first, "kind": "duplicate"}
        ).status_code
        == 204
    )
    assert api.get(f"/api/v1/entries/{first}/links").json() == [
        {"entry_id": second, "kind": "duplicate", "outgoing": False}
    ]
    assert api.get(f"/api/v1/entries/{second}/links").json()[0]["outgoing"] is True
    bad = api.post(f"/api/v1/entries/{first}/links", json={"to": first})
    assert bad.status_code == 422
    wrong_kind = api.post(f"/api/v1/entries/{first}/links", json={"to": second, "kind": "parent"})
    assert "related, duplicate, follow_up" in wrong_kind.json()["detail"]
    assert api.post(f"/api/v1/entries/{first}/links", json={"to": secret}).status_code == 404
    assert api.delete(f"/api/v1/entries/{first}/links/{second}").status_code == 204
    assert api.get(f"/api/v1/entries/{second}/links").json() == []
