"""Reading the dates and times that exports contain, in whatever format they chose."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d %H:%M",
    "%Y.%m.%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%Y%m%d%H%M%S",
    "%Y%m%d",
)


def parse_time(value: str, zone: str) -> datetime:
    """An aware UTC datetime; naive values are read in `zone` (the workspace's time zone).

    Raises ValueError with a sentence a person understands.
    """
    text = value.strip()
    if not text:
        raise ValueError("the date is empty")
    if text.isdigit() and len(text) in (10, 13):  # Unix seconds or milliseconds
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        for layout in _FORMATS:
            try:
                parsed = datetime.strptime(text, layout)  # noqa: DTZ007 - zone added below
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValueError(f"“{text[:40]}” is not a date or time ckhub can read")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed.astimezone(UTC)
