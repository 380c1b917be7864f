"""Housekeeping of the job table itself."""

from __future__ import annotations

from typing import Any

from ckhub.db.engine import session_scope
from ckhub.jobs.registry import JobContext, job_handler
from ckhub.jobs.runner import purge_finished_jobs

KEEP_FINISHED_DAYS = 30


@job_handler("jobs.purge_finished")
def purge_finished(context: JobContext) -> dict[str, Any]:
    """Delete jobs that finished more than 30 days ago."""
    with session_scope(context.session_factory) as session:
        return {"jobs_deleted": purge_finished_jobs(session, KEEP_FINISHED_DAYS)}
