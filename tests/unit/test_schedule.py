"""Periodic jobs run at the workspace's local times: Huey's clock says UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ckhub.jobs.schedule import PERIODIC_JOBS, Cadence, in_zone


def _huey_clock(*when: int) -> datetime:
    """What Huey's scheduler passes: the UTC time without a zone."""
    return datetime(*when, tzinfo=UTC).replace(tzinfo=None)


def _when(kind: str) -> Cadence:
    return next(job.when for job in PERIODIC_JOBS if job.kind == kind)


def test_the_monday_digest_goes_out_on_monday_morning_wherever_the_workspace_is() -> None:
    digest = _when("insights.weekly_digest")
    shanghai, new_york = in_zone(digest, "Asia/Shanghai"), in_zone(digest, "America/New_York")
    assert shanghai(_huey_clock(2026, 11, 22, 23, 30))  # Sunday 23:30 UTC: Monday 07:30 there
    assert not shanghai(_huey_clock(2026, 11, 23, 7, 30))
    assert new_york(_huey_clock(2026, 11, 23, 12, 30))  # Monday 07:30 in New York (winter, -5)
    assert not new_york(_huey_clock(2026, 11, 22, 23, 30))  # Sunday evening there
    assert new_york(_huey_clock(2026, 7, 6, 11, 30))  # summer time (-4): still 07:30 local


def test_night_jobs_run_at_night_and_messages_before_work() -> None:
    shanghai = {job.kind: in_zone(job.when, "Asia/Shanghai") for job in PERIODIC_JOBS}
    assert shanghai["insights.refresh_topics"](_huey_clock(2026, 11, 22, 20, 47))  # 04:47 there
    assert shanghai["insights.check_spikes"](_huey_clock(2026, 11, 22, 22, 15))  # 06:15, after it
    assert shanghai["feedback.remind"](_huey_clock(2026, 11, 23, 0, 5))  # 08:05
    every_minute = shanghai["notify.deliver"]
    assert every_minute(_huey_clock(2026, 11, 23, 3, 1)) and every_minute(
        _huey_clock(2026, 11, 23, 3, 2)
    )


def test_the_next_run_is_the_first_due_minute_in_the_workspaces_time() -> None:
    digest = _when("insights.weekly_digest")
    sunday_night = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # Monday 07:00 in Shanghai
    assert digest.next_run(sunday_night, "Asia/Shanghai") == datetime(
        2026, 11, 23, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")
    )
    at_the_minute = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # running now: next week's
    assert digest.next_run(at_the_minute, "Asia/Shanghai").day == 30
    assert digest.describe("en") == "Mondays at 07:30"
    assert digest.describe("zh") == "每周一 07:30"

    hourly = _when("auth.purge_expired")
    assert hourly.next_run(datetime(2026, 11, 23, 3, 8, 30, tzinfo=UTC), "UTC") == datetime(
        2026, 11, 23, 4, 7, tzinfo=ZoneInfo("UTC")
    )
    assert hourly.describe("en") == "every hour at :07"
    assert Cadence().next_run(datetime(2026, 11, 23, 3, 8, 30, tzinfo=UTC), "UTC").minute == 9

    # The night New York's clocks go forward, a 04:47 job still runs at 04:47 local time.
    topics = _when("insights.refresh_topics")
    evening = datetime(2026, 3, 7, 23, 0, tzinfo=UTC)  # 18:00 EST
    assert topics.next_run(evening, "America/New_York").astimezone(UTC) == datetime(
        2026, 3, 8, 8, 47, tzinfo=UTC
    )
    assert topics.describe("en") == "daily at 04:47"
