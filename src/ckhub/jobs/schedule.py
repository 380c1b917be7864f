"""The one schedule of periodic tasks. Every periodic job of every area is listed here.

Times are the workspace's local times (`CKHUB_DEFAULT_TIMEZONE`, ckhub.workdays), as people
there live them: the heavy batch jobs at night, the messages before work starts — in China, the
same moments the schedule had when it was written in UTC for China, and elsewhere not, say, a
Monday digest that reaches a team in the Americas on Sunday afternoon.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from huey import crontab

from ckhub.jobs.queue import JobQueue
from ckhub.timeutil import to_zone

Schedule = Callable[[datetime], bool]

# (Huey task name, when (local time), job kind, quiet: recorded only when it did something)
PERIODIC_JOBS: list[tuple[str, Schedule, str, bool]] = [
    ("ckhub.deliver_outbox", crontab(minute="*"), "notify.deliver", True),
    ("ckhub.embed_pending", crontab(minute="*"), "knowledge.embed_pending", True),
    ("ckhub.purge_expired", crontab(minute="7"), "auth.purge_expired", False),
    # Housekeeping and the heavy recounts at night (after 03:00: the hour daylight saving time
    # skips or repeats is 02:00-03:00 in most zones that have it).
    ("ckhub.purge_jobs", crontab(minute="17", hour="3"), "jobs.purge_finished", False),
    (
        "ckhub.purge_conversations",
        crontab(minute="23", hour="3"),
        "assistant.purge_unused",
        True,
    ),
    ("ckhub.usage_signals", crontab(minute="27", hour="4"), "usage.recompute_signals", False),
    ("ckhub.refresh_topics", crontab(minute="47", hour="4"), "insights.refresh_topics", False),
    # After the night's topics, before people start work: yesterday and last week.
    ("ckhub.check_spikes", crontab(minute="15", hour="6"), "insights.check_spikes", True),
    # Monday morning: last week's digest and feedback report before the week starts.
    (
        "ckhub.weekly_digest",
        crontab(minute="30", hour="7", day_of_week="1"),
        "insights.weekly_digest",
        False,
    ),
    (
        "ckhub.feedback_report",
        crontab(minute="40", hour="7", day_of_week="1"),
        "feedback.weekly_report",
        False,
    ),
    # As the working day starts: overdue items and articles due for verification.
    ("ckhub.feedback_remind", crontab(minute="5", hour="8"), "feedback.remind", True),
    (
        "ckhub.article_freshness",
        crontab(minute="37", hour="9"),
        "helpcenter.check_freshness",
        False,
    ),
]


def in_zone(schedule: Schedule, zone: str) -> Schedule:
    """A crontab read in the zone's local time. Huey asks with its clock's UTC time (naive)."""

    def due(moment: datetime) -> bool:
        return schedule(to_zone(moment, zone).replace(tzinfo=None))

    return due


def register_schedule(queue: JobQueue) -> None:
    zone = queue.settings.default_timezone
    for name, when, kind, quiet in PERIODIC_JOBS:
        queue.periodic(name, in_zone(when, zone), kind, quiet)
