"""Roll-ups per period give the dashboard without filters (or with only a feeling) exactly what
counting the entries gives, for every viewer's permissions, and step aside when filtered
otherwise, stale or not for today."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role, Viewer
from ckhub.auth.service import viewer_for
from ckhub.insights.dashboard import Dashboard, insights_dashboard
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import RollupState
from ckhub.insights.rollups import STATE_ID, refresh_rollups, rollups_serve
from ckhub.timeutil import utcnow
from ckhub.workdays import today_of, zone_of
from tests.factories import SYSTEM, make_user
from tests.integration.test_insights_dashboard import _history
from tests.knowledge_factories import entry, ingest

WINDOWS = (
    {"days": "90"},
    {"days": "30", "grain": "day"},
    {"days": "365"},
    {"days": "90", "sentiment": "negative"},
)


def _numbers(board: Dashboard) -> dict[str, Any]:
    """Everything a dashboard counts, comparable."""

    def line(item: Any) -> tuple[Any, ...]:
        return (item.key, item.periods, item.entries, item.negative, item.positive, item.spikes)

    return {
        "feeling": line(board.feeling),
        "topics": sorted(line(item) for item in board.topic_lines),
        "breakdowns": [
            (breakdown.dimension, sorted(map(line, breakdown.lines), key=str))
            for breakdown in board.breakdowns
        ],
        "aspects": [
            (row.group.id, row.mentions, row.negative, row.positive, row.negative_before)
            for row in board.negative_aspects + board.positive_aspects
        ],
        "aspects over time": board.charts["aspects"],
    }


def test_rollups_count_what_the_entries_count_for_every_viewer(db: Session) -> None:
    _history(db)
    outsider = viewer_for(db, make_user(db, "emp.sun", Role.EMPLOYEE).user)
    viewers: list[Viewer] = [SYSTEM, outsider]
    counted = {
        (index, viewer.username): _numbers(
            insights_dashboard(db, viewer, InsightFilters.from_params(params, zone_of(db)))
        )
        for index, params in enumerate(WINDOWS)
        for viewer in viewers
    }
    assert refresh_rollups(db) is True
    assert refresh_rollups(db) is False  # nothing changed since
    for index, params in enumerate(WINDOWS):
        filters = InsightFilters.from_params(params, zone_of(db))
        assert rollups_serve(db, filters)
        for viewer in viewers:
            rolled_up = _numbers(insights_dashboard(db, viewer, filters))
            assert rolled_up == counted[(index, viewer.username)], (params, viewer.username)
    # The team-only entry is in the system's counts and not in the outsider's.
    assert counted[(0, SYSTEM.username)]["feeling"][2] != counted[(0, "emp.sun")]["feeling"][2]


def test_rollups_step_aside_when_filtered_stale_or_not_for_today(db: Session) -> None:
    ingest(db, entry("平板同步失败，重启也没用", "t1"))
    plain = InsightFilters.from_params({"days": "30"}, zone_of(db))
    assert not rollups_serve(db, plain)  # never built
    refresh_rollups(db)
    assert rollups_serve(db, plain)
    assert not rollups_serve(
        db, InsightFilters.from_params({"days": "30", "channel": "ticket"}, zone_of(db))
    )
    assert not rollups_serve(
        db, InsightFilters.from_params({"days": "30", "topic": "1"}, zone_of(db))
    )
    assert rollups_serve(
        db, InsightFilters.from_params({"days": "30", "sentiment": "negative"}, zone_of(db))
    )
    yesterday = (today_of(db) - timedelta(days=1)).isoformat()
    assert not rollups_serve(
        db, InsightFilters.from_params({"days": "30", "until": yesterday}, zone_of(db))
    )
    state = db.get(RollupState, STATE_ID)
    assert state is not None
    state.checked_at = utcnow() - timedelta(minutes=10)  # the minute job has stopped
    db.commit()
    assert not rollups_serve(db, plain)
    assert refresh_rollups(db) is False  # unchanged data: only checked again…
    assert rollups_serve(db, plain)  # …and read again
    ingest(db, entry("平板又同步失败了", "t2"))
    assert refresh_rollups(db) is True
    assert insights_dashboard(db, SYSTEM, plain).feeling.total == 2
