"""Charts, trends and reports count the workspace's days (CKHUB_DEFAULT_TIMEZONE), not UTC days:
a complaint at 07:30 on a Tuesday in Shanghai is Tuesday's, though it is still Monday in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from ckhub.db.types import UTCDateTime
from ckhub.insights.filters import InsightFilters
from ckhub.insights.rollups import refresh_rollups, rollups_serve
from ckhub.insights.trends import overall_line, trend_lines
from ckhub.periods import as_day
from ckhub.workdays import ZONE_KEY, day_start, local_day, today_of, zone_of
from tests.factories import SYSTEM
from tests.knowledge_factories import entry, ingest

# Monday 2026-03-02 23:30 UTC: Tuesday 07:30 in Shanghai, Tuesday 00:30 in Berlin (winter time).
TUESDAY_MORNING = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "zone", "day"),
    [
        (TUESDAY_MORNING, "Asia/Shanghai", date(2026, 3, 3)),
        (TUESDAY_MORNING, "UTC", date(2026, 3, 2)),
        (TUESDAY_MORNING, "Europe/Berlin", date(2026, 3, 3)),  # +1 in winter
        (datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "Europe/Berlin", date(2026, 7, 2)),  # +2 now
        (datetime(2026, 1, 1, 22, 30, tzinfo=UTC), "Europe/Berlin", date(2026, 1, 1)),
        (TUESDAY_MORNING, "America/New_York", date(2026, 3, 2)),
        (TUESDAY_MORNING, "Not/AZone", date(2026, 3, 2)),  # unknown: UTC, as times are shown
    ],
)
def test_the_database_counts_the_zones_day(
    db: Session, moment: datetime, zone: str, day: date
) -> None:
    """Both databases; a zone with daylight saving time too (SQLite reads it through Python)."""
    found = db.scalar(select(local_day(literal(moment, UTCDateTime()), zone)))
    assert as_day(found) == day


def _tuesday_morning_complaint(db: Session) -> None:
    ingest(db, entry("平板同步失败，重启也没用", "early", occurred_at=TUESDAY_MORNING))


def _count_on(db: Session, day: date, zone: str) -> int:
    filters = InsightFilters(zone=zone, until=day, days=1, weekly=False)
    return overall_line(trend_lines(db, SYSTEM, filters), filters).total


def test_a_morning_complaint_counts_on_the_workspaces_day(db: Session) -> None:
    _tuesday_morning_complaint(db)
    assert zone_of(db) == "Asia/Shanghai"  # the default workspace zone
    assert _count_on(db, date(2026, 3, 3), "Asia/Shanghai") == 1
    assert _count_on(db, date(2026, 3, 2), "Asia/Shanghai") == 0
    assert _count_on(db, date(2026, 3, 2), "UTC") == 1  # as it was counted before


def test_rollups_are_counted_again_when_the_workspace_changes_zone(db: Session) -> None:
    _tuesday_morning_complaint(db)
    today = InsightFilters(zone=zone_of(db), until=today_of(db), days=30)
    assert refresh_rollups(db) is True
    assert rollups_serve(db, today)
    db.info[ZONE_KEY] = "Europe/Berlin"  # as a restart with another CKHUB_DEFAULT_TIMEZONE
    berlin = InsightFilters(zone="Europe/Berlin", until=today_of(db), days=30)
    assert not rollups_serve(db, berlin)  # counted in Shanghai's days: not for Berlin's
    assert refresh_rollups(db) is True
    assert rollups_serve(db, berlin)


def test_a_day_begins_at_the_zones_midnight() -> None:
    assert day_start(date(2026, 3, 3), "Asia/Shanghai") == datetime(2026, 3, 2, 16, tzinfo=UTC)
    assert day_start(date(2026, 7, 2), "Europe/Berlin") == datetime(2026, 7, 1, 22, tzinfo=UTC)
