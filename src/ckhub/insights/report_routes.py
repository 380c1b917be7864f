"""The insight table (page and exports) and the weekly team digest."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability
from ckhub.auth.service import list_teams
from ckhub.errors import Problem
from ckhub.insights import service
from ckhub.insights.digest import team_digest
from ckhub.insights.filters import WINDOWS, InsightFilters
from ckhub.insights.insight_table import COLUMNS, EXPORTS, FEELING_NAMES, insight_rows
from ckhub.knowledge.vocabulary import vocabulary
from ckhub.periods import last_complete_week, period_of
from ckhub.web.deps import DB, StaffViewer
from ckhub.web.i18n import translate
from ckhub.web.templating import render, request_locale
from ckhub.workdays import today_of, zone_of

router = APIRouter(prefix="/insights", include_in_schema=False)


def _feeling_names(locale: str) -> dict[str, str]:
    return {key: translate(locale, name) for key, name in FEELING_NAMES.items()}


@router.get("/table")
def table_page(request: Request, db: DB, viewer: StaffViewer) -> Response:
    filters = InsightFilters.from_params(dict(request.query_params), zone_of(db))
    return render(
        request,
        "insights/table.html",
        filters=filters,
        rows=insight_rows(db, viewer, filters),
        columns=COLUMNS,
        feeling_names=_feeling_names(request_locale(request)),
        windows=WINDOWS,
        query_string=urlencode(filters.as_params()),
        **vocabulary(db),
    )


@router.get("/table.{kind}")
def table_export(request: Request, db: DB, viewer: StaffViewer, kind: str) -> Response:
    """The insight table as CSV or Excel, in the reader's language (only what they may see)."""
    if kind not in EXPORTS:
        raise Problem("not-found", "No such export.", 404)
    filters = InsightFilters.from_params(dict(request.query_params), zone_of(db))
    locale = request_locale(request)
    rows = insight_rows(db, viewer, filters)
    media_type, write = EXPORTS[kind]
    body = write(
        rows,
        [translate(locale, column) for column in COLUMNS],
        _feeling_names(locale),
        request.app.state.runtime.settings.base_url,
    )
    service.record_export(db, viewer, kind, len(rows), filters.as_params())
    filename = f"ckhub-insights-{filters.since.isoformat()}-{filters.until.isoformat()}.{kind}"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/digest")
def digest_page(
    request: Request, db: DB, viewer: StaffViewer, team: int = 0, week: str = ""
) -> Response:
    """A team's weekly digest (members, and roles that read every team)."""
    mine = [
        t
        for t in list_teams(db)
        if t.id in viewer.team_ids or viewer.can(Capability.READ_ALL_TEAMS)
    ]
    chosen = next((t for t in mine if t.id == team), mine[0] if mine else None)
    if team and (chosen is None or chosen.id != team):
        raise Problem("forbidden", "Only the team's members may read its digest.", 403)
    monday = last_complete_week(today_of(db))
    if week:
        with suppress(ValueError):  # an unreadable week: the last one
            monday = period_of(date.fromisoformat(week), weekly=True)
    return render(
        request,
        "insights/digest.html",
        teams=mine,
        digest=team_digest(db, chosen, monday) if chosen else None,
        week=monday,
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
    )
