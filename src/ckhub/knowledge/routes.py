"""Pages of the knowledge base: search, entry detail, customers (360)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Capability, Viewer
from ckhub.knowledge import customers, queries, service, taxonomy
from ckhub.knowledge.forms import filters_from_query
from ckhub.knowledge.import_routes import router as import_router
from ckhub.knowledge.labels import CHANNEL_LABELS, FACET_LABELS, LANGUAGE_LABELS, VISIBILITY_LABELS
from ckhub.knowledge.taxonomy_routes import router as taxonomy_router
from ckhub.search.engine import SearchEngine, engine_for_settings
from ckhub.search.service import MODES, record_click, search_entries
from ckhub.usage.queries import SIGNAL_KINDS, alerts_by_customer, customers_with_alert
from ckhub.usage.service import signals_of
from ckhub.web.deps import DB, StaffViewer, get_runtime, require
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import is_htmx, render, viewer_timezone

router = APIRouter(include_in_schema=False)
router.include_router(import_router)
router.include_router(taxonomy_router)
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]


def _engine(request: Request) -> SearchEngine:
    return engine_for_settings(get_runtime(request).settings)


def _vocabulary(db: Session) -> dict[str, Any]:
    """Everything pages need to name channels, terms and tiers."""
    return {
        "product_lines": {t.id: t for t in taxonomy.list_product_lines(db)},
        "issue_types": {t.id: t for t in taxonomy.list_issue_types(db)},
        "tiers": {t.id: t for t in taxonomy.list_tiers(db)},
        "channel_labels": CHANNEL_LABELS,
        "visibility_labels": VISIBILITY_LABELS,
        "language_labels": LANGUAGE_LABELS,
        "facet_labels": FACET_LABELS,
    }


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
        **_vocabulary(db),
    )


@router.get("/knowledge/entries/{entry_id}")
def entry_page(
    request: Request, db: DB, viewer: StaffViewer, entry_id: int, query_id: int | None = None
) -> Response:
    entry = queries.visible_entry(db, viewer, entry_id)
    if query_id is not None:
        record_click(db, viewer, query_id, entry_id)
    similar = queries.similar_entries(db, _engine(request), viewer, entry)
    return render(
        request,
        "knowledge/entry.html",
        entry=entry,
        similar=similar,
        show_private=viewer.can(Capability.HANDLE_CUSTOMERS) and bool(entry.original_body),
        notice=notice_text(request.query_params.get("notice")),
        **_vocabulary(db),
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


@router.post("/knowledge/entries/{entry_id}/delete")
def delete(db: DB, viewer: StaffViewer, entry_id: int) -> Response:
    queries.visible_entry(db, viewer, entry_id)
    service.delete_entry(db, viewer, entry_id)
    return redirect_with_notice("/knowledge", "deleted")


@router.get("/customers")
def customers_page(
    request: Request, db: DB, viewer: StaffViewer, q: str = "", signal: str = ""
) -> Response:
    found = customers.list_customers(db, q, limit=500 if signal else 100)
    if signal in SIGNAL_KINDS:
        alerted = customers_with_alert(db, signal)
        found = [customer for customer in found if customer.id in alerted]
    return render(
        request,
        "knowledge/customers.html",
        q=q,
        signal=signal,
        signal_kinds=SIGNAL_KINDS,
        customers=found,
        alerts=alerts_by_customer(db, [customer.id for customer in found]),
        **_vocabulary(db),
    )


@router.get("/customers/{customer_id}")
def customer_page(request: Request, db: DB, viewer: StaffViewer, customer_id: int) -> Response:
    customer = customers.get_customer(db, customer_id)
    return render(
        request,
        "knowledge/customer.html",
        customer=customer,
        timeline=queries.customer_timeline(db, viewer, customer_id),
        show_contacts=viewer.can(Capability.HANDLE_CUSTOMERS),
        signals=signals_of(db, customer_id),
        **_vocabulary(db),
    )
