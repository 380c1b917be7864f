"""The import pages: upload, map the columns with a preview, follow the job, read the report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, not_found
from ckhub.i18n_marker import N_
from ckhub.jobs.models import Job
from ckhub.knowledge.connectors.base import ImportOptions, RowError
from ckhub.knowledge.connectors.mapping import FIELDS, build_mapping
from ckhub.knowledge.connectors.tables import preview_rows
from ckhub.knowledge.connectors.tabular import row_to_entry
from ckhub.knowledge.labels import CHANNEL_LABELS, UPLOAD_KIND_LABELS, VISIBILITY_LABELS
from ckhub.knowledge.uploads import (
    UPLOAD_KINDS,
    PendingUpload,
    load_upload,
    new_upload,
    save_upload,
)
from ckhub.web.deps import DB, get_runtime, require
from ckhub.web.templating import is_htmx, render

router = APIRouter(prefix="/knowledge/import", include_in_schema=False)
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]


@router.get("")
def upload_page(request: Request, viewer: Writer) -> Response:
    return _upload_form(request)


def _upload_form(request: Request, error: Problem | None = None, status: int = 200) -> Response:
    return render(
        request,
        "knowledge/import_upload.html",
        status_code=status,
        error=error,
        channel_labels=CHANNEL_LABELS,
        visibility_labels=VISIBILITY_LABELS,
        kind_labels=UPLOAD_KIND_LABELS,
        accepted=",".join(sorted({s for suffixes in UPLOAD_KINDS.values() for s in suffixes})),
    )


@router.post("")
def upload(
    request: Request,
    viewer: Writer,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()] = "table",
    source: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "",
    visibility: Annotated[str, Form()] = "internal",
    team: Annotated[str, Form()] = "",
) -> Response:
    settings = get_runtime(request).settings
    try:
        details = new_upload(
            file.filename or "upload.csv",
            kind,
            source=source.strip(),
            channel=channel,
            visibility=visibility,
            team=team.strip(),
            uploaded_by=viewer.username,
        )
        details.source = details.source or details.filename.rsplit(".", 1)[0]
        save_upload(settings, file.file, details)
    except Problem as problem:
        return _upload_form(request, problem, problem.status)
    if details.needs_mapping:
        return RedirectResponse(f"/knowledge/import/{details.token}", status_code=303)
    return _start_job(request, viewer, details, {})


async def _mapping_from_form(request: Request) -> dict[str, list[str]]:
    """The chosen column of each field (form fields map_<field>; empty means not mapped)."""
    form = await request.form()
    chosen = {name: str(form.get(f"map_{name}") or "") for name in FIELDS}
    return {name: [column] for name, column in chosen.items() if column}


def _preview(request: Request, token: str, given: dict[str, list[str]] | None) -> Response:
    settings = get_runtime(request).settings
    upload = load_upload(settings, token)
    header, rows = preview_rows(upload.path(settings), upload.kind)
    error: Problem | None = None
    mapped: list[tuple[int, object]] = []
    guessed: dict[str, list[str]] = {}
    try:
        mapping = build_mapping(header, given or {})
        guessed = mapping.columns
        options = ImportOptions(
            source=upload.source, channel=upload.channel, timezone=settings.default_timezone
        )
        mapped = [
            (n, row_to_entry(n, dict(zip(header, row, strict=False)), mapping, options))
            for n, row in enumerate(rows, 2)
        ]
    except Problem as problem:
        error = problem
    template = "knowledge/_import_preview.html" if is_htmx(request) else "knowledge/import_map.html"
    return render(
        request,
        template,
        upload=upload,
        header=header,
        rows=rows,
        fields=FIELDS,
        mapping=guessed,
        mapped=mapped,
        error=error,
        row_error=RowError,
    )


@router.get("/{token}")
def mapping_page(request: Request, viewer: Writer, token: str) -> Response:
    return _preview(request, token, None)


@router.post("/{token}/preview")
async def preview(request: Request, viewer: Writer, token: str) -> Response:
    return _preview(request, token, await _mapping_from_form(request))


@router.post("/{token}/start")
async def start(request: Request, viewer: Writer, token: str) -> Response:
    mapping = await _mapping_from_form(request)
    return _start_job(request, viewer, load_upload(get_runtime(request).settings, token), mapping)


def _start_job(
    request: Request, viewer: Viewer, upload: PendingUpload, mapping: dict[str, list[str]]
) -> Response:
    runtime = get_runtime(request)
    params = {
        "kind": upload.table_format if upload.kind == "usage" else upload.kind,
        "path": str(upload.path(runtime.settings)),
        "source": upload.source,
        "channel": upload.channel,
        "visibility": upload.visibility,
        "team": upload.team,
        "mapping": mapping,
        "filename": upload.filename,
        "started_by": viewer.username,
    }
    job_kind = "usage.import" if upload.kind == "usage" else "knowledge.import"
    job_id = runtime.queue.enqueue(job_kind, params, created_by=viewer.user_id)
    return RedirectResponse(f"/knowledge/import/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, db: DB, viewer: Writer, job_id: int) -> Response:
    job = db.get(Job, job_id)
    if (
        job is None
        or job.kind not in ("knowledge.import", "usage.import")
        or (job.created_by != viewer.user_id and not viewer.can(Capability.VIEW_JOBS))
    ):
        raise not_found(N_("Job"))
    template = "knowledge/_import_job.html" if is_htmx(request) else "knowledge/import_job.html"
    return render(request, template, job=job)
