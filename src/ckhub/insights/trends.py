"""Volume and feeling over time, per topic, product line, channel, tier, issue type or aspect,
with the periods that spiked against their own series' past (ml/trends.py).

Counts are per day of the workspace (ckhub.workdays) in the database, summed into days or weeks
here. Each series is read from BASELINE periods before the window, so even the window's first
periods are tested against a past of their own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.insights.dimensions import DIMENSIONS
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import EntryAspect, EntryTopic
from ckhub.insights.rollups import rolled_up_aspect_days, rolled_up_counts, rollups_serve
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.trends import Spike, find_spikes_in
from ckhub.periods import as_day, period_of, period_starts
from ckhub.workdays import local_day

# Aspects are counted by mention (an entry can name several), with the feeling of the clause
# that names each — read from the aspect mentions, not from the entries' columns above.
ASPECT = "aspect"


def baseline_periods(weekly: bool) -> int:
    return 8 if weekly else 28


@dataclass
class TrendLine:
    key: int | str | None  # a topic id, a term id, a channel; None for everything together
    periods: list[date]
    entries: list[int]
    negative: list[int]
    positive: list[int]
    spikes: list[Spike] = field(default_factory=list)  # indexes into `periods`

    @property
    def total(self) -> int:
        return sum(self.entries)

    @property
    def negative_share(self) -> float:
        return sum(self.negative) / self.total if self.total else 0.0

    @property
    def neutral(self) -> list[int]:
        return [
            a - n - p for a, n, p in zip(self.entries, self.negative, self.positive, strict=True)
        ]


def _window_rows(session: Session, where: ColumnElement[bool], zone: str) -> list[tuple[Any, ...]]:
    """Each entry of the window as (day, topic, product line, issue type, channel, tier,
    feeling). Counted here rather than by GROUP BY: the window's rows are nearly as many as its
    groups (at 100k, 65,000 entries in 52,000 day × key groups), and SQLite's grouping took
    twice as long as reading them."""
    day = local_day(KnowledgeEntry.occurred_at, zone)
    query = (
        select(day, *DIMENSIONS.values(), KnowledgeEntry.sentiment)
        .outerjoin(EntryTopic, EntryTopic.entry_id == KnowledgeEntry.id)
        .where(where)
    )
    return [tuple(row) for row in session.execute(query).all()]


FEELING_ROW = {"negative": 1, "positive": 2}  # rows of a line's counts; 0 is every entry


def trend_lines_by(
    session: Session,
    viewer: Viewer,
    filters: InsightFilters,
    dimensions: tuple[str | None, ...] = (None, *DIMENSIONS),
) -> dict[str | None, list[TrendLine]]:
    """For each dimension, one line per value (None: one line for everything), largest first,
    with the spikes of each line against its own past."""
    unknown = [name for name in dimensions if name not in (None, ASPECT) and name not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension {unknown[0]}")
    weekly, baseline = filters.weekly, baseline_periods(filters.weekly)
    step = timedelta(days=7 if weekly else 1)
    first = period_of(filters.since, weekly)
    history_start = first - baseline * step
    periods = period_starts(history_start, filters.until, weekly)
    index = {period: position for position, period in enumerate(periods)}
    by_entry = tuple(name for name in dimensions if name != ASPECT)
    rolled_up = rollups_serve(session, filters)
    counted: Counted = {}
    if by_entry and rolled_up:
        counted = _from_rollups(session, viewer, filters, history_start, by_entry, index)
    elif by_entry:
        rows = _window_rows(session, filters.conditions(viewer, since=history_start), filters.zone)
        counted = _from_entries(rows, by_entry, index, weekly)
    if ASPECT in dimensions:
        mentions = (
            rolled_up_aspect_days(session, viewer, filters, history_start)
            if rolled_up
            else _aspect_days(
                session, filters.conditions(viewer, since=history_start), filters.zone
            )
        )
        counted[ASPECT] = _from_days(mentions, index, weekly)
    return {
        name: _as_lines(found, periods, baseline, index[first]) for name, found in counted.items()
    }


Counted = dict[str | None, dict[int | str | None, list[list[int]]]]  # dimension → key → counts


def _add(
    found: dict[int | str | None, list[list[int]]],
    key: int | str | None,
    size: int,
    position: int,
    feeling_row: int,
    count: int,
) -> None:
    """Count entries (and their feeling) into a line's period."""
    counts = found.get(key)
    if counts is None:
        counts = found[key] = [[0] * size for _ in range(3)]
    counts[0][position] += count
    if feeling_row:
        counts[feeling_row][position] += count


def _from_entries(
    rows: list[tuple[Any, ...]],
    dimensions: tuple[str | None, ...],
    index: dict[date, int],
    weekly: bool,
) -> Counted:
    days, *key_columns, feelings = zip(*rows, strict=True) if rows else [()] * (len(DIMENSIONS) + 2)
    position_of = {day: index[period_of(as_day(day), weekly)] for day in set(days)}
    positions = [position_of[day] for day in days]
    feeling_rows = [FEELING_ROW.get(feeling, 0) for feeling in feelings]
    everything = [None] * len(positions)
    counted: Counted = {}
    for name in dimensions:
        keys = everything if name is None else key_columns[list(DIMENSIONS).index(name)]
        found = counted[name] = {}
        for (key, position, feeling_row), count in Counter(
            zip(keys, positions, feeling_rows, strict=True)
        ).items():
            if name is not None and key is None:
                continue  # an entry without a topic (product line…) is in no line of it
            _add(found, key, len(index), position, feeling_row, count)
    return counted


def _aspect_days(session: Session, where: ColumnElement[bool], zone: str) -> list[tuple[Any, ...]]:
    """(day, aspect group, the mention's feeling, mentions) of the window's entries."""
    day = local_day(KnowledgeEntry.occurred_at, zone)
    keys = (day, EntryAspect.group_id, EntryAspect.sentiment)
    query = (
        select(*keys, func.count())
        .join(KnowledgeEntry, KnowledgeEntry.id == EntryAspect.entry_id)
        .where(where)
        .group_by(*keys)
    )
    return [tuple(row) for row in session.execute(query).all()]


def _from_days(
    rows: list[tuple[Any, ...]], index: dict[date, int], weekly: bool
) -> dict[int | str | None, list[list[int]]]:
    """Lines from (day, key, feeling, count) rows."""
    position_of = {
        day: index.get(period_of(as_day(day), weekly)) for day in {row[0] for row in rows}
    }
    found: dict[int | str | None, list[list[int]]] = {}
    for day, key, feeling, count in rows:
        position = position_of[day]
        if position is not None:
            _add(found, key, len(index), position, FEELING_ROW.get(feeling, 0), int(count))
    return found


def _from_rollups(
    session: Session,
    viewer: Viewer,
    filters: InsightFilters,
    since: date,
    dimensions: tuple[str | None, ...],
    index: dict[date, int],
) -> Counted:
    counted: Counted = {name: {} for name in dimensions}
    for period, name, key, feeling, count in rolled_up_counts(
        session, viewer, filters, since, dimensions
    ):
        position = index.get(as_day(period))
        if position is not None:
            _add(counted[name], key, len(index), position, FEELING_ROW.get(feeling, 0), count)
    return counted


def _as_lines(
    found: dict[int | str | None, list[list[int]]],
    periods: list[date],
    baseline: int,
    shown_from: int,
) -> list[TrendLine]:
    result = []
    all_spikes = find_spikes_in(
        [counts[0] for counts in found.values()], baseline, start=shown_from
    )
    for (key, (entries, negative, positive)), spikes in zip(found.items(), all_spikes, strict=True):
        line = TrendLine(
            key,
            periods[shown_from:],
            entries[shown_from:],
            negative[shown_from:],
            positive[shown_from:],
            [_shifted(spike, shown_from) for spike in spikes],
        )
        if line.total:
            result.append(line)
    # Ties are broken by key so that every way of counting (live, rolled up, either
    # database) lists the same lines in the same order.
    return sorted(result, key=lambda line: (-line.total, _key_order(line.key)))


def _key_order(key: int | str | None) -> tuple[bool, int, str]:
    return (key is None, key if isinstance(key, int) else 0, key if isinstance(key, str) else "")


def trend_lines(
    session: Session, viewer: Viewer, filters: InsightFilters, dimension: str | None = None
) -> list[TrendLine]:
    """One dimension's lines (see trend_lines_by)."""
    return trend_lines_by(session, viewer, filters, (dimension,))[dimension]


def _shifted(spike: Spike, offset: int) -> Spike:
    return Spike(
        spike.index - offset, spike.observed, spike.expected, spike.p_value, spike.emerging
    )


def overall_line(lines: list[TrendLine], filters: InsightFilters) -> TrendLine:
    """The everything-together line, or zeros when nothing matched."""
    if lines:
        return lines[0]
    periods = period_starts(filters.since, filters.until, filters.weekly)
    zeros = [0] * len(periods)
    return TrendLine(None, periods, zeros, list(zeros), list(zeros))
