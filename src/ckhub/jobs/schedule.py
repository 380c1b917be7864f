"""The one schedule of periodic tasks. Every periodic job of every area is listed here.

Times are the workspace's local times (`CKHUB_DEFAULT_TIMEZONE`, ckhub.workdays), as people
there live them: the heavy batch jobs at night, the messages before work starts — in China, the
same moments the schedule had when it was written in UTC for China, and elsewhere not, say, a
Monday digest that reaches a team in the Americas on Sunday afternoon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy.orm import Session

from ckhub.i18n_marker import N_
from ckhub.jobs.models import Job
from ckhub.jobs.queue import JobQueue
from ckhub.jobs.runner import latest_jobs
from ckhub.timeutil import to_zone
from ckhub.web.i18n import translate

MONDAY = 0


@dataclass(frozen=True)
class Cadence:
    """When a periodic job runs, in the workspace's local time: at `minute` of every hour, or of
    `hour` every day, or only on `weekday` (0 = Monday); no minute means every minute."""

    minute: int | None = None
    hour: int | None = None
    weekday: int | None = None

    def is_due(self, local: datetime) -> bool:
        return (
            (self.minute is None or local.minute == self.minute)
            and (self.hour is None or local.hour == self.hour)
            and (self.weekday is None or local.weekday() == self.weekday)
        )

    def next_run(self, moment: datetime, zone: str) -> datetime:
        """The first minute after `moment` (aware) when the job is due, in the zone's time."""
        start = to_zone(moment, zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
        if self.minute is None:
            return start
        run = start.replace(minute=self.minute)
        if self.hour is None:
            return run if run >= start else run + timedelta(hours=1)
        run = run.replace(hour=self.hour)
        if self.weekday is not None:
            run += timedelta(days=(self.weekday - run.weekday()) % 7)
        if run < start:
            run += timedelta(days=1 if self.weekday is None else 7)
        return run

    def describe(self, language: str) -> str:
        """ "Mondays at 07:30" in `language`."""
        if self.minute is None:
            return translate(language, N_("every minute"))
        if self.hour is None:
            return translate(language, N_("every hour at :{minute:02d}"), minute=self.minute)
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.weekday == MONDAY:
            return translate(language, N_("Mondays at {time}"), time=at)
        if self.weekday is not None:  # no job runs on another single day yet
            raise ValueError(f"no description for weekday {self.weekday}")
        return translate(language, N_("daily at {time}"), time=at)


class PeriodicJob(NamedTuple):
    name: str  # Huey's task name
    when: Cadence  # local time
    kind: str  # the job kind it runs
    quiet: bool  # recorded only when it did something


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob("ckhub.deliver_outbox", Cadence(), "notify.deliver", True),
    PeriodicJob("ckhub.embed_pending", Cadence(), "knowledge.embed_pending", True),
    PeriodicJob("ckhub.purge_expired", Cadence(minute=7), "auth.purge_expired", False),
    # Housekeeping and the heavy recounts at night (after 03:00: the hour daylight saving time
    # skips or repeats is 02:00-03:00 in most zones that have it).
    PeriodicJob("ckhub.purge_jobs", Cadence(17, 3), "jobs.purge_finished", False),
    PeriodicJob("ckhub.purge_conversations", Cadence(23, 3), "assistant.purge_unused", True),
    PeriodicJob("ckhub.usage_signals", Cadence(27, 4), "usage.recompute_signals", False),
    PeriodicJob("ckhub.refresh_topics", Cadence(47, 4), "insights.refresh_topics", False),
    # After the night's topics, before people start work: yesterday and last week.
    PeriodicJob("ckhub.check_spikes", Cadence(15, 6), "insights.check_spikes", True),
    # Monday morning: last week's digest and feedback report before the week starts.
    PeriodicJob("ckhub.weekly_digest", Cadence(30, 7, MONDAY), "insights.weekly_digest", False),
    PeriodicJob("ckhub.feedback_report", Cadence(40, 7, MONDAY), "feedback.weekly_report", False),
    # As the working day starts: overdue items and articles due for verification.
    PeriodicJob("ckhub.feedback_remind", Cadence(5, 8), "feedback.remind", True),
    PeriodicJob("ckhub.article_freshness", Cadence(37, 9), "helpcenter.check_freshness", False),
]


def in_zone(cadence: Cadence, zone: str) -> Callable[[datetime], bool]:
    """The cadence read in the zone's local time. Huey asks with its clock's UTC time (naive)."""

    def due(moment: datetime) -> bool:
        return cadence.is_due(to_zone(moment, zone))

    return due


@dataclass(frozen=True)
class ScheduledJob:
    """A row of the jobs page's schedule."""

    kind: str
    when: str  # "daily at 04:47", in the workspace's time
    next_run: datetime
    quiet: bool
    last: Job | None  # its most recent recorded run


def schedule_overview(
    session: Session, zone: str, language: str, now: datetime
) -> list[ScheduledJob]:
    last = latest_jobs(session, [job.kind for job in PERIODIC_JOBS])
    return [
        ScheduledJob(
            job.kind,
            job.when.describe(language),
            job.when.next_run(now, zone),
            job.quiet,
            last.get(job.kind),
        )
        for job in PERIODIC_JOBS
    ]


def register_schedule(queue: JobQueue) -> None:
    zone = queue.settings.default_timezone
    for job in PERIODIC_JOBS:
        queue.periodic(job.name, in_zone(job.when, zone), job.kind, job.quiet)
