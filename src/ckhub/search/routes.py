"""The page of searches that found nothing or too little."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.ml.embedders import get_embedder
from ckhub.search.queries import WEAK_SIMILARITY, group_gaps, weak_queries
from ckhub.web.deps import DB, get_runtime, require
from ckhub.web.templating import render

router = APIRouter(include_in_schema=False)
Manager = Annotated[Viewer, Depends(require(Capability.MANAGE_KNOWLEDGE))]


@router.get("/knowledge/gaps")
def gaps_page(request: Request, db: DB, viewer: Manager, days: int = 30) -> Response:
    days = min(max(days, 1), 365)
    rows = weak_queries(db, days)
    embedder = get_embedder(get_runtime(request).settings.embedder)
    return render(
        request,
        "search/gaps.html",
        groups=group_gaps(rows, embedder),
        rows=rows,
        days=days,
        threshold=WEAK_SIMILARITY,
    )
