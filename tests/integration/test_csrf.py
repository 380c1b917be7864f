"""Every state-changing form needs the CSRF token; API tokens are exempt (no ambient cookies)."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.areas import embedded_route_modules, route_modules
from ckhub.auth.permissions import Role
from ckhub.web import routes as shell_routes
from ckhub.web.security import SAFE_METHODS
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


def _changing_routes(modules: list[ModuleType]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.extend((method, route.path) for method in route.methods - SAFE_METHODS)
            elif hasattr(route, "original_router"):  # a sub-router (FastAPI ≥ 0.160)
                walk(route.original_router.routes)

    for module in modules:
        walk(module.router.routes)
    return found


def test_every_route_is_protected(client: TestClient, db: Session) -> None:
    """No page or API route that changes anything skips the CSRF check, tried for real: a signed-in
    browser posting without the token is refused before the route runs. (The app's route list
    cannot be read for this: FastAPI keeps included routers unflattened.)"""
    make_user(db, "admin", Role.ADMIN)
    sign_in(client, "admin")
    changing = _changing_routes([shell_routes, *route_modules()])
    assert len(changing) > 50
    for method, path in changing:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        response = client.request(method, concrete, data={"x": "1"})
        assert response.status_code == 403, f"{method} {path} skipped the CSRF check"
        refused = "csrf-failed" in response.text or "sent from another site" in response.text
        assert refused, f"{method} {path}: {response.text[:200]}"


def test_only_the_widget_is_cookieless() -> None:
    """Routes without the check may only be the widget's, which never reads a cookie."""
    cookieless = _changing_routes(embedded_route_modules())
    assert cookieless and all(path.startswith("/help/widget/") for _method, path in cookieless)
