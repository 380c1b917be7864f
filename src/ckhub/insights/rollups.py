"""Counts per period that a dashboard without filters reads instead of every entry.

Counting a year at 100k entries means bringing 100,000 rows into Python (~1 s on two cores).
The unfiltered dashboard — the one everybody opens — only needs, per period (a day, or a week from
Monday), each dimension's values with their feeling: a few thousand rows per dimension. The
minute job rebuilds these roll-ups from the entries whenever the data changed (one INSERT …
SELECT per grain and dimension, ~2.4 s at 100k, no rows through Python) and records the version
of the data it counted. Roll-ups keep each row's visibility, team and feeling, so the viewer's
permission condition (and a feeling filter) applies to them in SQL exactly as to entries. A
dashboard uses them only without other filters, for a window ending today, and while the job
found them matching the data at most MAX_AGE ago (it checks every minute); otherwise it counts
the entries.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, String, cast, delete, func, insert, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from ckhub.auth.permissions import Viewer, visibility_clause
from ckhub.insights.data_version import data_version
from ckhub.insights.dimensions import DIMENSIONS
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import AspectRollup, EntryAspect, EntryTopic, Rollup, RollupState
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.search.filters import SearchFilters
from ckhub.timeutil import utcnow
from ckhub.workdays import local_day, today_in, zone_of

MAX_AGE = timedelta(minutes=5)
STATE_ID = 1
OVERALL = "overall"


class week_start(FunctionElement[date]):  # noqa: N801 - reads like the SQL function it is
    """The Monday of a day's week, in SQL (as periods.period_of does in Python)."""

    type = Date()
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(next(iter(element.clauses)), **kw)
    return f"date({day}, '-' || ((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7) || ' days')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(next(iter(element.clauses)), **kw)
    return f"CAST(date_trunc('week', {day}) AS DATE)"


def _version_text(session: Session) -> str:
    """The data counted and the zone whose days they were counted in (a new zone: new days)."""
    parts = (zone_of(session), *data_version(session))
    return "|".join(str(part) for part in parts)[:200]


def _counted_in(state: RollupState) -> str:
    return state.version.split("|", 1)[0]


def refresh_rollups(session: Session) -> bool:
    """Rebuild the roll-ups if the data changed since they were built; True if rebuilt."""
    version = _version_text(session)  # read first: the counts are never older than it
    state = session.get(RollupState, STATE_ID)
    if state is not None and state.version == version:
        state.checked_at = utcnow()  # still what the data says: dashboards may keep reading
        session.commit()
        return False
    session.execute(delete(Rollup))
    session.execute(delete(AspectRollup))
    day = local_day(KnowledgeEntry.occurred_at, zone_of(session))
    live = KnowledgeEntry.deleted_at.is_(None)
    for grain, period in (("day", day), ("week", week_start(day))):
        for dimension, column in ((OVERALL, None), *DIMENSIONS.items()):
            key = literal(None, String) if column is None else cast(column, String(64))
            counted = select(
                literal(grain, String),
                period,
                literal(dimension, String),
                key,
                KnowledgeEntry.visibility,
                KnowledgeEntry.team_id,
                KnowledgeEntry.sentiment,
                func.count(),
            ).where(live)
            grouped_by = [period, KnowledgeEntry.visibility, KnowledgeEntry.team_id]
            if column is not None:
                counted = counted.where(column.is_not(None))
                grouped_by.append(column)
            if dimension == "topic":
                counted = counted.join(EntryTopic, EntryTopic.entry_id == KnowledgeEntry.id)
            session.execute(
                insert(Rollup).from_select(
                    [
                        "grain",
                        "period",
                        "dimension",
                        "key",
                        "visibility",
                        "team_id",
                        "sentiment",
                        "entries",
                    ],
                    counted.group_by(*grouped_by, KnowledgeEntry.sentiment),
                )
            )
    keys = (
        day,
        EntryAspect.group_id,
        EntryAspect.sentiment,
        KnowledgeEntry.sentiment,
        KnowledgeEntry.visibility,
        KnowledgeEntry.team_id,
    )
    mentioned = (
        select(*keys, func.count())
        .join(KnowledgeEntry, KnowledgeEntry.id == EntryAspect.entry_id)
        .where(live)
        .group_by(*keys)
    )
    columns = ["period", "group_id", "sentiment", "entry_sentiment", "visibility", "team_id"]
    session.execute(insert(AspectRollup).from_select([*columns, "mentions"], mentioned))
    session.merge(RollupState(id=STATE_ID, version=version, checked_at=utcnow()))
    session.commit()
    return True


def rollups_serve(session: Session, filters: InsightFilters) -> bool:
    """Whether this dashboard can read the roll-ups: no filters but the feeling, a window ending
    today, and roll-ups found to match the data recently (the minute job checks every minute)."""
    if filters.facets != SearchFilters() or filters.topic_id:
        return False
    if filters.aspect_id or filters.until != today_in(filters.zone):
        return False
    state = session.get(RollupState, STATE_ID)
    return (
        state is not None
        and _counted_in(state) == filters.zone
        and utcnow() - state.checked_at <= MAX_AGE
    )


def rolled_up_counts(
    session: Session,
    viewer: Viewer,
    filters: InsightFilters,
    since: date,
    dimensions: tuple[str | None, ...],
) -> list[tuple[Any, ...]]:
    """(period, dimension or None, key, feeling, entries) from `since` to the window's end."""
    wanted = [OVERALL if name is None else name for name in dimensions]
    feeling = [Rollup.sentiment == filters.sentiment] if filters.sentiment else []
    rows = session.execute(
        select(
            Rollup.period,
            Rollup.dimension,
            Rollup.key,
            Rollup.sentiment,
            func.sum(Rollup.entries),
        )
        .where(
            Rollup.grain == ("week" if filters.weekly else "day"),
            Rollup.period >= since,
            Rollup.period <= filters.until,
            Rollup.dimension.in_(wanted),
            visibility_clause(viewer, Rollup.visibility, Rollup.team_id),
            *feeling,
        )
        .group_by(Rollup.period, Rollup.dimension, Rollup.key, Rollup.sentiment)
    ).all()
    return [
        (
            period,
            None if dimension == OVERALL else dimension,
            _typed_key(dimension, key),
            feeling,
            int(count),
        )
        for period, dimension, key, feeling, count in rows
    ]


def _typed_key(dimension: str, key: str | None) -> int | str | None:
    if key is None or dimension == "channel":
        return key
    return int(key)


def rolled_up_aspects(
    session: Session, viewer: Viewer, filters: InsightFilters
) -> list[tuple[Any, ...]]:
    """(aspect group, feeling, in the window (1) or the one before (0), mentions)."""
    in_window = (AspectRollup.period >= filters.since).label("in_window")
    # A feeling filter picks entries by their own feeling, as on the entries (InsightFilters).
    feeling = [AspectRollup.entry_sentiment == filters.sentiment] if filters.sentiment else []
    return [
        (group_id, feeling, int(bool(current)), int(count))
        for group_id, feeling, current, count in session.execute(
            select(
                AspectRollup.group_id,
                AspectRollup.sentiment,
                in_window,
                func.sum(AspectRollup.mentions),
            )
            .where(
                AspectRollup.period >= filters.since_before,
                AspectRollup.period <= filters.until,
                visibility_clause(viewer, AspectRollup.visibility, AspectRollup.team_id),
                *feeling,
            )
            .group_by(AspectRollup.group_id, AspectRollup.sentiment, in_window)
        ).all()
    ]


def rolled_up_aspect_days(
    session: Session, viewer: Viewer, filters: InsightFilters, since: date
) -> list[tuple[Any, ...]]:
    """(period start, aspect group, the mention's feeling, mentions) from `since` to the window's
    end; weeks are summed in SQL (seven times fewer rows to read)."""
    feeling = [AspectRollup.entry_sentiment == filters.sentiment] if filters.sentiment else []
    period = week_start(AspectRollup.period) if filters.weekly else AspectRollup.period
    keys = (period, AspectRollup.group_id, AspectRollup.sentiment)
    return [
        tuple(row)
        for row in session.execute(
            select(*keys, func.sum(AspectRollup.mentions))
            .where(
                AspectRollup.period >= since,
                AspectRollup.period <= filters.until,
                visibility_clause(viewer, AspectRollup.visibility, AspectRollup.team_id),
                *feeling,
            )
            .group_by(*keys)
        ).all()
    ]
