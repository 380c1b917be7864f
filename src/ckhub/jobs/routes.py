"""The jobs page: what runs in the background, with live progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden
from ckhub.jobs.registry import HANDLERS
from ckhub.jobs.runner import list_jobs
from ckhub.jobs.schedule import schedule_overview
from ckhub.timeutil import utcnow
from ckhub.web.deps import DB, get_runtime, require
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import is_htmx, render, request_locale

router = APIRouter(prefix="/admin/jobs", include_in_schema=False)
JobViewer = Annotated[Viewer, Depends(require(Capability.VIEW_JOBS))]
# Jobs an administrator may start by hand from the page (periodic maintenance).
MANUAL_JOBS = ("auth.purge_expired", "insights.refresh_topics")


@router.get("")
def jobs_page(
    request: Request, db: DB, viewer: JobViewer, kind: str = "", status: str = ""
) -> Response:
    jobs = list_jobs(db, kind, status)
    template = "jobs/_table.html" if is_htmx(request) else "jobs/jobs.html"
    zone = get_runtime(request).settings.default_timezone
    return render(
        request,
        template,
        jobs=jobs,
        schedule=schedule_overview(db, zone, request_locale(request), utcnow()),
        workspace_zone=zone,
        kinds=sorted(HANDLERS),
        manual_jobs=MANUAL_JOBS,
        filters={"kind": kind, "status": status},
        any_running=any(not job.is_finished for job in jobs),
        notice=notice_text(request.query_params.get("notice")),
    )


@router.post("/run")
def run_job_now(request: Request, viewer: JobViewer, kind: Annotated[str, Form()]) -> Response:
    if not viewer.can(Capability.MANAGE_USERS):
        raise forbidden()
    if kind not in MANUAL_JOBS:
        raise Problem("unknown-job", "There is no job kind “{kind}”.", 422, kind=kind)
    get_runtime(request).queue.enqueue(kind, created_by=viewer.user_id)
    return redirect_with_notice("/admin/jobs", "job-queued")
