"""Reads of topics: the list with each topic's feeling, and a topic's entries for one viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import EntryTopic, Topic, TopicRun
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.search.filters import SearchFilters, entry_conditions


@dataclass
class TopicRow:
    topic: Topic
    entries: int  # those the viewer may see
    negative: int
    positive: int
    is_new: bool

    @property
    def negative_share(self) -> float:
        return self.negative / self.entries if self.entries else 0.0


def latest_runs(session: Session, count: int = 2) -> list[TopicRun]:
    return list(session.scalars(select(TopicRun).order_by(TopicRun.id.desc()).limit(count)))


def topic_rows(session: Session, viewer: Viewer) -> list[TopicRow]:
    """Active topics, largest first, counted over the entries the viewer may see. A topic is
    new when the latest refresh found it and an earlier refresh had not."""
    runs = latest_runs(session)
    new_since: datetime | None = runs[0].started_at if len(runs) == 2 else None
    counts = (
        select(
            EntryTopic.topic_id,
            func.count().label("entries"),
            func.sum(case((KnowledgeEntry.sentiment == "negative", 1), else_=0)).label("neg"),
            func.sum(case((KnowledgeEntry.sentiment == "positive", 1), else_=0)).label("pos"),
        )
        .join(KnowledgeEntry, KnowledgeEntry.id == EntryTopic.entry_id)
        .where(entry_conditions(viewer, SearchFilters()))
        .group_by(EntryTopic.topic_id)
        .subquery()
    )
    rows = session.execute(
        select(Topic, counts.c.entries, counts.c.neg, counts.c.pos)
        .join(counts, counts.c.topic_id == Topic.id)
        .where(Topic.status == "active")
        .order_by(counts.c.entries.desc(), Topic.id)
    ).all()
    return [
        TopicRow(
            topic,
            int(entries),
            int(neg or 0),
            int(pos or 0),
            new_since is not None and topic.first_seen_at >= new_since,
        )
        for topic, entries, neg, pos in rows
    ]


def topic_entries(
    session: Session, viewer: Viewer, topic_id: int, limit: int = 50
) -> list[KnowledgeEntry]:
    """The entries of a topic the viewer may see, closest to its centre first."""
    return list(
        session.scalars(
            select(KnowledgeEntry)
            .join(EntryTopic, EntryTopic.entry_id == KnowledgeEntry.id)
            .where(EntryTopic.topic_id == topic_id, entry_conditions(viewer, SearchFilters()))
            .order_by(EntryTopic.similarity.desc())
            .limit(limit)
        )
    )


def merge_targets(session: Session, topic_id: int) -> list[Topic]:
    return list(
        session.scalars(
            select(Topic)
            .where(Topic.status == "active", Topic.id != topic_id)
            .order_by(Topic.size.desc())
        )
    )


def filtered_entries(
    session: Session, viewer: Viewer, filters: InsightFilters, limit: int = 100
) -> tuple[int, list[KnowledgeEntry]]:
    """How many entries match, and the newest `limit` of them (the drill-down behind a chart)."""
    where = filters.conditions(viewer)
    total = session.scalar(select(func.count()).select_from(KnowledgeEntry).where(where)) or 0
    newest = session.scalars(
        select(KnowledgeEntry)
        .where(where)
        .order_by(KnowledgeEntry.occurred_at.desc(), KnowledgeEntry.id.desc())
        .limit(limit)
    )
    return int(total), list(newest)
