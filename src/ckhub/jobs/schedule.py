"""The one schedule of periodic tasks. Every periodic job of every area is listed here."""

from __future__ import annotations

from huey import crontab

from ckhub.jobs.queue import JobQueue

# (Huey task name, when, job kind)
PERIODIC_JOBS = [
    ("ckhub.purge_expired", crontab(minute="7"), "auth.purge_expired"),
]


def register_schedule(queue: JobQueue) -> None:
    for name, when, kind in PERIODIC_JOBS:
        queue.periodic(name, when, kind)
