"""Staff pages of the feedback loop: the item list, creating an item (with similar items shown
while typing), one item with its requesters, history, merges and workflow, and the suggestions
waiting for a decision. Settings, the weekly report and the public roadmap join here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.auth.service import active_staff, list_teams
from ckhub.errors import Problem
from ckhub.feedback import merging, queries, service, suggestions
from ckhub.feedback.report_routes import router as report_router
from ckhub.feedback.roadmap_routes import router as roadmap_router
from ckhub.feedback.settings_routes import router as settings_router
from ckhub.feedback.workflow import change_status, kinds
from ckhub.knowledge.queries import visible_entry
from ckhub.knowledge.vocabulary import vocabulary
from ckhub.ml.embedders import Embedder, get_embedder
from ckhub.web.deps import DB, StaffViewer, get_runtime, require
from ckhub.web.forms import last_number, notice_text, page_count, redirect_with_notice
from ckhub.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(settings_router)
router.include_router(report_router)
router.include_router(roadmap_router)
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]


def _embedder(request: Request) -> Embedder:
    return get_embedder(get_runtime(request).settings.embedder)


def _choices(db: DB) -> dict[str, Any]:
    return {
        "kinds": kinds(db),
        "teams": list_teams(db),
        "staff": active_staff(db),
        **vocabulary(db),
    }


@router.get("/feedback")
def list_page(request: Request, db: DB, viewer: StaffViewer) -> Response:
    filters = queries.ItemFilters.from_params(dict(request.query_params))
    return render(
        request,
        "feedback/list.html",
        rows=queries.list_items(db, viewer, filters),
        filters=filters,
        states=queries.STATES,
        sorts=list(queries.SORTS),
        pending=suggestions.pending_count(db, viewer)
        if viewer.can(Capability.WRITE_KNOWLEDGE)
        else 0,
        notice=notice_text(request.query_params.get("notice")),
        **_choices(db),
    )


@router.get("/feedback/new")
def new_page(request: Request, db: DB, viewer: Writer, entry: int | None = None) -> Response:
    source = visible_entry(db, viewer, entry) if entry else None
    title = suggestions.default_title(source) if source else ""
    return render(
        request,
        "feedback/new.html",
        entry=source,
        title=title,
        similar=_similar(request, db, title, "", None),
        **_choices(db),
    )


def _similar(
    request: Request, db: DB, title: str, description: str, exclude: int | None
) -> list[service.SimilarItem]:
    settings = get_runtime(request).settings
    return service.similar_items(db, settings, _embedder(request), title, description, exclude)


@router.get("/feedback/similar")
def similar_fragment(
    request: Request, db: DB, viewer: Writer, title: str = "", description: str = "",
    entry: str = "", exclude: str = "",
) -> Response:  # fmt: skip
    """What the form shows while the title is typed (HTMX): items that may be the same."""
    return render(
        request,
        "feedback/_similar.html",
        similar=_similar(request, db, title[:200], description[:2000], last_number(exclude)),
        entry_id=last_number(entry),
    )


@router.post("/feedback/new")
def create(
    request: Request,
    db: DB,
    viewer: Writer,
    title: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "feature_request",
    description: Annotated[str, Form()] = "",
    entry: Annotated[str, Form()] = "",
    public: Annotated[str, Form()] = "",
) -> Response:
    item = service.create_item(
        db,
        get_runtime(request).settings,
        viewer,
        service.ItemInput(
            title=title,
            kind=kind,
            description=description,
            entry_id=last_number(entry),
            is_public=public == "on",
        ),
        _embedder(request),
    )
    return redirect_with_notice(f"/feedback/{item.id}", "saved")


@router.get("/feedback/{item_id:int}")
def item_page(request: Request, db: DB, viewer: StaffViewer, item_id: int) -> Response:
    view = queries.item_view(db, viewer, item_id)
    item = view.row.item
    # Merge candidates: only for someone who may merge, and not for a merged duplicate.
    candidates = (
        _similar(request, db, item.title, item.description, item.id)
        if view.can_manage and not item.merged_into_id
        else []
    )
    return render(
        request,
        "feedback/item.html",
        view=view,
        item=item,
        similar=candidates,
        notice=notice_text(request.query_params.get("notice")),
        **_choices(db),
    )


@router.post("/feedback/{item_id:int}/status")
def move(
    request: Request,
    db: DB,
    viewer: Writer,
    item_id: int,
    status: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    change_status(db, get_runtime(request).settings, viewer, item_id, status, note)
    return redirect_with_notice(f"/feedback/{item_id}", "saved")


@router.post("/feedback/{item_id:int}/edit")
def edit(
    request: Request,
    db: DB,
    viewer: Writer,
    item_id: int,
    title: Annotated[str, Form()],
    description: Annotated[str, Form()] = "",
    public: Annotated[str, Form()] = "",
    team: Annotated[str, Form()] = "",
    owner: Annotated[str, Form()] = "",
) -> Response:
    service.update_item(
        db, viewer, item_id, title=title, description=description, is_public=public == "on",
        team_id=last_number(team), owner_id=last_number(owner), embedder=_embedder(request),
    )  # fmt: skip
    return redirect_with_notice(f"/feedback/{item_id}", "saved")


@router.post("/feedback/{item_id:int}/toggle/{toggle}")
def toggle(
    db: DB, viewer: StaffViewer, item_id: int, toggle: str, on: Annotated[str, Form()] = "yes"
) -> Response:
    """follow / vote: `on` is yes or no."""
    if toggle == "follow":
        service.set_following(db, viewer, item_id, on == "yes")
    elif toggle == "vote":
        service.set_vote(db, viewer, item_id, on == "yes")
    else:
        raise Problem("unknown-step", "Unknown step “{step}”.", 404, step=toggle)
    return redirect_with_notice(f"/feedback/{item_id}", "saved")


@router.post("/feedback/{item_id:int}/comments")
def comment(
    db: DB, viewer: StaffViewer, item_id: int, body: Annotated[str, Form()] = ""
) -> Response:
    service.add_comment(db, viewer, item_id, body)
    return redirect_with_notice(f"/feedback/{item_id}#comments", "saved")


@router.post("/feedback/{item_id:int}/sources")
def add_source(
    request: Request, db: DB, viewer: Writer, item_id: int, entry: Annotated[str, Form()] = ""
) -> Response:
    entry_id = last_number(entry)
    if entry_id is None:
        raise Problem("invalid-entry-number", "Give the number of the entry (e.g. 123).", 422)
    service.add_source(db, get_runtime(request).settings, viewer, item_id, entry_id)
    return redirect_with_notice(f"/feedback/{item_id}", "saved")


@router.post("/feedback/{item_id:int}/merge")
def merge(
    request: Request,
    db: DB,
    viewer: Writer,
    item_id: int,
    target: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Merge this item into `target` (the one it duplicates)."""
    target_id = last_number(target)
    if target_id is None:
        raise Problem("invalid-item-number", "Give the number of the item (e.g. 12).", 422)
    merging.merge_items(db, get_runtime(request).settings, viewer, item_id, target_id, note)
    return redirect_with_notice(f"/feedback/{target_id}", "saved")


@router.post("/feedback/merges/{merge_id:int}/undo")
def undo_merge(request: Request, db: DB, viewer: Writer, merge_id: int) -> Response:
    duplicate = merging.undo_merge(db, get_runtime(request).settings, viewer, merge_id)
    return redirect_with_notice(f"/feedback/{duplicate.id}", "saved")


# Suggestions ----------------------------------------------------------------------------


@router.get("/feedback/suggestions")
def suggestions_page(request: Request, db: DB, viewer: Writer, page: int = 1) -> Response:
    waiting = suggestions.pending_count(db, viewer)
    size = suggestions.PAGE_SIZE
    pages = page_count(waiting, size)
    page = min(max(page, 1), pages)
    pending = suggestions.pending_suggestions(db, viewer, size, (page - 1) * size)
    similar = service.similar_items_for_many(
        db, get_runtime(request).settings, _embedder(request),
        # The entry's opening words (its default title): the whole text would take ~60 ms
        # per suggestion to embed, five times as long, for a page of 30.
        [(suggestions.default_title(p.entry), "") for p in pending], limit=3,
    )  # fmt: skip
    return render(
        request,
        "feedback/suggestions.html",
        pending=list(zip(pending, similar, strict=True)),
        reasons=suggestions.REASONS,
        waiting=waiting,
        page=page,
        pages=pages,
        title_of=suggestions.default_title,
        notice=notice_text(request.query_params.get("notice")),
        **_choices(db),
    )


@router.post("/feedback/suggestions/bulk")
def decide_many(
    request: Request,
    db: DB,
    viewer: Writer,
    ids: Annotated[list[int], Form()],
    decision: Annotated[str, Form()] = "dismiss",
    item: Annotated[str, Form()] = "",
) -> Response:
    """The ticked suggestions: all dismissed, or all added to one item (their customers become
    its requesters)."""
    if decision == "dismiss":
        for suggestion_id in ids:
            suggestions.dismiss(db, viewer, suggestion_id)
        return redirect_with_notice("/feedback/suggestions", "saved")
    item_id = last_number(item)
    if decision != "add" or item_id is None:
        raise Problem("invalid-item-number", "Give the number of the item (e.g. 12).", 422)
    settings, embedder = get_runtime(request).settings, _embedder(request)
    for suggestion_id in ids:
        suggestions.accept(db, settings, viewer, suggestion_id, embedder, item_id=item_id)
    return redirect_with_notice(f"/feedback/{item_id}", "saved")


@router.post("/feedback/suggestions/{suggestion_id:int}/{decision}")
def decide(
    request: Request,
    db: DB,
    viewer: Writer,
    suggestion_id: int,
    decision: str,
    title: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    item: Annotated[str, Form()] = "",
) -> Response:
    """accept (as a new item, or into `item`) or dismiss."""
    if decision == "dismiss":
        suggestions.dismiss(db, viewer, suggestion_id)
        return redirect_with_notice("/feedback/suggestions", "saved")
    if decision != "accept":
        raise Problem("unknown-step", "Unknown step “{step}”.", 404, step=decision)
    item_id = suggestions.accept(
        db, get_runtime(request).settings, viewer, suggestion_id, _embedder(request),
        item_id=last_number(item) if item.strip() else None, title=title, kind=kind,
    )  # fmt: skip
    return redirect_with_notice(f"/feedback/{item_id}", "saved")
