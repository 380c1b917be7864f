"""The insights dashboard is computed once per visibility scope, filters and data version, and
served from that while the data has not changed (or changed less than the allowed staleness
ago, while it is computed again behind the scenes)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth import service as accounts
from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.insights.dashboard_cache import DashboardCache
from ckhub.insights.filters import InsightFilters
from ckhub.runtime import Runtime
from ckhub.settings import Settings
from tests.factories import SYSTEM, make_user, sign_in
from tests.knowledge_factories import entry, ingest

FILTERS = InsightFilters.from_params({"days": "30"}, Settings().default_timezone)


def test_unchanged_data_is_served_from_the_kept_dashboard(db: Session, runtime: Runtime) -> None:
    ingest(db, entry("平板同步失败，重启也没用", "t1"))
    cache = DashboardCache(runtime.session_factory, max_stale_seconds=0)
    first = cache.dashboard(db, SYSTEM, FILTERS)
    assert first.board.feeling.total == 1
    assert cache.dashboard(db, SYSTEM, FILTERS) is first
    ingest(db, entry("平板又同步失败了", "t2"))
    fresh = cache.dashboard(db, SYSTEM, FILTERS)  # no staleness allowed: counted again at once
    assert fresh is not first and fresh.board.feeling.total == 2


def test_changed_data_is_counted_again_behind_the_scenes(db: Session, runtime: Runtime) -> None:
    ingest(db, entry("平板同步失败，重启也没用", "t1"))
    cache = DashboardCache(runtime.session_factory, max_stale_seconds=60)
    kept = cache.dashboard(db, SYSTEM, FILTERS)
    ingest(db, entry("平板又同步失败了", "t2"))
    assert cache.dashboard(db, SYSTEM, FILTERS) is kept  # a little stale, served at once…
    cache.wait()
    assert cache.dashboard(db, SYSTEM, FILTERS).board.feeling.total == 2  # …then fresh


def test_viewers_who_see_different_rows_never_share_a_dashboard(
    db: Session, runtime: Runtime
) -> None:
    team = accounts.create_team(db, SYSTEM, "研发")
    ingest(
        db,
        entry("导出按钮点了没反应", "t1"),
        entry("研发内部：导出崩溃的复现步骤", "t2", visibility="team", team="研发"),
    )
    member = make_user(db, "dev.li", Role.EMPLOYEE, team_ids=(team.id,))
    outsider = make_user(db, "emp.sun", Role.EMPLOYEE)
    cache = DashboardCache(runtime.session_factory, max_stale_seconds=60)
    seen_by_member = cache.dashboard(db, viewer_for(db, member.user), FILTERS)
    seen_by_outsider = cache.dashboard(db, viewer_for(db, outsider.user), FILTERS)
    assert seen_by_member.board.feeling.total == 2
    assert seen_by_outsider.board.feeling.total == 1


def test_the_page_says_when_it_was_counted(client: TestClient, db: Session) -> None:
    ingest(db, entry("平板同步失败，重启也没用", "t1"))
    make_user(db, "emp.sun", Role.EMPLOYEE)
    sign_in(client, "emp.sun")
    page = client.get("/insights?days=30").text
    assert 'id="computed-at"' in page and "Counted at" in page
