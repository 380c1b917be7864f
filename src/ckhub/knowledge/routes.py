"""Pages of the knowledge base: search and entry detail; the other pages' routers join here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem
from ckhub.knowledge import links, queries, sentiment_corrections, service
from ckhub.knowledge.customer_routes import router as customer_router
from ckhub.knowledge.forms import filters_from_query
from ckhub.knowledge.import_routes import router as import_router
from ckhub.knowledge.taxonomy_routes import router as taxonomy_router
from ckhub.knowledge.vocabulary import vocabulary
from ckhub.search.engine import SearchEngine, engine_for_settings
from ckhub.search.service import MODES, record_click, search_entries
from ckhub.web.deps import DB, StaffViewer, get_runtime, require
from ckhub.web.forms import last_number, notice_text, redirect_with_notice
from ckhub.web.templating import is_htmx, render, viewer_timezone

router = APIRouter(include_in_schema=False)
router.include_router(import_router)
router.include_router(customer_router)
router.include_router(taxonomy_router)
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]


def _engine(request: Request) -> SearchEngine:
    return engine_for_settings(get_runtime(request).settings)


@router.get("/knowledge")
def search_page(
    request: Request, db: DB, viewer: StaffViewer, q: str = "", mode: str = "hybrid"
) -> Response:
    mode = mode if mode in MODES else "hybrid"
    filters = filters_from_query(request.query_params, viewer_timezone(request))
    results = search_entries(db, _engine(request), viewer, q, filters, mode) if q.strip() else None
    template = "knowledge/_results.html" if is_htmx(request) else "knowledge/search.html"
    return render(
        request,
        template,
        q=q,
        mode=mode,
        modes=MODES,
        results=results,
        filters=filters,
        params=request.query_params,
        **vocabulary(db),
    )


@router.get("/knowledge/entries/{entry_id}")
def entry_page(
    request: Request, db: DB, viewer: StaffViewer, entry_id: int, query_id: int | None = None
) -> Response:
    entry = queries.visible_entry(db, viewer, entry_id)
    if query_id is not None:
        record_click(db, viewer, query_id, entry_id)
    similar = queries.similar_entries(db, _engine(request), viewer, entry)
    linked = links.linked_entries(db, viewer, entry_id)
    return render(
        request,
        "knowledge/entry.html",
        entry=entry,
        sentences=queries.sentences_of(db, entry_id),
        sentiment_correction=sentiment_corrections.correction_of(db, entry),
        similar=similar,
        linked=linked,
        linked_ids={item.entry.id for item in linked},
        link_kinds=links.LINK_KINDS,
        show_private=viewer.can(Capability.HANDLE_CUSTOMERS) and bool(entry.original_body),
        notice=notice_text(request.query_params.get("notice")),
        **vocabulary(db),
    )


@router.post("/knowledge/entries/{entry_id}/tags")
def retag(
    db: DB,
    viewer: Writer,
    entry_id: int,
    product_line_id: Annotated[str, Form()] = "",
    issue_type_id: Annotated[str, Form()] = "",
) -> Response:
    queries.visible_entry(db, viewer, entry_id)
    service.retag_entry(
        db,
        viewer,
        entry_id,
        product_line_id=int(product_line_id) if product_line_id.isdigit() else None,
        issue_type_id=int(issue_type_id) if issue_type_id.isdigit() else None,
    )
    return redirect_with_notice(f"/knowledge/entries/{entry_id}", "saved")


@router.post("/knowledge/entries/{entry_id}/sentiment")
def correct_sentiment(
    db: DB, viewer: Writer, entry_id: int, label: Annotated[str, Form()]
) -> Response:
    sentiment_corrections.correct_sentiment(db, viewer, entry_id, label)
    return redirect_with_notice(f"/knowledge/entries/{entry_id}", "saved")


@router.post("/knowledge/entries/{entry_id}/links")
def link(
    db: DB,
    viewer: Writer,
    entry_id: int,
    other: Annotated[str, Form()],
    kind: Annotated[str, Form()] = "related",
) -> Response:
    other_id = last_number(other)
    if other_id is None:
        raise Problem("invalid-link", "Give the number of the entry to link (e.g. 123).", 422)
    links.link_entries(db, viewer, entry_id, other_id, kind)
    return redirect_with_notice(f"/knowledge/entries/{entry_id}", "saved")


@router.post("/knowledge/entries/{entry_id}/links/{other_id}/delete")
def unlink(db: DB, viewer: Writer, entry_id: int, other_id: int) -> Response:
    links.unlink_entries(db, viewer, entry_id, other_id)
    return redirect_with_notice(f"/knowledge/entries/{entry_id}", "saved")


@router.post("/knowledge/entries/{entry_id}/delete")
def delete(db: DB, viewer: StaffViewer, entry_id: int) -> Response:
    queries.visible_entry(db, viewer, entry_id)
    service.delete_entry(db, viewer, entry_id)
    return redirect_with_notice("/knowledge", "deleted")
