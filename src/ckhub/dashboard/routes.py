"""The staff landing page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ckhub.auth.service import get_user
from ckhub.dashboard.queries import dashboard_for
from ckhub.web.deps import DB, StaffViewer
from ckhub.web.templating import render

router = APIRouter(include_in_schema=False)


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
