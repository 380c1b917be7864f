"""Days and weeks for series over time (charts, trends): the database's day values, and the
periods (a day, or a week from Monday) that they are counted in. Days are the workspace's
days (ckhub.workdays)."""

from __future__ import annotations

from datetime import date, timedelta


def as_day(value: object) -> date:
    """SQLite returns `date(…)` as text, PostgreSQL as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def period_of(day: date, weekly: bool) -> date:
    return day - timedelta(days=day.weekday()) if weekly else day


def period_starts(since: date, until: date, weekly: bool) -> list[date]:
    """Every period from the one holding `since` to the one holding `until`."""
    start = period_of(since, weekly)
    step = timedelta(days=7 if weekly else 1)
    found = []
    while start <= until:
        found.append(start)
        start += step
    return found


def last_complete_week(today: date) -> date:
    """The Monday of the last week (Monday to Sunday) that has ended."""
    return period_of(today, weekly=True) - timedelta(days=7)


def partial_periods(
    starts: list[date], weekly: bool, last_day: date, today: date, first_day: date | None = None
) -> list[int]:
    """Positions of the periods only part of which is counted, so that a chart does not show
    them as a fall: one not over yet (it holds today), one cut short by the window's last day,
    or (given `first_day`) one begun before the counting did."""
    length = timedelta(days=6 if weekly else 0)
    last_counted = min(last_day, today - timedelta(days=1))
    return [
        position
        for position, start in enumerate(starts)
        if start + length > last_counted or (first_day is not None and start < first_day)
    ]
