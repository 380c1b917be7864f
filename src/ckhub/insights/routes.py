"""The insights dashboard and the entries behind its numbers."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability
from ckhub.insights.dashboard_cache import dashboard_cache_for
from ckhub.insights.filters import WINDOWS, InsightFilters
from ckhub.insights.models import AspectGroup, Topic
from ckhub.insights.queries import filtered_entries
from ckhub.insights.report_routes import router as report_router
from ckhub.insights.topic_routes import router as topic_router
from ckhub.knowledge.sentiment_models import retraining_set_aside
from ckhub.knowledge.vocabulary import vocabulary
from ckhub.web.deps import DB, StaffViewer, get_runtime
from ckhub.web.templating import render
from ckhub.workdays import zone_of

router = APIRouter(include_in_schema=False)


@router.get("/insights")
def dashboard_page(request: Request, db: DB, viewer: StaffViewer) -> Response:
    filters = InsightFilters.from_params(dict(request.query_params), zone_of(db))
    runtime = get_runtime(request)
    kept = dashboard_cache_for(runtime).dashboard(db, viewer, filters)
    return render(
        request,
        "insights/dashboard.html",
        board=kept.board,
        computed_at=kept.computed_at,
        windows=WINDOWS,
        query_string=urlencode(filters.as_params()),
        # Those who manage knowledge hear when the model retrained on their corrections waits
        # for `ckhub train sentiment` after an upgrade shipped another model.
        retraining_set_aside=(
            retraining_set_aside(db, runtime.settings.embedder)
            if viewer.can(Capability.MANAGE_KNOWLEDGE)
            else None
        ),
        **vocabulary(db),
    )


@router.get("/insights/entries")
def entries_page(request: Request, db: DB, viewer: StaffViewer) -> Response:
    """The entries behind a chart point or a table row, newest first."""
    filters = InsightFilters.from_params(dict(request.query_params), zone_of(db))
    total, entries = filtered_entries(db, viewer, filters)
    topic = db.get(Topic, filters.topic_id) if filters.topic_id else None
    aspect = db.get(AspectGroup, filters.aspect_id) if filters.aspect_id else None
    return render(
        request,
        "insights/entries.html",
        filters=filters,
        total=total,
        entries=entries,
        topic=topic,
        aspect=aspect,
        back=f"/insights?{urlencode(filters.as_params())}",
        **vocabulary(db),
    )


# Topics, the insight table and the digest have pages of their own under /insights.
router.include_router(topic_router)
router.include_router(report_router)
