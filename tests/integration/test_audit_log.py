"""The audit log page: records sensitive actions, filterable by admins."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from tests.factories import make_user, sign_in


def test_failed_sign_in_shows_up_in_the_audit_log(client: TestClient, db: Session) -> None:
    make_user(db, "root1", Role.ADMIN)
    make_user(db, "li.na")
    sign_in(client, "li.na", "wrong-password-x")
    sign_in(client, "root1")
    page = client.get("/admin/audit", params={"action": "signin.failed"})
    assert page.status_code == 200
    assert "signin.failed" in page.text
    assert "bad-password" in page.text
    assert "signin.succeeded" not in page.text.split("<tbody>")[1]
    assert "1 event" in page.text


def test_audit_filters_by_actor_and_date(client: TestClient, db: Session) -> None:
    make_user(db, "root1", Role.ADMIN)
    sign_in(client, "root1")
    by_actor = client.get("/admin/audit", params={"actor": "root1"}).text
    assert "signin.succeeded" in by_actor
    nothing = client.get("/admin/audit", params={"actor": "nobody"}).text
    assert "No events match." in nothing
    future = client.get("/admin/audit", params={"since": "2999-01-01"}).text
    assert "No events match." in future
    invalid = client.get("/admin/audit", params={"since": "not-a-date"})
    assert invalid.status_code == 200  # an unreadable date is ignored, not an error
    assert "signin.succeeded" in invalid.text
