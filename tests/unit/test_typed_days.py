"""Days typed into filters (search, audit log, insights links) become moments in a zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ckhub.workdays import typed_day, typed_days


def test_a_typed_period_runs_from_the_first_days_start_to_the_last_days_end() -> None:
    since, until = typed_days("2026-11-02", "2026-11-08", "Asia/Shanghai")
    assert since == datetime(2026, 11, 1, 16, 0, tzinfo=UTC)  # midnight in Shanghai
    assert until == datetime(2026, 11, 8, 16, 0, tzinfo=UTC)  # the end of the 8th there


def test_the_day_clocks_go_back_is_25_hours_long() -> None:
    since, until = typed_days("2026-11-01", "2026-11-01", "America/New_York")
    assert since is not None and until is not None
    assert (until - since).total_seconds() == 25 * 3600


def test_what_is_not_a_day_leaves_its_bound_open() -> None:
    assert typed_days("", "yesterday", "UTC") == (None, None)
    assert typed_day(" 2026-11-23 ") == date(2026, 11, 23)
    for text in ("2026-W47-1", "20261123", "2026-02-30", "<script>"):
        assert typed_day(text) is None, text
