"""Creating job rows, running their handlers and recording status and progress."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ckhub.db.engine import session_scope
from ckhub.errors import Problem
from ckhub.jobs.models import Job, JobStatus
from ckhub.jobs.registry import HANDLERS, JobContext
from ckhub.settings import Settings
from ckhub.timeutil import utcnow

log = logging.getLogger(__name__)


def create_job(
    session: Session, kind: str, params: dict[str, Any] | None = None, created_by: int | None = None
) -> Job:
    if kind not in HANDLERS:
        raise Problem("unknown-job", "There is no job kind “{kind}”.", 422, kind=kind)
    job = Job(kind=kind, params=params or {}, created_by=created_by)
    session.add(job)
    session.commit()
    return job


def _update(factory: sessionmaker[Session], job_id: int, **values: Any) -> None:
    with session_scope(factory) as session:
        job = session.get(Job, job_id)
        if job is not None:
            for name, value in values.items():
                setattr(job, name, value)
            session.commit()


def run_job(settings: Settings, factory: sessionmaker[Session], job_id: int) -> None:
    """Run one job to the end, recording the outcome. Never raises: failures are recorded."""
    with session_scope(factory) as session:
        job = session.get(Job, job_id)
        if job is None or job.status != JobStatus.QUEUED:
            return  # already taken by another worker, or deleted
        kind, params = job.kind, dict(job.params)
    _update(factory, job_id, status=JobStatus.RUNNING.value, started_at=utcnow())

    def report(done: int, total: int, message: str) -> None:
        _update(factory, job_id, done=done, total=total, message=message[:255])

    context = JobContext(job_id, params, settings, factory, report)
    try:
        result = HANDLERS[kind](context)
    except Problem as problem:
        _update(
            factory,
            job_id,
            status=JobStatus.FAILED.value,
            error=problem.detail,
            finished_at=utcnow(),
        )
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, kind)
        _update(
            factory,
            job_id,
            status=JobStatus.FAILED.value,
            finished_at=utcnow(),
            error=f"Unexpected error ({type(exc).__name__}); see the server log.",
        )
    else:
        _update(
            factory,
            job_id,
            status=JobStatus.SUCCEEDED.value,
            result=result or {},
            finished_at=utcnow(),
        )


def run_quietly(settings: Settings, factory: sessionmaker[Session], kind: str) -> None:
    """Run a frequent periodic job; keep a job row only when it did something or failed.

    Delivering the outbox every minute would otherwise bury every other job under empty runs.
    """
    started = utcnow()
    context = JobContext(0, {"scheduled": True}, settings, factory, lambda *_args: None)
    try:
        result, error = HANDLERS[kind](context), ""
    except Exception as exc:
        log.exception("periodic job %s failed", kind)
        result, error = {}, f"Unexpected error ({type(exc).__name__}); see the server log."
    if error or any(result.values()):
        status = JobStatus.FAILED if error else JobStatus.SUCCEEDED
        with session_scope(factory) as session:
            session.add(
                Job(
                    kind=kind,
                    params={"scheduled": True},
                    status=status.value,
                    result=result,
                    error=error,
                    started_at=started,
                    finished_at=utcnow(),
                )
            )
            session.commit()


def purge_finished_jobs(session: Session, keep_days: int) -> int:
    cutoff = utcnow() - timedelta(days=keep_days)
    old = session.scalars(select(Job).where(Job.finished_at < cutoff)).all()
    for job in old:
        session.delete(job)
    session.commit()
    return len(old)


def list_jobs(session: Session, kind: str = "", status: str = "", limit: int = 100) -> list[Job]:
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if kind:
        query = query.where(Job.kind == kind)
    if status:
        query = query.where(Job.status == status)
    return list(session.scalars(query).all())


def latest_jobs(session: Session, kinds: list[str]) -> dict[str, Job]:
    """Each kind's most recent recorded run (purged after `jobs.purge_finished`'s days)."""
    latest = select(func.max(Job.id)).where(Job.kind.in_(kinds)).group_by(Job.kind)
    return {job.kind: job for job in session.scalars(select(Job).where(Job.id.in_(latest)))}
