"""What the insights API returns."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from ckhub.insights.dashboard import AspectRow
from ckhub.insights.insight_table import InsightRow
from ckhub.insights.queries import TopicRow
from ckhub.insights.trends import TrendLine
from ckhub.ml.trends import Spike


class SpikeOut(BaseModel):
    period: date
    observed: int
    expected: float = Field(description="What the series' own past made likely")
    p_value: float
    emerging: bool = Field(description="The series was almost silent before")

    @classmethod
    def of(cls, spike: Spike, periods: list[date]) -> SpikeOut:
        return cls(
            period=periods[spike.index],
            observed=spike.observed,
            expected=round(spike.expected, 3),
            p_value=spike.p_value,
            emerging=spike.emerging,
        )


class TrendLineOut(BaseModel):
    key: int | str | None = Field(
        description="Topic, product line, issue type or tier id, or channel; null: everything"
    )
    total: int
    entries: list[int] = Field(description="Per period, in the order of `periods`")
    negative: list[int]
    positive: list[int]
    spikes: list[SpikeOut]

    @classmethod
    def of(cls, line: TrendLine) -> TrendLineOut:
        return cls(
            key=line.key,
            total=line.total,
            entries=line.entries,
            negative=line.negative,
            positive=line.positive,
            spikes=[SpikeOut.of(spike, line.periods) for spike in line.spikes],
        )


class TrendsOut(BaseModel):
    dimension: str
    grain: str = Field(description="day or week (weeks start on Monday)")
    periods: list[date]
    partial: list[date] = Field(
        description="Periods only part of which is counted: not over yet, or cut short by "
        "`until` (a fall there is not a fall)"
    )
    lines: list[TrendLineOut] = Field(description="Largest first")


class TopicOut(BaseModel):
    id: int
    title: str
    keywords: list[str]
    entries: int = Field(description="Entries of the topic the caller may see")
    negative: int
    positive: int
    is_new: bool = Field(description="Found by the latest refresh, not by the one before")

    @classmethod
    def of(cls, row: TopicRow) -> TopicOut:
        return cls(
            id=row.topic.id,
            title=row.topic.title,
            keywords=list(row.topic.keywords),
            entries=row.entries,
            negative=row.negative,
            positive=row.positive,
            is_new=row.is_new,
        )


class AspectOut(BaseModel):
    id: int
    name: str
    mentions: int
    negative: int
    positive: int
    negative_before: int = Field(description="Negative mentions in the window just before")

    @classmethod
    def of(cls, row: AspectRow) -> AspectOut:
        return cls(
            id=row.group.id,
            name=row.group.label,
            mentions=row.mentions,
            negative=row.negative,
            positive=row.positive,
            negative_before=row.negative_before,
        )


class InsightRowOut(BaseModel):
    topic: str
    aspect: str
    sentiment: str
    mentions: int
    negative: int
    positive: int
    mentions_before: int = Field(description="In the window of the same length just before")
    change: float | None
    quote: str
    suggested_owner_team: str
    entries_link: str

    @classmethod
    def of(cls, row: InsightRow) -> InsightRowOut:
        return cls(
            topic=row.topic,
            aspect=row.aspect,
            sentiment=row.sentiment,
            mentions=row.mentions,
            negative=row.negative,
            positive=row.positive,
            mentions_before=row.before,
            change=row.change,
            quote=row.quote,
            suggested_owner_team=row.owner_team,
            entries_link=row.link,
        )
