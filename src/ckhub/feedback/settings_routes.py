"""The feedback settings page: statuses (teams add their own), routing rules, the messages
requesters get (per status and language) and the feedback webhooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from ckhub.auth.permissions import Capability, Viewer
from ckhub.auth.service import active_staff, list_teams
from ckhub.errors import Problem
from ckhub.feedback import hooks, routing, telling
from ckhub.feedback.models import FeedbackStatus
from ckhub.feedback.workflow import (
    add_kind,
    add_status,
    kinds,
    set_due_days,
    set_kind_active,
    statuses_for,
)
from ckhub.knowledge.vocabulary import vocabulary
from ckhub.web.deps import DB, require
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import render

router = APIRouter(prefix="/feedback/settings", include_in_schema=False)
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]
HERE = "/feedback/settings"


def _id(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


@router.get("")
def settings_page(request: Request, db: DB, viewer: Writer) -> Response:
    return _settings_view(request, db, viewer)


def _settings_view(
    request: Request, db: DB, viewer: Viewer, problem: Problem | None = None
) -> Response:
    statuses = list(db.scalars(select(FeedbackStatus).order_by(FeedbackStatus.position)))
    tells = [s for s in statuses if s.tells_requesters]
    return render(
        request,
        "feedback/settings.html",
        status_code=problem.status if problem else 200,
        problem=problem,
        statuses=statuses,
        rules=routing.rules(db),
        webhooks=hooks.webhooks(db),
        formats=hooks.FORMATS,
        templates={
            (status.key, language): telling.template_for(db, status.key, language)
            for status in tells
            for language in telling.LANGUAGES
        },
        telling_statuses=tells,
        fields=telling.FIELDS,
        kinds=kinds(db, active_only=False),
        teams=list_teams(db),
        my_team_ids=viewer.team_ids,
        staff=active_staff(db),
        shared_statuses=statuses_for(db, None),
        notice=None if problem else notice_text(request.query_params.get("notice")),
        **vocabulary(db),
    )


def _changed(
    request: Request, db: DB, viewer: Viewer, change: Callable[[], object], notice: str = "saved"
) -> Response:
    """Make the change and go back to the page; a refused one shows the page again with what
    was wrong, nothing of it kept."""
    try:
        change()
    except Problem as problem:
        db.rollback()
        return _settings_view(request, db, viewer, problem)
    return redirect_with_notice(HERE, notice)


@router.post("/statuses")
def new_status(
    request: Request,
    db: DB,
    viewer: Writer,
    key: Annotated[str, Form()],
    name_zh: Annotated[str, Form()] = "",
    name_en: Annotated[str, Form()] = "",
    team: Annotated[str, Form()] = "",
    due_days: Annotated[str, Form()] = "",
    closed: Annotated[str, Form()] = "",
    tells: Annotated[str, Form()] = "",
) -> Response:
    return _changed(request, db, viewer, lambda: add_status(
        db, viewer, key=key, name_zh=name_zh, name_en=name_en, team_id=_id(team),
        due_days=_id(due_days), is_closed=closed == "on", tells_requesters=tells == "on",
    ))  # fmt: skip


@router.post("/statuses/{status_id:int}/due")
def change_due_days(
    request: Request,
    db: DB,
    viewer: Writer,
    status_id: int,
    due_days: Annotated[str, Form()] = "",
) -> Response:
    return _changed(request, db, viewer, lambda: set_due_days(db, viewer, status_id, _id(due_days)))


@router.post("/kinds")
def new_kind(
    request: Request,
    db: DB,
    viewer: Writer,
    key: Annotated[str, Form()],
    name_zh: Annotated[str, Form()] = "",
    name_en: Annotated[str, Form()] = "",
) -> Response:
    return _changed(
        request, db, viewer, lambda: add_kind(db, viewer, key=key, name_zh=name_zh, name_en=name_en)
    )


@router.post("/kinds/{kind_id:int}/active")
def change_kind(
    request: Request, db: DB, viewer: Writer, kind_id: int, on: Annotated[str, Form()] = "yes"
) -> Response:
    return _changed(request, db, viewer, lambda: set_kind_active(db, viewer, kind_id, on == "yes"))


@router.post("/rules")
def new_rule(
    request: Request,
    db: DB,
    viewer: Writer,
    team: Annotated[str, Form()] = "",
    owner: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    product_line: Annotated[str, Form()] = "",
    issue_type: Annotated[str, Form()] = "",
) -> Response:
    return _changed(request, db, viewer, lambda: routing.add_rule(
        db, viewer, team_id=_id(team), owner_id=_id(owner), kind_id=_id(kind),
        product_line_id=_id(product_line), issue_type_id=_id(issue_type),
    ))  # fmt: skip


@router.post("/rules/{rule_id:int}/delete")
def delete_rule(request: Request, db: DB, viewer: Writer, rule_id: int) -> Response:
    return _changed(
        request, db, viewer, lambda: routing.remove_rule(db, viewer, rule_id), "deleted"
    )


@router.post("/templates")
def save_template(
    request: Request,
    db: DB,
    viewer: Writer,
    status: Annotated[str, Form()],
    language: Annotated[str, Form()],
    subject: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
) -> Response:
    return _changed(
        request,
        db,
        viewer,
        lambda: telling.save_template(db, viewer, status, language, subject, body),
    )


@router.post("/webhooks")
def new_webhook(
    request: Request,
    db: DB,
    viewer: Writer,
    url: Annotated[str, Form()],
    format: Annotated[str, Form()] = "generic",
    team: Annotated[str, Form()] = "",
    requester_messages: Annotated[str, Form()] = "",
    status_changes: Annotated[str, Form()] = "",
) -> Response:
    return _changed(request, db, viewer, lambda: hooks.add_webhook(
        db, viewer, url=url, format=format, team_id=_id(team),
        sends_requester_messages=requester_messages == "on",
        sends_status_changes=status_changes == "on",
    ))  # fmt: skip


@router.post("/webhooks/{hook_id:int}/delete")
def delete_webhook(request: Request, db: DB, viewer: Writer, hook_id: int) -> Response:
    return _changed(
        request, db, viewer, lambda: hooks.remove_webhook(db, viewer, hook_id), "deleted"
    )
