"""The workspace's days: charts, trends, spike alerts, digests and weekly reports count days
(and weeks from Monday) in the workspace's time zone, `CKHUB_DEFAULT_TIMEZONE`.

Counting UTC days cut a Chinese team's day at 08:00: a complaint at 07:30 on Tuesday was
Monday's, and "last week" ended on Monday morning. One zone for the whole workspace, not each
viewer's own, so that everybody's numbers agree and the roll-ups counted once serve everybody.

Sessions carry the zone (`Session.info`, set by the session factory from the settings), so code
that has a session knows the workspace's days without passing settings around.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date

from ckhub.timeutil import to_zone, utcnow, zone_named

ZONE_KEY = "zone"
SQLITE_FUNCTION = "ckhub_local_date"


def zone_of(session: Session) -> str:
    """The workspace's time zone, as the session factory was told it (UTC if it was not)."""
    return zone_named(str(session.info.get(ZONE_KEY, "UTC"))).key


def today_in(zone: str) -> date:
    return day_of(utcnow(), zone)


def today_of(session: Session) -> date:
    """The workspace's today."""
    return today_in(zone_of(session))


def day_start(day: date, zone: str) -> datetime:
    """The moment (in UTC) a day of the zone begins."""
    return datetime.combine(day, time.min, zone_named(zone)).astimezone(UTC)


def typed_day(text: str) -> date | None:
    """A YYYY-MM-DD day from a form or a link; None when it is not one (so a mistyped or stale
    value filters nothing rather than failing the page)."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()  # noqa: DTZ007 - a day only
    except ValueError:
        return None


def typed_days(since: str, until: str, zone: str) -> tuple[datetime | None, datetime | None]:
    """Typed days as moments: from the start of day `since` to the end of day `until` in the
    zone (the viewer's for their own searches); a bound that is not a day is left open."""
    first, last = typed_day(since), typed_day(until)
    return (
        day_start(first, zone) if first else None,
        day_start(last + timedelta(days=1), zone) if last else None,
    )


def day_of(moment: datetime, zone: str) -> date:
    """The zone's day a moment falls on."""
    return to_zone(moment, zone).date()


@lru_cache(maxsize=16)
def fixed_offset_seconds(zone: str) -> int | None:
    """The zone's offset from UTC if it has kept one since 2000 and keeps it until 2040 (Asia/
    Shanghai, UTC); None for a zone with daylight saving time or changed offsets."""
    tz = zone_named(zone)
    offsets = {
        datetime(year, month, 15, tzinfo=UTC).astimezone(tz).utcoffset()
        for year in range(2000, 2041)
        for month in (1, 7)
    }
    if len(offsets) != 1:
        return None
    [offset] = offsets
    return int(offset.total_seconds()) if offset is not None else 0


class local_day(FunctionElement[date]):  # noqa: N801 - reads like the SQL function it is
    """The zone's day of a stored UTC moment, in SQL."""

    type = Date()
    inherit_cache = True

    def __init__(
        self, moment: ColumnElement[datetime] | InstrumentedAttribute[datetime], zone: str
    ) -> None:
        self.zone = zone_named(zone).key  # a known zone's name: no quote can be in it
        # Written into the statement, not bound: the compiled SQL differs by zone (an offset on
        # SQLite), and statement caching keys on the text, never on bound values.
        super().__init__(moment, literal_column(f"'{self.zone}'"))


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    moment, zone = (compiler.process(clause, **kw) for clause in element.clauses)
    offset = fixed_offset_seconds(element.zone)
    if offset is None:  # daylight saving time: Python knows the rules, SQLite does not
        return f"{SQLITE_FUNCTION}({moment}, {zone})"
    return f"date({moment}, '{offset:+d} seconds')"


@compiles(local_day, "postgresql")
def _local_day_postgresql(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    moment, zone = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(({moment} AT TIME ZONE {zone}) AS DATE)"


def _sqlite_local_date(stored: str | None, zone: str) -> str | None:
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return day_of(moment, zone).isoformat()


def register_sqlite_functions(dbapi_connection: Any) -> None:
    dbapi_connection.create_function(SQLITE_FUNCTION, 2, _sqlite_local_date, deterministic=True)
