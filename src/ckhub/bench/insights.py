"""`ckhub bench insights`: how long the insights pages take in a workspace (e.g. the 100k one
`bench ingest` kept), through the web app as a signed-in analyst would load them.

The roll-ups are first brought up to date, as the minute job keeps them (timed: `rollups`).
For each window the dashboard is timed counted afresh (nothing kept: from the roll-ups) and as
it is served while the data is unchanged (kept per visibility scope and filters,
insights/dashboard_cache.py); the topic list and a drill-down are timed as they are.
"""

from __future__ import annotations

import secrets
import time
from functools import partial
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.app import create_app
from ckhub.auth import service, tokens
from ckhub.auth.models import User
from ckhub.auth.permissions import Role, Viewer
from ckhub.bench.scale import bench_workspace
from ckhub.bench.timing import machine, time_calls
from ckhub.insights.dashboard_cache import dashboard_cache_for
from ckhub.insights.rollups import refresh_rollups

WINDOWS = ("days=90&grain=day", "days=180&grain=week", "days=365&grain=week")
BENCH_USER = "bench-insights"


def _token(session: Session) -> str:
    user = session.scalar(select(User).where(User.username == BENCH_USER))
    if user is None:
        user = service.create_user(
            session,
            Viewer.system("bench"),
            username=BENCH_USER,
            password=secrets.token_urlsafe(24),  # never used: the bench signs in by token
            role=Role.KNOWLEDGE_MANAGER,
        )
    return tokens.create_token(session, service.viewer_for(session, user), "bench").secret


def run_insights_bench(requests: int, var_dir: Path | None, database_url: str) -> dict[str, Any]:
    with bench_workspace(var_dir, database_url) as runtime:
        with runtime.session_factory() as session:
            secret = _token(session)
            begin = time.perf_counter()
            rebuilt = refresh_rollups(session)
            rollups = {"rebuilt": rebuilt, "seconds": round(time.perf_counter() - begin, 2)}
        browser = TestClient(create_app(runtime=runtime), follow_redirects=False)
        browser.headers["Authorization"] = f"Bearer {secret}"

        def load(path: str) -> None:
            response = browser.get(path)
            assert response.status_code == 200, response.text[:200]

        kept = dashboard_cache_for(runtime)

        def count_afresh(path: str) -> None:
            kept.forget()
            load(path)

        load("/insights")  # the app's first request pays for loading templates and models
        results: dict[str, Any] = {}
        for window in WINDOWS:
            path = f"/insights?{window}"
            results[f"dashboard {window} counted"] = time_calls(
                partial(count_afresh, path), max(3, requests // 4)
            )
            results[f"dashboard {window} kept"] = time_calls(partial(load, path), requests)
        results["topic list"] = time_calls(lambda: load("/insights/topics"), max(3, requests // 4))
        results["entries behind a point"] = time_calls(
            lambda: load("/insights/entries?days=180&sentiment=negative"), max(3, requests // 4)
        )
    return {"bench": "insights", "machine": machine(), "rollups": rollups, "results": results}
