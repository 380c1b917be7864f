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

from sqlalchemy import ColumnElement, case, func, select
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
    key: object  # a topic id, a term id, a channel; None for everything together
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

    def change(self) -> float | None:
        """The last period against the mean of the ones before it (−0.5: half as many)."""
        if len(self.entries) < 2:
            return None
        before = sum(self.entries[:-1]) / (len(self.entries) - 1)
        return (self.entries[-1] - before) / before if before else None


def _counts(
    session: Session, where: ColumnElement[bool], key: Any | None
) -> list[tuple[object, object, int, int, int]]:
    day = func.date(KnowledgeEntry.occurred_at)
    columns = [
        day,
        func.count(),
        func.sum(case((KnowledgeEntry.sentiment == "negative", 1), else_=0)),
        func.sum(case((KnowledgeEntry.sentiment == "positive", 1), else_=0)),
    ]
    query = select(*([key] if key is not None else []), *columns).where(where)
    if key is EntryTopic.topic_id:
        query = query.join(EntryTopic, EntryTopic.entry_id == KnowledgeEntry.id)
    query = query.group_by(*([key] if key is not None else []), day)
    rows = session.execute(query).all()
    if key is None:
        return [(None, d, int(n), int(neg or 0), int(pos or 0)) for d, n, neg, pos in rows]
    return [(k, d, int(n), int(neg or 0), int(pos or 0)) for k, d, n, neg, pos in rows]


def trend_lines(
    session: Session, viewer: Viewer, filters: InsightFilters, dimension: str | None = None
) -> list[TrendLine]:
    """One line per value of `dimension` (or one for everything), largest first, with spikes."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    weekly, baseline = filters.weekly, baseline_periods(filters.weekly)
    step = timedelta(days=7 if weekly else 1)
    first = period_of(filters.since, weekly)
    history_start = first - baseline * step
    periods = period_starts(history_start, filters.until, weekly)
    index = {period: position for position, period in enumerate(periods)}
    shown_from = index[first]
    where = filters.conditions(viewer, since=history_start)
    lines: dict[object, list[list[int]]] = {}
    for key, day, *counted in _counts(session, where, DIMENSIONS[dimension] if dimension else None):
        counts = lines.setdefault(key, [[0] * len(periods) for _ in range(3)])
        position = index[period_of(as_day(day), weekly)]
        for series, value in zip(counts, counted, strict=True):
            series[position] += value
    found = []
    for key, (entries, negative, positive) in lines.items():
        spikes = find_spikes(entries, baseline, start=shown_from)
        found.append(
            TrendLine(
                key,
                periods[shown_from:],
                entries[shown_from:],
                negative[shown_from:],
                positive[shown_from:],
                [_shifted(spike, shown_from) for spike in spikes],
            )
        )
    found = [line for line in found if line.total]
    return sorted(found, key=lambda line: -line.total)


def _shifted(spike: Spike, offset: int) -> Spike:
    return Spike(
        spike.index - offset, spike.observed, spike.expected, spike.p_value, spike.emerging
    )


def overall(session: Session, viewer: Viewer, filters: InsightFilters) -> TrendLine:
    lines = trend_lines(session, viewer, filters)
    if lines:
        return lines[0]
    periods = period_starts(filters.since, filters.until, filters.weekly)
    zeros = [0] * len(periods)
    return TrendLine(None, periods, zeros, list(zeros), list(zeros))
