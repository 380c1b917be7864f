"""The staff landing page and the self-service metrics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.auth.service import get_user
from ckhub.dashboard.charts import self_service_charts
from ckhub.dashboard.queries import dashboard_for
from ckhub.dashboard.self_service import PERIODS, self_service_metrics
from ckhub.web.deps import DB, StaffViewer, require
from ckhub.web.templating import render

router = APIRouter(include_in_schema=False)
KnowledgeManager = Annotated[Viewer, Depends(require(Capability.MANAGE_KNOWLEDGE))]


@router.get("/dashboard")
def dashboard(request: Request, db: DB, viewer: StaffViewer) -> Response:
    assert viewer.user_id is not None
    me = get_user(db, viewer.user_id)
    return render(
        request,
        "dashboard/dashboard.html",
        board=dashboard_for(db, viewer),
        teams=[membership.team for membership in me.memberships],
    )


@router.get("/analytics/self-service")
def self_service(request: Request, db: DB, _viewer: KnowledgeManager, days: int = 30) -> Response:
    metrics = self_service_metrics(db, days)
    return render(
        request,
        "dashboard/self_service.html",
        metrics=metrics,
        periods=PERIODS,
        charts=self_service_charts(metrics),
    )
