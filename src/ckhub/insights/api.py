"""JSON API of the insights, for reports and BI tools: trends with spikes, topics, aspects, the
insight table. Every endpoint takes the dashboard's filters as query parameters (days, grain,
until, since, channel, product_line, tier, topic, sentiment, aspect) and counts only the entries
the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem
from ckhub.insights.dashboard import aspect_rows
from ckhub.insights.dimensions import DIMENSIONS
from ckhub.insights.filters import InsightFilters
from ckhub.insights.insight_table import insight_rows
from ckhub.insights.queries import topic_rows
from ckhub.insights.schemas import AspectOut, InsightRowOut, TopicOut, TrendLineOut, TrendsOut
from ckhub.insights.trends import ASPECT, overall_line, trend_lines
from ckhub.web.deps import DB, require
from ckhub.workdays import zone_of

router = APIRouter(prefix="/api/v1/insights", tags=["insights"])
Staff = Annotated[Viewer, Depends(require(Capability.STAFF_AREA))]
TREND_DIMENSIONS = ("overall", *DIMENSIONS, ASPECT)


def _filters(request: Request, db: Session) -> InsightFilters:
    return InsightFilters.from_params(dict(request.query_params), zone_of(db))


@router.get("/trends", response_model=TrendsOut)
def trends(
    request: Request,
    db: DB,
    viewer: Staff,
    dimension: Annotated[str, Query(description=", ".join(TREND_DIMENSIONS))] = "overall",
) -> TrendsOut:
    """Entries and their feeling per period, one line per value of the dimension, with the
    periods that spiked against the line's own past."""
    if dimension not in TREND_DIMENSIONS:
        raise Problem(
            "invalid-dimension",
            "Unknown dimension {dimension}: use one of {known}.",
            422,
            dimension=dimension,
            known=", ".join(TREND_DIMENSIONS),
        )
    filters = _filters(request, db)
    if dimension == "overall":
        lines = [overall_line(trend_lines(db, viewer, filters), filters)]
    else:
        lines = trend_lines(db, viewer, filters, dimension)
    periods = lines[0].periods if lines else overall_line([], filters).periods
    return TrendsOut(
        dimension=dimension,
        grain="week" if filters.weekly else "day",
        periods=periods,
        partial=[periods[position] for position in filters.partial(periods)],
        lines=[TrendLineOut.of(line) for line in lines],
    )


@router.get("/topics", response_model=list[TopicOut])
def topics(db: DB, viewer: Staff) -> list[TopicOut]:
    """Active topics, largest first, counted over the entries the caller may see."""
    return [TopicOut.of(row) for row in topic_rows(db, viewer)]


@router.get("/aspects", response_model=list[AspectOut])
def aspects(request: Request, db: DB, viewer: Staff) -> list[AspectOut]:
    """Every aspect mentioned in the window, most mentioned first, with its feeling."""
    rows = aspect_rows(db, viewer, _filters(request, db))
    return [
        AspectOut.of(row) for row in sorted(rows, key=lambda row: (-row.mentions, row.group.id))
    ]


@router.get("/table", response_model=list[InsightRowOut])
def table(request: Request, db: DB, viewer: Staff) -> list[InsightRowOut]:
    """The insight table: topic → aspect → feeling → volume and change → suggested owner team."""
    return [InsightRowOut.of(row) for row in insight_rows(db, viewer, _filters(request, db))]
