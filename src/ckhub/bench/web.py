"""`ckhub bench web`: request latency of the web shell, in process, on a fresh workspace.

It measures the cost every page of every later area pays: session lookup, CSRF cookie, template
rendering with translations, security headers, and the database round trip.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from ckhub.app import create_app
from ckhub.auth import service, tokens
from ckhub.auth.permissions import Role, Viewer
from ckhub.bench.timing import machine, time_calls
from ckhub.db.migrate import upgrade
from ckhub.runtime import build_runtime
from ckhub.settings import Settings

PASSWORD = "bench-password-123"


def run_web_bench(requests: int, database_url: str = "") -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ckhub-bench-") as folder:
        settings = Settings(
            var_dir=Path(folder),
            database_url=database_url,
            queue_immediate=True,
            default_locale="zh_Hans",
        )
        runtime = build_runtime(settings)
        upgrade(runtime.engine)
        with runtime.session_factory() as session:
            admin = service.create_user(
                session,
                Viewer.system("bench"),
                username="bench",
                password=PASSWORD,
                role=Role.ADMIN,
            )
            viewer = service.viewer_for(session, admin)
            secret = tokens.create_token(session, viewer, "bench").secret
        app = create_app(runtime=runtime)
        anonymous = TestClient(app, follow_redirects=False)

        def sign_in() -> TestClient:
            """A new browser: load the form, post it (argon2 makes this slow on purpose)."""
            browser = TestClient(app, follow_redirects=False)
            page = browser.get("/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            form = {"login": "bench", "password": PASSWORD, "csrf_token": token}
            response = browser.post("/login", data=form)
            assert response.status_code == 303, response.text
            return browser

        browser = sign_in()
        results = {
            "signin_form": time_calls(sign_in, max(5, requests // 20)),
            "healthz": time_calls(lambda: anonymous.get("/healthz"), requests),
            "login_page": time_calls(lambda: anonymous.get("/login"), requests),
            "dashboard": time_calls(lambda: browser.get("/dashboard"), requests),
            "audit_page": time_calls(lambda: browser.get("/admin/audit"), requests),
            "api_me": time_calls(
                lambda: anonymous.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}),
                requests,
            ),
        }
        runtime.close()
    return {
        "bench": "web",
        "database": "postgresql" if database_url else "sqlite",
        "machine": machine(),
        "results": results,
    }
