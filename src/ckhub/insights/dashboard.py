"""What the insights dashboard shows, computed for one viewer and one set of filters: feeling
over time, topic trends with their spikes, and breakdowns by product line, channel and tier.
Every number carries the address of the entries behind it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.i18n_marker import N_
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import AspectGroup, EntryAspect, Topic
from ckhub.insights.trends import TrendLine, overall, trend_lines
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.trends import Spike

TOPICS_CHARTED = 6
ASPECTS_SHOWN = 10
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
    links: dict[object, str]


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


def _aspect_counts(session: Session, where: ColumnElement[bool]) -> dict[int, tuple[int, int, int]]:
    rows = session.execute(
        select(
            EntryAspect.group_id,
            func.count(),
            func.sum(case((EntryAspect.sentiment == "negative", 1), else_=0)),
            func.sum(case((EntryAspect.sentiment == "positive", 1), else_=0)),
        )
        .join(KnowledgeEntry, KnowledgeEntry.id == EntryAspect.entry_id)
        .where(where)
        .group_by(EntryAspect.group_id)
    ).all()
    return {int(g): (int(n), int(neg or 0), int(pos or 0)) for g, n, neg, pos in rows}


def aspect_rows(session: Session, viewer: Viewer, filters: InsightFilters) -> list[AspectRow]:
    """Every aspect mentioned in the window, with its feeling and the window before's."""
    now = _aspect_counts(session, filters.conditions(viewer))
    before_filters = replace(filters, until=filters.since - timedelta(days=1))
    before = _aspect_counts(session, before_filters.conditions(viewer))
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
            before.get(group_id, (0, 0, 0))[1],
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
    return {"title": N_("Feeling over time"), "labels": labels, "series": series}


def _topics_chart(
    lines: list[TrendLine], topics: dict[int, Topic], filters: InsightFilters
) -> dict[str, Any]:
    shown = lines[:TOPICS_CHARTED]
    periods = shown[0].periods if shown else []
    return {
        "title": N_("Largest topics over time"),
        "labels": [period.isoformat() for period in periods],
        "series": [
            {
                "name": topics[int(str(line.key))].title,
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
            topics[int(str(line.key))],
            line.periods[spike.index].isoformat(),
            spike,
            entries_link(filters.period_params(line.periods[spike.index], topic=line.key)),
        )
        for line in lines
        for spike in line.spikes
    ]
    return sorted(rows, key=lambda row: (row.period, -row.spike.observed), reverse=True)


def insights_dashboard(session: Session, viewer: Viewer, filters: InsightFilters) -> Dashboard:
    feeling = overall(session, viewer, filters)
    topic_lines = [
        line for line in trend_lines(session, viewer, filters, "topic") if line.key is not None
    ]
    topics = {
        topic.id: topic
        for topic in session.scalars(
            select(Topic).where(Topic.id.in_([int(str(line.key)) for line in topic_lines]))
        )
    }
    topic_lines = [line for line in topic_lines if int(str(line.key)) in topics]
    breakdowns = []
    for dimension, param in (
        ("product_line", "product_line"),
        ("channel", "channel"),
        ("tier", "tier"),
    ):
        lines = [line for line in trend_lines(session, viewer, filters, dimension) if line.key]
        links = {line.key: entries_link(filters.as_params(**{param: line.key})) for line in lines}
        breakdowns.append(Breakdown(dimension, lines, links))
    aspects = aspect_rows(session, viewer, filters)
    return Dashboard(
        filters,
        feeling,
        {
            "feeling": _feeling_chart(feeling, filters),
            "topics": _topics_chart(topic_lines, topics, filters),
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
