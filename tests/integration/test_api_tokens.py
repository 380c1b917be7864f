"""Personal API tokens: shown once, stored hashed, usable, revocable, audited."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.models import ApiToken, AuditEvent
from ckhub.auth.permissions import Role
from tests.factories import another_browser, make_user, post_form, sign_in


def _create_token_on_the_page(client: TestClient, name: str) -> str:
    page = post_form(client, "/account/tokens", {"name": name, "expires_in_days": "30"})
    assert page.status_code == 200
    found = re.search(r'id="new-token">(ckh_[^<]+)<', page.text)
    assert found, "the new token is shown once after creation"
    return found.group(1)


def test_token_lifecycle(client: TestClient, db: Session) -> None:
    make_user(db, "li.na", Role.AGENT)
    sign_in(client, "li.na")
    secret = _create_token_on_the_page(client, "CRM sync")

    # Shown once: the account page afterwards lists the token without its secret.
    account = client.get("/account").text
    assert "CRM sync" in account
    assert secret not in account
    stored = db.scalars(select(ApiToken)).one()
    assert stored.token_hash != secret and secret not in stored.token_hash

    api = another_browser(client)
    headers = {"Authorization": f"Bearer {secret}"}
    me = api.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["username"] == "li.na"
    # Token-authenticated writes need no CSRF token: there are no ambient credentials.
    created = api.post("/api/v1/tokens", json={"name": "second"}, headers=headers)
    assert created.status_code == 201
    assert created.json()["token"].startswith("ckh_")

    post_form(client, f"/account/tokens/{stored.id}/revoke", {})
    refused = api.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid-token"

    actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("token.created") == 2
    assert "token.revoked" in actions


def test_garbage_bearer_token_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer ckh_nope"})
    assert response.status_code == 401


def test_customer_token_cannot_manage_users(client: TestClient, db: Session) -> None:
    make_user(db, "zhou.min", Role.CUSTOMER)
    sign_in(client, "zhou.min")
    secret = _create_token_on_the_page(client, "mine")
    api = another_browser(client)
    response = api.get("/api/v1/users", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_api_user_management_by_admin_token(client: TestClient, db: Session) -> None:
    make_user(db, "root1", Role.ADMIN)
    sign_in(client, "root1")
    headers = {"Authorization": f"Bearer {_create_token_on_the_page(client, 'admin')}"}
    api = another_browser(client)
    created = api.post(
        "/api/v1/users",
        headers=headers,
        json={"username": "new.agent", "password": "long-enough-password", "role": "agent"},
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    changed = api.put(f"/api/v1/users/{user_id}/role", headers=headers, json={"role": "employee"})
    assert changed.json()["role"] == "employee"
    bad = api.post(
        "/api/v1/users",
        headers=headers,
        json={"username": "x y", "password": "long-enough-password", "role": "agent"},
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid-username"
    audit = api.get("/api/v1/audit", headers=headers, params={"action": "user.role_changed"})
    assert [e["details"]["new"] for e in audit.json()] == ["employee"]
    # Taking a copy of the audit log is itself on record: who, and how many events.
    exports = api.get("/api/v1/audit", headers=headers, params={"action": "export"}).json()
    assert exports[0]["target_type"] == "audit_log" and exports[0]["details"] == {"count": 1}
