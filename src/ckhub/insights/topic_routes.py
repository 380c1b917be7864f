"""Topic pages: the list, a topic's entries, the knowledge managers' edits, following."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.auth.service import list_teams
from ckhub.errors import Problem
from ckhub.insights import service
from ckhub.insights.alerts import follow_topic, subscriptions_of, unfollow
from ckhub.insights.models import Topic
from ckhub.insights.queries import (
    latest_runs,
    merge_targets,
    topic_entries,
    topic_rows,
)
from ckhub.knowledge.vocabulary import vocabulary
from ckhub.web.deps import DB, StaffViewer, require
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import render

router = APIRouter(prefix="/insights", include_in_schema=False)
Manager = Annotated[Viewer, Depends(require(Capability.MANAGE_KNOWLEDGE))]


@router.get("/topics")
def topics_page(request: Request, db: DB, viewer: StaffViewer) -> Response:
    runs = latest_runs(db, 1)
    return render(
        request,
        "insights/topics.html",
        rows=topic_rows(db, viewer),
        last_run=runs[0] if runs else None,
        notice=notice_text(request.query_params.get("notice")),
    )


@router.get("/topics/{topic_id}")
def topic_page(request: Request, db: DB, viewer: StaffViewer, topic_id: int) -> Response:
    topic = db.get(Topic, topic_id)
    if topic is None or topic.status == "gone":
        raise Problem("not-found", "No such topic.", 404)
    return render(
        request,
        "insights/topic.html",
        topic=topic,
        entries=topic_entries(db, viewer, topic_id),
        targets=merge_targets(db, topic_id) if viewer.can(Capability.MANAGE_KNOWLEDGE) else [],
        can_edit=viewer.can(Capability.MANAGE_KNOWLEDGE) and topic.status == "active",
        subscriptions=subscriptions_of(db, topic_id),
        teams={team.id: team.name for team in list_teams(db)},
        **vocabulary(db),
        notice=notice_text(request.query_params.get("notice")),
    )


@router.post("/topics/{topic_id}/rename")
def rename(db: DB, viewer: Manager, topic_id: int, name: Annotated[str, Form()] = "") -> Response:
    service.rename_topic(db, viewer, topic_id, name)
    return redirect_with_notice(f"/insights/topics/{topic_id}", "saved")


@router.post("/topics/{topic_id}/merge")
def merge(db: DB, viewer: Manager, topic_id: int, into: Annotated[int, Form()]) -> Response:
    target = service.merge_topics(db, viewer, topic_id, into)
    return redirect_with_notice(f"/insights/topics/{target.id}", "saved")


@router.post("/topics/{topic_id}/split")
def split(db: DB, viewer: Manager, topic_id: int) -> Response:
    service.split_topic(db, viewer, topic_id)
    return redirect_with_notice(f"/insights/topics/{topic_id}", "saved")


@router.post("/topics/{topic_id}/follow")
def follow(
    db: DB,
    viewer: StaffViewer,
    topic_id: int,
    team_id: Annotated[str, Form()] = "",
    webhook_url: Annotated[str, Form()] = "",
) -> Response:
    team = int(team_id) if team_id.isdigit() else None
    follow_topic(db, viewer, topic_id, team_id=team, webhook_url=webhook_url or None)
    return redirect_with_notice(f"/insights/topics/{topic_id}", "saved")


@router.post("/topics/{topic_id}/subscriptions/{subscription_id}/delete")
def unfollow_topic(db: DB, viewer: StaffViewer, topic_id: int, subscription_id: int) -> Response:
    unfollow(db, viewer, subscription_id)
    return redirect_with_notice(f"/insights/topics/{topic_id}", "saved")
