"""Volume and feeling over time, per topic, product line, channel, tier or issue type, with the
periods that spiked against their own series' past (ml/trends.py).

Counts are per UTC day in the database, summed into days or weeks here. Each series is read from
BASELINE periods before the window, so even the window's first periods are tested against a
past of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import EntryTopic
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.trends import Spike, find_spikes
from ckhub.periods import as_day, period_of, period_starts

DIMENSIONS: dict[str, Any] = {
    "topic": EntryTopic.topic_id,
    "product_line": KnowledgeEntry.product_line_id,
    "issue_type": KnowledgeEntry.issue_type_id,
    "channel": KnowledgeEntry.channel,
    "tier": KnowledgeEntry.tier_id,
}


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


def _grouped_counts(session: Session, where: ColumnElement[bool]) -> list[tuple[Any, ...]]:
    """Entries per day × topic × product line × issue type × channel × tier × feeling: one scan
    of the window serves every dimension (five queries of their own took 4× as long at 100k)."""
    day = func.date(KnowledgeEntry.occurred_at)
    keys = [DIMENSIONS[name] for name in DIMENSIONS]
    query = (
        select(day, *keys, KnowledgeEntry.sentiment, func.count())
        .outerjoin(EntryTopic, EntryTopic.entry_id == KnowledgeEntry.id)
        .where(where)
        .group_by(day, *keys, KnowledgeEntry.sentiment)
    )
    return [tuple(row) for row in session.execute(query).all()]


def trend_lines_by(
    session: Session,
    viewer: Viewer,
    filters: InsightFilters,
    dimensions: tuple[str | None, ...] = (None, *DIMENSIONS),
) -> dict[str | None, list[TrendLine]]:
    """For each dimension, one line per value (None: one line for everything), largest first,
    with the spikes of each line against its own past."""
    unknown = [name for name in dimensions if name is not None and name not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension {unknown[0]}")
    weekly, baseline = filters.weekly, baseline_periods(filters.weekly)
    step = timedelta(days=7 if weekly else 1)
    first = period_of(filters.since, weekly)
    history_start = first - baseline * step
    periods = period_starts(history_start, filters.until, weekly)
    index = {period: position for position, period in enumerate(periods)}
    shown_from = index[first]
    column_of = {name: list(DIMENSIONS).index(name) for name in dimensions if name is not None}
    lines: dict[str | None, dict[int | str | None, list[list[int]]]] = {
        name: {} for name in dimensions
    }
    for day, *keys, feeling, count in _grouped_counts(
        session, filters.conditions(viewer, since=history_start)
    ):
        position = index[period_of(as_day(day), weekly)]
        feeling_row = 1 if feeling == "negative" else 2 if feeling == "positive" else None
        for name in dimensions:
            key = None if name is None else keys[column_of[name]]
            if name is not None and key is None:
                continue  # an entry without a topic (product line…) is in no line of it
            counts = lines[name].setdefault(key, [[0] * len(periods) for _ in range(3)])
            counts[0][position] += count
            if feeling_row is not None:
                counts[feeling_row][position] += count
    return {name: _as_lines(found, periods, baseline, shown_from) for name, found in lines.items()}


def _as_lines(
    found: dict[int | str | None, list[list[int]]],
    periods: list[date],
    baseline: int,
    shown_from: int,
) -> list[TrendLine]:
    result = []
    for key, (entries, negative, positive) in found.items():
        spikes = find_spikes(entries, baseline, start=shown_from)
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
    return sorted(result, key=lambda line: -line.total)


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
