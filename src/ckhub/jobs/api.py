"""JSON API for jobs: status and progress of background work."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import not_found
from ckhub.i18n_marker import N_
from ckhub.jobs.models import Job
from ckhub.jobs.runner import list_jobs
from ckhub.web.deps import DB, SignedInViewer, require

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


class JobOut(BaseModel):
    id: int
    kind: str
    status: str
    done: int
    total: int
    percent: int | None
    message: str
    error: str
    result: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status,
            done=job.done,
            total=job.total,
            percent=job.percent,
            message=job.message,
            error=job.error,
            result=job.result,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


@router.get("", response_model=list[JobOut])
def api_list_jobs(
    db: DB,
    viewer: Annotated[Viewer, Depends(require(Capability.VIEW_JOBS))],
    kind: str = "",
    status: str = "",
) -> list[JobOut]:
    return [JobOut.of(job) for job in list_jobs(db, kind, status)]


@router.get("/{job_id}", response_model=JobOut)
def api_get_job(job_id: int, db: DB, viewer: SignedInViewer) -> JobOut:
    """A job's status: its starter may follow it; so may whoever sees all jobs."""
    job = db.get(Job, job_id)
    if job is None or (job.created_by != viewer.user_id and not viewer.can(Capability.VIEW_JOBS)):
        raise not_found(N_("Job"))
    return JobOut.of(job)
