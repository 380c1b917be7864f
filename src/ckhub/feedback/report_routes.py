"""The weekly feedback report page of a team."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ckhub.auth.service import list_teams
from ckhub.feedback.report import SECTIONS, parse_week, team_by_name_or_id, team_report
from ckhub.web.deps import DB, StaffViewer
from ckhub.web.templating import render
from ckhub.workdays import today_of

router = APIRouter(include_in_schema=False)


@router.get("/feedback/report")
def report_page(
    request: Request, db: DB, viewer: StaffViewer, team: str = "", week: str = ""
) -> Response:
    """A team's report (the viewer's first team by default; any staff member may read any)."""
    teams = list_teams(db)
    chosen = team or next((str(t.id) for t in teams if t.id in viewer.team_ids), "")
    chosen = chosen or (str(teams[0].id) if teams else "")
    monday = parse_week(week, today_of(db))
    report = team_report(db, team_by_name_or_id(db, chosen), monday) if chosen else None
    return render(
        request,
        "feedback/report.html",
        report=report,
        sections=SECTIONS,
        teams=teams,
        week=monday,
        week_before=monday - timedelta(days=7),
        week_after=monday + timedelta(days=7),
    )
