"""What the insights dashboard shows, computed for one viewer and one set of filters: feeling
over time, topic trends with their spikes, and breakdowns by product line, channel and tier.
Every number carries the address of the entries behind it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.i18n_marker import N_
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import AspectGroup, EntryAspect, Topic
from ckhub.insights.rollups import rolled_up_aspects, rollups_serve
from ckhub.insights.trends import ASPECT, TrendLine, overall_line, trend_lines_by
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.trends import Spike

TOPICS_CHARTED = 6
ASPECTS_SHOWN = 10
ASPECTS_CHARTED = 6
BREAKDOWNS = ("product_line", "channel", "tier")  # their filter parameters have the same names
ENTRIES_PATH = "/insights/entries"


def entries_link(params: dict[str, str]) -> str:
    return f"{ENTRIES_PATH}?{urlencode(params)}"


@dataclass
class SpikeRow:
    topic: Topic
    period: str
    spike: Spike
    link: str


@dataclass
class Breakdown:
    dimension: str
    lines: list[TrendLine]
    links: dict[int | str | None, str]


@dataclass
class AspectRow:
    group: AspectGroup
    mentions: int
    negative: int
    positive: int
    negative_before: int  # in the window of the same length just before
    link: str
    negative_link: str

    @property
    def negative_change(self) -> float | None:
        if not self.negative_before:
            return None
        return (self.negative - self.negative_before) / self.negative_before


def aspect_rows(session: Session, viewer: Viewer, filters: InsightFilters) -> list[AspectRow]:
    """Every aspect mentioned in the window, with its feeling and the window before's (one
    query over both windows)."""
    if rollups_serve(session, filters):
        rows = rolled_up_aspects(session, viewer, filters)
    else:
        in_window = filters.in_window()
        rows = [
            tuple(row)
            for row in session.execute(
                select(EntryAspect.group_id, EntryAspect.sentiment, in_window, func.count())
                .join(KnowledgeEntry, KnowledgeEntry.id == EntryAspect.entry_id)
                .where(filters.conditions(viewer, since=filters.since_before))
                .group_by(EntryAspect.group_id, EntryAspect.sentiment, in_window)
            ).all()
        ]
    now: dict[int, list[int]] = {}  # group → [mentions, negative, positive]
    negative_before: dict[int, int] = {}
    for group_id, feeling, current, count in rows:
        if not current:
            if feeling == "negative":
                negative_before[group_id] = negative_before.get(group_id, 0) + count
            continue
        counts = now.setdefault(group_id, [0, 0, 0])
        counts[0] += count
        counts[1] += count if feeling == "negative" else 0
        counts[2] += count if feeling == "positive" else 0
    groups = {
        group.id: group
        for group in session.scalars(select(AspectGroup).where(AspectGroup.id.in_(now)))
    }
    return [
        AspectRow(
            groups[group_id],
            mentions,
            negative,
            positive,
            negative_before.get(group_id, 0),
            entries_link(filters.as_params(aspect=group_id)),
            entries_link(filters.as_params(aspect=group_id, sentiment="negative")),
        )
        for group_id, (mentions, negative, positive) in now.items()
        if group_id in groups
    ]


@dataclass
class Dashboard:
    filters: InsightFilters
    feeling: TrendLine
    charts: dict[str, dict[str, Any]]
    topics: dict[int, Topic]
    topic_lines: list[TrendLine]
    spikes: list[SpikeRow]
    breakdowns: list[Breakdown]
    negative_aspects: list[AspectRow]
    positive_aspects: list[AspectRow]


def _id_of(line: TrendLine) -> int:
    assert isinstance(line.key, int), "topic and aspect lines are keyed by id"
    return line.key


def _feeling_chart(line: TrendLine, filters: InsightFilters) -> dict[str, Any]:
    labels = [period.isoformat() for period in line.periods]
    series = []
    for name, key, values, color in (
        (N_("Negative"), "negative", line.negative, "#d64545"),
        (N_("Neutral"), "neutral", line.neutral, "#8a8f98"),
        (N_("Positive"), "positive", line.positive, "#2e8b57"),
    ):
        links = [entries_link(filters.period_params(p, sentiment=key)) for p in line.periods]
        series.append({"name": name, "values": values, "links": links, "color": color})
    return {
        "title": N_("Feeling over time"),
        "labels": labels,
        "partial": filters.partial(line.periods),
        "series": series,
    }


def _topics_chart(
    lines: list[TrendLine], topics: dict[int, Topic], filters: InsightFilters
) -> dict[str, Any]:
    # Topics that spiked first (what changed), then the largest (what is always there).
    ordered = sorted(lines, key=lambda line: (not line.spikes, -line.total, _id_of(line)))
    shown = ordered[:TOPICS_CHARTED]
    periods = shown[0].periods if shown else []
    return {
        "title": N_("Spiking and largest topics over time"),
        "labels": [period.isoformat() for period in periods],
        "partial": filters.partial(periods),
        "series": [
            {
                "name": topics[_id_of(line)].title,
                "values": line.entries,
                "links": [
                    entries_link(filters.period_params(p, topic=line.key)) for p in line.periods
                ],
            }
            for line in shown
        ],
    }


def _spike_rows(
    lines: list[TrendLine], topics: dict[int, Topic], filters: InsightFilters
) -> list[SpikeRow]:
    rows = [
        SpikeRow(
            topics[_id_of(line)],
            line.periods[spike.index].isoformat(),
            spike,
            entries_link(filters.period_params(line.periods[spike.index], topic=line.key)),
        )
        for line in lines
        for spike in line.spikes
    ]
    return sorted(rows, key=lambda row: (row.period, -row.spike.observed), reverse=True)


def _aspects_chart(
    session: Session, lines: list[TrendLine], filters: InsightFilters
) -> dict[str, Any]:
    """Complaints about the most complained-about aspects, period by period."""
    shown = sorted(
        (line for line in lines if sum(line.negative)),
        key=lambda line: (-sum(line.negative), _id_of(line)),
    )[:ASPECTS_CHARTED]
    periods = shown[0].periods if shown else []
    names = {
        group.id: group.label
        for group in session.scalars(
            select(AspectGroup).where(AspectGroup.id.in_([_id_of(line) for line in shown]))
        )
    }
    return {
        "title": N_("Complaints by aspect over time"),
        "labels": [period.isoformat() for period in periods],
        "partial": filters.partial(periods),
        "series": [
            {
                "name": names.get(_id_of(line), ""),
                "values": line.negative,
                "links": [
                    entries_link(
                        filters.period_params(period, aspect=line.key, sentiment="negative")
                    )
                    for period in line.periods
                ],
            }
            for line in shown
        ],
    }


def insights_dashboard(session: Session, viewer: Viewer, filters: InsightFilters) -> Dashboard:
    lines = trend_lines_by(session, viewer, filters, (None, "topic", *BREAKDOWNS, ASPECT))
    feeling = overall_line(lines[None], filters)
    topic_lines = lines["topic"]
    topics = {
        topic.id: topic
        for topic in session.scalars(
            select(Topic).where(Topic.id.in_([_id_of(line) for line in topic_lines]))
        )
    }
    topic_lines = [line for line in topic_lines if _id_of(line) in topics]
    breakdowns = [
        Breakdown(
            dimension,
            lines[dimension],
            {
                line.key: entries_link(filters.as_params(**{dimension: line.key}))
                for line in lines[dimension]
            },
        )
        for dimension in BREAKDOWNS
    ]
    aspects = aspect_rows(session, viewer, filters)
    return Dashboard(
        filters,
        feeling,
        {
            "feeling": _feeling_chart(feeling, filters),
            "topics": _topics_chart(topic_lines, topics, filters),
            "aspects": _aspects_chart(session, lines[ASPECT], filters),
        },
        topics,
        topic_lines,
        _spike_rows(topic_lines, topics, filters),
        breakdowns,
        sorted(
            (row for row in aspects if row.negative), key=lambda row: (-row.negative, row.group.id)
        )[:ASPECTS_SHOWN],
        sorted(
            (row for row in aspects if row.positive), key=lambda row: (-row.positive, row.group.id)
        )[:ASPECTS_SHOWN],
    )
