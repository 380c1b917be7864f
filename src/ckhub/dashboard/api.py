"""JSON API of the metrics, for reports and BI tools."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ckhub.auth.permissions import Capability, Viewer
from ckhub.dashboard.self_service import self_service_metrics
from ckhub.web.deps import DB, require

router = APIRouter(prefix="/api/v1/metrics", tags=["metrics"])
KnowledgeManager = Annotated[Viewer, Depends(require(Capability.MANAGE_KNOWLEDGE))]


class SelfServiceOut(BaseModel):
    days: int
    since: str
    rates: dict[str, float | None] = Field(
        description="deflection, bot_resolution, handoff, helpfulness, failed_search (0–1); "
        "self_service_score is article views per handoff"
    )
    counts: dict[str, int]
    over_time: dict[str, dict[str, Any]] = Field(
        description="Per day (per week from 60 days): labels and one list per line"
    )
    partial_periods: list[int] = Field(
        description="Positions in every over_time list of the periods only partly counted: "
        "today or this week (not over yet), a first week begun before the window"
    )
    top_searches: list[dict[str, Any]]
    top_failed_searches: list[dict[str, Any]]
    articles: list[dict[str, Any]]


@router.get("/self-service", response_model=SelfServiceOut)
def self_service(db: DB, _viewer: KnowledgeManager, days: int = 30) -> SelfServiceOut:
    """Deflection, bot resolution and handoff rates, helpfulness and searches (7, 30, 90 or 365
    days)."""
    m = self_service_metrics(db, days)
    return SelfServiceOut(
        days=m.days,
        since=m.since.isoformat(),
        rates={
            "deflection": m.deflection_rate,
            "bot_resolution": m.bot_resolution_rate,
            "handoff": m.handoff_rate,
            "helpfulness": m.helpfulness,
            "failed_search": m.failed_search_rate,
            "self_service_score": m.self_service_score,
        },
        counts={
            "conversations": m.asked,
            "resolved_by_bot": m.resolved_by_bot,
            "handed_over": m.handed_over,
            "bot_answers": m.answers,
            "bot_declined": m.abstained,
            "article_views": m.article_views,
            "helpful_votes": m.helpful_votes,
            "unhelpful_votes": m.unhelpful_votes,
            "searches": m.searches,
            "failed_searches": m.failed_searches,
        },
        over_time={
            "conversations": {"labels": m.conversations.labels, **m.conversations.lines},
            "searches": {"labels": m.searches_over_time.labels, **m.searches_over_time.lines},
            "reading": {"labels": m.reading.labels, **m.reading.lines},
        },
        partial_periods=m.conversations.partial,  # the charts share their periods
        top_searches=[{"query": q.query, "count": q.searches} for q in m.top_searches],
        top_failed_searches=[{"query": q.query, "count": q.searches} for q in m.top_failed],
        articles=[
            {
                "slug": a.slug,
                "title": a.title,
                "views": a.views,
                "helpful": a.helpful,
                "unhelpful": a.unhelpful,
            }
            for a in m.articles
        ],
    )
