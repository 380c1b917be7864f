"""UTC time helpers (DESIGN.md rule 5): aware datetimes in, aware datetimes out."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive value as UTC (what the database stores) and convert aware values to UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@lru_cache(maxsize=16)
def zone_named(name: str) -> ZoneInfo:
    """The zone of that name; UTC for a name the system does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_zone(value: datetime, zone: str) -> datetime:
    return as_utc(value).astimezone(zone_named(zone))
