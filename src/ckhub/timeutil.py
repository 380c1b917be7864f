"""UTC time helpers (DESIGN.md rule 5): aware datetimes in, aware datetimes out."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive value as UTC (what the database stores) and convert aware values to UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_zone(value: datetime, zone: str) -> datetime:
    try:
        return as_utc(value).astimezone(ZoneInfo(zone))
    except ZoneInfoNotFoundError:
        return as_utc(value)
