"""The Huey queue: SQLite-backed in the embedded mode, Redis-backed at scale.

Huey only transports job ids. One generic task runs any registered handler, so areas register
plain functions (see registry.py) and never touch Huey themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy.orm import Session, sessionmaker

from ckhub.jobs.runner import create_job, run_job, run_quietly
from ckhub.settings import Settings


class JobQueue:
    """Enqueue jobs and expose the Huey instance that consumers run."""

    def __init__(self, settings: Settings, factory: sessionmaker[Session]) -> None:
        self.settings = settings
        self.factory = factory
        self.huey = make_huey(settings)
        self._run = self.huey.task(name="ckhub.run_job")(self._run_job)

    def _run_job(self, job_id: int) -> None:
        run_job(self.settings, self.factory, job_id)

    def enqueue(
        self, kind: str, params: dict[str, Any] | None = None, created_by: int | None = None
    ) -> int:
        """Record a job and hand it to the queue; returns the job id."""
        with self.factory() as session:
            job_id = create_job(session, kind, params, created_by).id
        self._run(job_id)
        return job_id

    def periodic(
        self, name: str, schedule: Callable[[Any], bool], kind: str, quiet: bool = False
    ) -> None:
        """Run job `kind` on a crontab-style schedule, recorded like any other job.

        `quiet` jobs (those running every minute) are recorded only when they did something.
        """

        def start() -> None:
            if quiet:
                run_quietly(self.settings, self.factory, kind)
                return
            with self.factory() as session:
                job_id = create_job(session, kind, {"scheduled": True}).id
            run_job(self.settings, self.factory, job_id)

        self.huey.periodic_task(schedule, name=name)(start)


def make_huey(settings: Settings) -> Huey:
    if settings.queue == "redis":
        return RedisHuey("ckhub", url=settings.redis_url, immediate=settings.queue_immediate)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        "ckhub", filename=str(settings.var_dir / "queue.db"), immediate=settings.queue_immediate
    )
