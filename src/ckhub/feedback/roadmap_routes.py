"""Customer-facing feedback pages: the public roadmap, an item on it (with the vote), "my
requests", and "suggest an improvement" (linked from the help center and the answer bot)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ckhub.assistant.chat_steps import anonymous_throttle
from ckhub.errors import Problem
from ckhub.feedback import roadmap
from ckhub.feedback.service import has_voted
from ckhub.ml.embedders import get_embedder
from ckhub.web.deps import DB, CurrentViewer, SignedInViewer, get_runtime
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.security import client_ip
from ckhub.web.templating import render

router = APIRouter(include_in_schema=False)
SOURCES = ("helpcenter", "assistant")


@router.get("/roadmap")
def roadmap_page(request: Request, db: DB, viewer: CurrentViewer) -> Response:
    return render(request, "feedback/roadmap.html", columns=roadmap.roadmap(db),
                  statuses=roadmap.ROADMAP_STATUSES)  # fmt: skip


@router.get("/roadmap/{item_id:int}")
def roadmap_item(request: Request, db: DB, viewer: CurrentViewer, item_id: int) -> Response:
    return render(
        request,
        "feedback/roadmap_item.html",
        row=roadmap.public_item(db, item_id),
        voted=has_voted(db, viewer, item_id),
        notice=notice_text(request.query_params.get("notice")),
    )


@router.post("/roadmap/{item_id:int}/vote")
def vote(
    request: Request,
    db: DB,
    viewer: CurrentViewer,
    item_id: int,
    on: Annotated[str, Form()] = "yes",
    words: Annotated[str, Form()] = "",
) -> Response:
    if not viewer.is_authenticated:
        return RedirectResponse(f"/login?next={quote(f'/roadmap/{item_id}')}", status_code=303)
    settings = get_runtime(request).settings
    roadmap.vote_on_roadmap(db, settings, viewer, item_id, on == "yes", words)
    return redirect_with_notice(f"/roadmap/{item_id}", "saved")


@router.get("/my/requests")
def my_requests_page(request: Request, db: DB, viewer: SignedInViewer) -> Response:
    return render(
        request,
        "feedback/my_requests.html",
        requests=roadmap.my_requests(db, viewer),
        waiting=roadmap.waiting_suggestions(db, viewer),
        notice=notice_text(request.query_params.get("notice")),
    )


def _suggest_form(
    request: Request, where: str, error: Problem | None = None, **values: str
) -> Response:
    return render(
        request,
        "feedback/suggest.html",
        status_code=error.status if error else 200,
        where=where if where in SOURCES else "helpcenter",
        error=error,
        values=values,
    )


@router.get("/help/suggest")
def suggest_page(request: Request, viewer: CurrentViewer, where: str = "helpcenter") -> Response:
    return _suggest_form(request, where)


@router.post("/help/suggest")
def suggest(
    request: Request,
    db: DB,
    viewer: CurrentViewer,
    text: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    where: Annotated[str, Form()] = "helpcenter",
) -> Response:
    settings = get_runtime(request).settings
    try:
        if not viewer.is_authenticated:
            anonymous_throttle(request).check(
                client_ip(request, settings), settings.anonymous_questions_limit
            )
        roadmap.suggest_improvement(
            db, viewer, get_embedder(settings.embedder), text=text, name=name, email=email,
            where=where if where in SOURCES else "helpcenter",
        )  # fmt: skip
    except Problem as problem:
        return _suggest_form(request, where, problem, text=text, name=name, email=email)
    target = "/my/requests" if viewer.is_authenticated else "/help"
    return redirect_with_notice(target, "suggestion-received")
