"""Signing in and out through the real pages, with throttling and the audit trail."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.models import AuditEvent
from ckhub.auth.permissions import Role
from tests.factories import make_user, post_form, sign_in


def test_sign_in_with_username_or_email_reaches_the_dashboard(
    client: TestClient, db: Session
) -> None:
    make_user(db, "li.na", Role.AGENT, email="li.na@example.com")
    response = sign_in(client, "li.na")
    assert response.status_code == 303
    assert "ckhub_session" in response.cookies
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Welcome" in page.text
    post_form(client, "/logout", {})
    assert client.get("/dashboard").status_code == 303  # back to sign-in

    assert sign_in(client, "LI.NA@example.com").status_code == 303


def test_session_cookie_is_http_only_and_same_site(client: TestClient, db: Session) -> None:
    make_user(db, "li.na")
    response = sign_in(client, "li.na")
    cookie = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith("ckhub_session="))
    assert "HttpOnly" in session_cookie
    assert "samesite=lax" in session_cookie.lower()


def test_wrong_password_is_refused_and_audited(client: TestClient, db: Session) -> None:
    make_user(db, "li.na")
    response = sign_in(client, "li.na", "not-the-password")
    assert response.status_code == 401
    assert "The username or password is not correct." in response.text
    assert "ckhub_session" not in response.cookies
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "signin.failed")).all()
    assert [(e.target_id, e.details["reason"]) for e in events] == [("li.na", "bad-password")]
    assert events[0].ip


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client: TestClient) -> None:
    response = sign_in(client, "nobody", "whatever-password")
    assert response.status_code == 401
    assert "The username or password is not correct." in response.text


def test_five_failures_lock_the_account_even_with_the_right_password(
    client: TestClient, db: Session
) -> None:
    person = make_user(db, "li.na")
    for _ in range(5):
        assert sign_in(client, "li.na", "wrong-password-x").status_code == 401
    response = sign_in(client, "li.na", person.password)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    throttled = db.scalars(select(AuditEvent).where(AuditEvent.action == "signin.throttled"))
    assert len(throttled.all()) == 1
    # Another account from the same address is not locked by this one's failures.
    make_user(db, "zhao.lei")
    assert sign_in(client, "zhao.lei").status_code == 303


def test_alternating_username_and_email_counts_against_one_account(
    client: TestClient, db: Session
) -> None:
    make_user(db, "li.na", email="li.na@example.com")
    for attempt in range(5):
        login = "li.na" if attempt % 2 else "LI.NA@example.com"
        assert sign_in(client, login, "wrong-password-x").status_code == 401
    assert sign_in(client, "li.na").status_code == 429


def test_one_address_guessing_many_accounts_is_throttled(client: TestClient, db: Session) -> None:
    make_user(db, "li.na")
    for attempt in range(20):
        sign_in(client, f"guess{attempt}", "wrong-password-x")
    assert sign_in(client, "li.na").status_code == 429


def test_deactivated_user_cannot_sign_in(client: TestClient, db: Session) -> None:
    person = make_user(db, "li.na")
    person.user.is_active = False
    db.commit()
    assert sign_in(client, "li.na").status_code == 401


def test_sign_in_redirects_back_to_the_page_asked_for_but_never_off_site(
    client: TestClient, db: Session
) -> None:
    make_user(db, "admin1", Role.ADMIN)
    assert client.get("/admin/users").headers["location"] == "/login?next=/admin/users"
    response = post_form(
        client,
        "/login",
        {"login": "admin1", "password": "correct-horse-battery", "next": "//evil.example.com/"},
        page="/login",
    )
    assert response.headers["location"] == "/"
