"""A cheap fingerprint of everything the insights count, to know when counts went stale."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.insights.models import AspectGroupingState, EntryAspect, Topic, TopicRun
from ckhub.knowledge.models import KnowledgeEntry


def data_version(session: Session) -> tuple[Any, ...]:
    """Changes whenever anything a dashboard counts changes: entries (new, edited, retagged,
    re-scored, deleted: all move `updated_at`), topics (joins move a topic's size, refreshes add a
    run, renames and merges edit the topic) and aspects (read again: new rows; grouped again:
    the grouping's time)."""
    return tuple(
        session.execute(
            select(
                select(func.max(KnowledgeEntry.updated_at)).scalar_subquery(),
                select(func.count()).select_from(KnowledgeEntry).scalar_subquery(),
                select(func.max(Topic.updated_at)).scalar_subquery(),
                select(func.max(TopicRun.id)).scalar_subquery(),
                select(func.max(EntryAspect.id)).scalar_subquery(),
                select(func.max(AspectGroupingState.regrouped_at)).scalar_subquery(),
            )
        ).one()
    )
