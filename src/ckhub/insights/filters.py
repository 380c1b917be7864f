"""What an insights page is looking at: a time window, the usual facets, a topic, a feeling.
One SQL condition serves every chart, table and drill-down, permissions included."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, select

from ckhub.auth.permissions import Viewer
from ckhub.insights.models import EntryAspect, EntryTopic
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.periods import partial_periods
from ckhub.search.filters import SearchFilters, entry_conditions
from ckhub.workdays import day_start, today_in, typed_day

SENTIMENTS = ("negative", "neutral", "positive")
WINDOWS = (30, 90, 180, 365)
MAX_DAYS = 400


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@dataclass(frozen=True, kw_only=True)
class InsightFilters:
    zone: str  # the workspace's time zone: whose days are counted (ckhub.workdays)
    until: date  # the window's last day
    days: int = 180
    weekly: bool = True
    facets: SearchFilters = field(default_factory=SearchFilters)
    topic_id: int | None = None
    sentiment: str | None = None
    aspect_id: int | None = None  # an aspect group: entries that mention it

    @classmethod
    def from_params(cls, params: dict[str, str], zone: str) -> InsightFilters:
        """From a page's query string (a window ending today unless it says otherwise);
        anything unknown is ignored (a shared link that has gone stale still opens)."""
        days = _int(params.get("days"))
        days = days if days in WINDOWS else None
        since, until = typed_day(params.get("since", "")), typed_day(params.get("until", ""))
        if since and until:  # one chart point's period
            days = (until - since).days + 1
            days = days if 1 <= days <= MAX_DAYS else None
        product_line, tier = _int(params.get("product_line")), _int(params.get("tier"))
        sentiment = params.get("sentiment")
        return cls(
            zone=zone,
            days=days or 180,
            weekly=params.get("grain", "week") != "day",
            until=until or today_in(zone),
            facets=SearchFilters(
                channels=(params["channel"],) if params.get("channel") else (),
                product_line_ids=(product_line,) if product_line else (),
                tier_ids=(tier,) if tier else (),
            ),
            topic_id=_int(params.get("topic")),
            aspect_id=_int(params.get("aspect")),
            sentiment=sentiment if sentiment in SENTIMENTS else None,
        )

    @property
    def since(self) -> date:
        return self.until - timedelta(days=self.days - 1)

    @property
    def since_before(self) -> date:
        """The first day of the window of the same length just before this one."""
        return self.since - timedelta(days=self.days)

    def in_window(self) -> ColumnElement[int]:
        """1 for an entry of this window, 0 for one before it (counting both in one query)."""
        starts = day_start(self.since, self.zone)
        return case((KnowledgeEntry.occurred_at >= starts, 1), else_=0)

    def period_params(self, start: date, **changes: Any) -> dict[str, str]:
        """The query string of one chart point: its period (a day or a week) and `changes`."""
        end = min(start + timedelta(days=6 if self.weekly else 0), self.until)
        params = self.as_params(**changes)
        params.pop("days", None)
        return {**params, "since": start.isoformat(), "until": end.isoformat()}

    def partial(self, periods: list[date]) -> list[int]:
        """Which of a chart's periods are only partly counted (the week not over yet, or cut
        short by `until`). The first is whole: trends count from before the window."""
        return partial_periods(periods, self.weekly, self.until, today_in(self.zone))

    def conditions(self, viewer: Viewer, since: date | None = None) -> ColumnElement[bool]:
        start = day_start(since or self.since, self.zone)
        end = day_start(self.until + timedelta(days=1), self.zone)
        facets = replace(self.facets, since=start, until=end)
        wanted = [entry_conditions(viewer, facets)]
        if self.topic_id is not None:
            members = select(EntryTopic.entry_id).where(EntryTopic.topic_id == self.topic_id)
            wanted.append(KnowledgeEntry.id.in_(members))
        if self.aspect_id is not None:
            mentioning = select(EntryAspect.entry_id).where(EntryAspect.group_id == self.aspect_id)
            if self.sentiment is not None:  # the feeling about the aspect, not the whole entry
                mentioning = mentioning.where(EntryAspect.sentiment == self.sentiment)
            wanted.append(KnowledgeEntry.id.in_(mentioning))
        elif self.sentiment is not None:
            wanted.append(KnowledgeEntry.sentiment == self.sentiment)
        return and_(*wanted)

    def as_params(self, **changes: Any) -> dict[str, str]:
        """The query string that opens these filters (with `changes`), for links."""
        params = {
            "days": str(self.days),
            "grain": "week" if self.weekly else "day",
            "until": self.until.isoformat(),
            "channel": self.facets.channels[0] if self.facets.channels else "",
            "product_line": str(self.facets.product_line_ids[0])
            if self.facets.product_line_ids
            else "",
            "tier": str(self.facets.tier_ids[0]) if self.facets.tier_ids else "",
            "topic": str(self.topic_id or ""),
            "sentiment": self.sentiment or "",
            "aspect": str(self.aspect_id or ""),
        }
        params.update({key: str(value) for key, value in changes.items()})
        return {key: value for key, value in params.items() if value}
