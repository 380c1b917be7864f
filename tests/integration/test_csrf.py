"""Every state-changing form needs the CSRF token; API tokens are exempt (no ambient cookies)."""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.web.security import verify_csrf
from tests.factories import make_user, sign_in


def test_sign_in_without_token_is_refused(client: TestClient, db: Session) -> None:
    make_user(db, "li.na")
    client.get("/login")
    response = client.post("/login", data={"login": "li.na", "password": "correct-horse-battery"})
    assert response.status_code == 403
    assert "Reload the page" in response.text
    assert "ckhub_session" not in response.cookies


def test_a_token_for_another_browser_is_refused(client: TestClient, db: Session, runtime) -> None:  # type: ignore[no-untyped-def]
    from ckhub.web.security import csrf_token_for

    make_user(db, "li.na", Role.ADMIN)
    sign_in(client, "li.na")
    foreign = csrf_token_for(runtime.settings, "someone-elses-cookie")
    response = client.post("/admin/teams", data={"name": "Sneaky", "csrf_token": foreign})
    assert response.status_code == 403


def test_htmx_header_token_is_accepted(client: TestClient, db: Session, runtime) -> None:  # type: ignore[no-untyped-def]
    from ckhub.web.security import csrf_token_for

    make_user(db, "li.na", Role.ADMIN)
    sign_in(client, "li.na")
    token = csrf_token_for(runtime.settings, client.cookies["ckhub_csrf"])
    response = client.post(
        "/admin/teams", data={"name": "Support"}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 303


def test_every_route_is_protected(client: TestClient) -> None:
    """No route (page or API) may skip the CSRF check: it is a dependency of every router."""
    app = client.app
    for route in app.routes:  # type: ignore[attr-defined]
        if isinstance(route, APIRoute):
            calls = [dep.call for dep in route.dependant.dependencies]
            assert verify_csrf in calls, f"{route.path} is missing CSRF protection"
