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
