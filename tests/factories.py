"""Helpers that set up people and sessions the way a user would."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from ckhub.auth import service
from ckhub.auth.models import User
from ckhub.auth.permissions import Role, Viewer

PASSWORD = "correct-horse-battery"
SYSTEM = Viewer.system("tests")


@dataclass
class Person:
    user: User
    password: str

    @property
    def username(self) -> str:
        return self.user.username


def make_user(
    db: Session,
    username: str,
    role: Role = Role.EMPLOYEE,
    email: str | None = None,
    team_ids: tuple[int, ...] = (),
) -> Person:
    user = service.create_user(
        db,
        SYSTEM,
        username=username,
        password=PASSWORD,
        role=role,
        email=email or f"{username}@example.com",
        team_ids=team_ids,
    )
    return Person(user, PASSWORD)


def csrf_token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token a page hands its forms, read as the browser would get it."""
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def post_form(
    client: TestClient, path: str, data: dict[str, object], page: str = "/account"
) -> Response:
    """Submit a form like a browser: load a page that carries the token, then post with it."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> Response:
    return post_form(client, "/login", {"login": login, "password": password}, page="/login")


def another_browser(client: TestClient) -> TestClient:
    """A second, separate browser (own cookies) on the same application."""
    return TestClient(client.app, follow_redirects=False)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
