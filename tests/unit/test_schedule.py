"""Periodic jobs run at the workspace's local times: Huey's clock says UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from ckhub.jobs.schedule import PERIODIC_JOBS, Schedule, in_zone


def _huey_clock(*when: int) -> datetime:
    """What Huey's scheduler passes: the UTC time without a zone."""
    return datetime(*when, tzinfo=UTC).replace(tzinfo=None)


def _when(kind: str) -> Schedule:
    return next(when for _name, when, job_kind, _quiet in PERIODIC_JOBS if job_kind == kind)


def test_the_monday_digest_goes_out_on_monday_morning_wherever_the_workspace_is() -> None:
    digest = _when("insights.weekly_digest")
    shanghai, new_york = in_zone(digest, "Asia/Shanghai"), in_zone(digest, "America/New_York")
    assert shanghai(_huey_clock(2026, 11, 22, 23, 30))  # Sunday 23:30 UTC: Monday 07:30 there
    assert not shanghai(_huey_clock(2026, 11, 23, 7, 30))
    assert new_york(_huey_clock(2026, 11, 23, 12, 30))  # Monday 07:30 in New York (winter, -5)
    assert not new_york(_huey_clock(2026, 11, 22, 23, 30))  # Sunday evening there
    assert new_york(_huey_clock(2026, 7, 6, 11, 30))  # summer time (-4): still 07:30 local


def test_night_jobs_run_at_night_and_messages_before_work() -> None:
    shanghai = {kind: in_zone(when, "Asia/Shanghai") for _n, when, kind, _q in PERIODIC_JOBS}
    assert shanghai["insights.refresh_topics"](_huey_clock(2026, 11, 22, 20, 47))  # 04:47 there
    assert shanghai["insights.check_spikes"](_huey_clock(2026, 11, 22, 22, 15))  # 06:15, after it
    assert shanghai["feedback.remind"](_huey_clock(2026, 11, 23, 0, 5))  # 08:05
    every_minute = shanghai["notify.deliver"]
    assert every_minute(_huey_clock(2026, 11, 23, 3, 1)) and every_minute(
        _huey_clock(2026, 11, 23, 3, 2)
    )
