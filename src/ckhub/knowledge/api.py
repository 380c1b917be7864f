"""JSON API of the knowledge base: entries (single and bulk), search, customers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem
from ckhub.knowledge import customers, links, queries, sentiment_corrections, service
from ckhub.knowledge.inputs import EntryInput, RowOutcome
from ckhub.knowledge.schemas import (
    CustomerIn,
    CustomerOut,
    EntryIn,
    EntryOut,
    LinkIn,
    LinkOut,
    OutcomeOut,
    RetagIn,
    SearchHitOut,
    SearchOut,
    SentimentIn,
)
from ckhub.search.engine import SearchEngine, engine_for_settings
from ckhub.search.filters import SearchFilters
from ckhub.search.service import search_entries
from ckhub.web.deps import DB, get_runtime, require

router = APIRouter(prefix="/api/v1", tags=["knowledge"])
Staff = Annotated[Viewer, Depends(require(Capability.STAFF_AREA))]
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]
MAX_BULK_LINES = 10_000


def get_engine(request: Request) -> SearchEngine:
    return engine_for_settings(get_runtime(request).settings)


Engine = Annotated[SearchEngine, Depends(get_engine)]


def _outcomes(outcomes: list[RowOutcome], first_line: int = 1) -> list[OutcomeOut]:
    return [OutcomeOut(line=first_line + i, **o.__dict__) for i, o in enumerate(outcomes)]


@router.post("/entries", response_model=OutcomeOut, status_code=201)
def create_entry(body: EntryIn, db: DB, viewer: Writer, engine: Engine) -> OutcomeOut:
    """Create an entry, or update the one with the same source and source id."""
    [outcome] = service.ingest_entries(db, viewer, [body.to_input()], engine.embedder)
    if outcome.status == "failed":
        raise Problem("invalid-entry", outcome.error, 422, field=outcome.field)
    return _outcomes([outcome])[0]


@router.post("/entries/bulk", response_model=list[OutcomeOut])
async def bulk_entries(request: Request, viewer: Writer, engine: Engine) -> list[OutcomeOut]:
    """JSON lines (one entry object a line, `application/x-ndjson`). Every line gets an outcome;
    a bad line never stops the good ones."""
    raw = (await request.body()).decode("utf-8-sig", errors="replace")
    lines = [line for line in raw.splitlines() if line.strip()]
    if len(lines) > MAX_BULK_LINES:
        raise Problem("too-many-lines", "At most {max} lines per request.", 413, max=MAX_BULK_LINES)
    parsed: list[EntryInput | RowOutcome] = []
    for line in lines:
        try:
            parsed.append(EntryIn.model_validate(json.loads(line)).to_input())
        except (json.JSONDecodeError, ValidationError) as error:
            message = str(error).splitlines()[0][:300]
            parsed.append(RowOutcome("failed", error=f"Not a valid entry: {message}"))
    runtime = get_runtime(request)
    good = [item for item in parsed if isinstance(item, EntryInput)]

    def ingest() -> list[RowOutcome]:  # embedding is CPU work: off the event loop
        with runtime.session_factory() as session:
            # Like file imports: searchable by words at once, embedded in the background.
            return service.ingest_entries(session, viewer, good, engine.embedder, embed=False)

    stored = iter(await run_in_threadpool(ingest))
    results = [next(stored) if isinstance(item, EntryInput) else item for item in parsed]
    return _outcomes(results)


@router.get("/entries/{entry_id}", response_model=EntryOut)
def get_entry(entry_id: int, db: DB, viewer: Staff) -> EntryOut:
    return EntryOut.of(queries.visible_entry(db, viewer, entry_id), viewer)


@router.patch("/entries/{entry_id}/tags", response_model=EntryOut)
def retag(entry_id: int, body: RetagIn, db: DB, viewer: Writer) -> EntryOut:
    """Set product line and issue type; a change of ckhub's guess teaches later tagging."""
    queries.visible_entry(db, viewer, entry_id)
    entry = service.retag_entry(
        db, viewer, entry_id, product_line_id=body.product_line_id, issue_type_id=body.issue_type_id
    )
    return EntryOut.of(entry, viewer)


@router.put("/entries/{entry_id}/sentiment", response_model=EntryOut)
def correct_sentiment(entry_id: int, body: SentimentIn, db: DB, viewer: Writer) -> EntryOut:
    """A person's verdict on the entry's feeling: kept while its text stays, and learned from by
    `ckhub train sentiment`."""
    return EntryOut.of(
        sentiment_corrections.correct_sentiment(db, viewer, entry_id, body.label), viewer
    )


@router.get("/entries/{entry_id}/links", response_model=list[LinkOut])
def get_links(entry_id: int, db: DB, viewer: Staff) -> list[LinkOut]:
    queries.visible_entry(db, viewer, entry_id)
    return [
        LinkOut(entry_id=item.entry.id, kind=item.kind, outgoing=item.outgoing)
        for item in links.linked_entries(db, viewer, entry_id)
    ]


@router.post("/entries/{entry_id}/links", status_code=204)
def add_link(entry_id: int, body: LinkIn, db: DB, viewer: Writer) -> Response:
    links.link_entries(db, viewer, entry_id, body.to, body.kind)
    return Response(status_code=204)


@router.delete("/entries/{entry_id}/links/{other_id}", status_code=204)
def remove_link(entry_id: int, other_id: int, db: DB, viewer: Writer) -> Response:
    links.unlink_entries(db, viewer, entry_id, other_id)
    return Response(status_code=204)


@router.delete("/entries/{entry_id}", status_code=204)
def delete(entry_id: int, db: DB, viewer: Staff) -> Response:
    queries.visible_entry(db, viewer, entry_id)
    service.delete_entry(db, viewer, entry_id)
    return Response(status_code=204)


@router.get("/search", response_model=SearchOut)
def search(
    db: DB,
    viewer: Staff,
    engine: Engine,
    q: str,
    mode: str = "hybrid",
    channel: Annotated[list[str] | None, Query()] = None,
    product_line_id: Annotated[list[int] | None, Query()] = None,
    issue_type_id: Annotated[list[int] | None, Query()] = None,
    tier_id: Annotated[list[int] | None, Query()] = None,
    language: Annotated[list[str] | None, Query()] = None,
    customer_id: int | None = None,
    tag: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 20,
) -> SearchOut:
    filters = SearchFilters(
        channels=tuple(channel or ()),
        product_line_ids=tuple(product_line_id or ()),
        issue_type_ids=tuple(issue_type_id or ()),
        tier_ids=tuple(tier_id or ()),
        languages=tuple(language or ()),
        customer_id=customer_id,
        tag=tag,
        since=since,
        until=until,
    )
    results = search_entries(
        db, engine, viewer, q, filters, mode, min(max(limit, 1), 100), surface="api"
    )
    return SearchOut(
        query=results.query,
        mode=results.mode,
        candidates=results.candidates,
        facets=results.facets,
        hits=[
            SearchHitOut(
                entry=EntryOut.of(h.entry, viewer),
                score=h.score,
                similarity=h.similarity,
                snippet=str(h.snippet),
            )
            for h in results.hits
        ],
    )


@router.get("/customers", response_model=list[CustomerOut])
def list_customers(db: DB, viewer: Staff, q: str = "", limit: int = 100) -> list[CustomerOut]:
    return [CustomerOut.of(c, viewer) for c in customers.list_customers(db, q, min(limit, 500))]


@router.post("/customers", response_model=CustomerOut, status_code=201)
def create_customer(body: CustomerIn, db: DB, viewer: Writer) -> CustomerOut:
    return CustomerOut.of(customers.record_customer(db, viewer, body.to_input()), viewer)


@router.put("/customers/{customer_id}", response_model=CustomerOut)
def replace_customer(customer_id: int, body: CustomerIn, db: DB, viewer: Writer) -> CustomerOut:
    """Replace the record: contacts and ids left out are removed (contacts only by roles that
    may see them)."""
    current = customers.get_customer(db, customer_id)
    data = body.to_input(replace=True)
    data.emails, data.phones = customers.editable_contacts(
        viewer, current, data.emails, data.phones
    )
    return CustomerOut.of(customers.record_customer(db, viewer, data, customer_id), viewer)


@router.get("/customers/{customer_id}", response_model=CustomerOut)
def get_customer(customer_id: int, db: DB, viewer: Staff) -> CustomerOut:
    return CustomerOut.of(customers.get_customer(db, customer_id), viewer)
