"""JSON API of the feedback loop: list, read, create, move, merge, add a source. Staff tokens
only; writing needs the right to write knowledge, and moving an item the right to manage it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from ckhub.auth.permissions import Capability, Viewer
from ckhub.feedback import merging, queries, service
from ckhub.feedback.schemas import ItemDetailOut, ItemIn, ItemOut, MergeIn, SourceIn, StatusIn
from ckhub.feedback.workflow import change_status
from ckhub.ml.embedders import get_embedder
from ckhub.web.deps import DB, get_runtime, require

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])
Staff = Annotated[Viewer, Depends(require(Capability.STAFF_AREA))]
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]


def _detail(db: DB, viewer: Viewer, item_id: int) -> ItemDetailOut:
    return ItemDetailOut.of_view(queries.item_view(db, viewer, item_id))


@router.get("", response_model=list[ItemOut])
def list_items(request: Request, db: DB, viewer: Staff) -> list[ItemOut]:
    """Items (at most 200): state=open|overdue|closed|all|<status key>, kind, team (id), q,
    sort=impact|due|newest|updated."""
    filters = queries.ItemFilters.from_params(dict(request.query_params))
    return [ItemOut.of(row) for row in queries.list_items(db, viewer, filters)]


@router.get("/{item_id}", response_model=ItemDetailOut)
def get_item(db: DB, viewer: Staff, item_id: int) -> ItemDetailOut:
    return _detail(db, viewer, item_id)


@router.post("", response_model=ItemDetailOut, status_code=201)
def create_item(request: Request, db: DB, viewer: Writer, body: ItemIn) -> ItemDetailOut:
    """A new item, routed by the routing rules; with entry_id its customer is a requester."""
    settings = get_runtime(request).settings
    item = service.create_item(
        db, settings, viewer,
        service.ItemInput(title=body.title, kind=body.kind, description=body.description,
                          entry_id=body.entry_id, is_public=body.is_public),
        get_embedder(settings.embedder),
    )  # fmt: skip
    return _detail(db, viewer, item.id)


@router.post("/{item_id}/status", response_model=ItemDetailOut)
def move(request: Request, db: DB, viewer: Writer, item_id: int, body: StatusIn) -> ItemDetailOut:
    """Move the item; shipped and declined tell every requester."""
    change_status(db, get_runtime(request).settings, viewer, item_id, body.status, body.note)
    return _detail(db, viewer, item_id)


@router.post("/{item_id}/merge", response_model=ItemDetailOut)
def merge(request: Request, db: DB, viewer: Writer, item_id: int, body: MergeIn) -> ItemDetailOut:
    """Merge this item into the one it duplicates; returns the target."""
    merging.merge_items(db, get_runtime(request).settings, viewer, item_id, body.target_id)
    return _detail(db, viewer, body.target_id)


@router.post("/{item_id}/sources", response_model=ItemDetailOut)
def add_source(
    request: Request, db: DB, viewer: Writer, item_id: int, body: SourceIn
) -> ItemDetailOut:
    """Another entry asks for it: its customer becomes a requester."""
    service.add_source(db, get_runtime(request).settings, viewer, item_id, body.entry_id)
    return _detail(db, viewer, item_id)
