"""Search filters (facets) and the access rule, as SQL conditions on knowledge entries."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select

from ckhub.auth.permissions import Viewer, visibility_clause
from ckhub.knowledge.models import EntryTag, KnowledgeEntry


@dataclass(frozen=True)
class SearchFilters:
    channels: tuple[str, ...] = ()
    product_line_ids: tuple[int, ...] = ()
    issue_type_ids: tuple[int, ...] = ()
    tier_ids: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    customer_id: int | None = None
    tag: str = ""
    since: datetime | None = None
    until: datetime | None = None

    def as_log(self) -> dict[str, Any]:
        """Only the filters in use, JSON-ready."""
        return {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in asdict(self).items()
            if value not in ((), None, "")
        }


def entry_conditions(viewer: Viewer, filters: SearchFilters) -> ColumnElement[bool]:
    """Live entries the viewer may see that match the filters: one WHERE for every query."""
    entry = KnowledgeEntry
    conditions: list[ColumnElement[bool]] = [
        entry.deleted_at.is_(None),
        visibility_clause(viewer, entry.visibility, entry.team_id),
    ]
    for column, values in (
        (entry.channel, filters.channels),
        (entry.product_line_id, filters.product_line_ids),
        (entry.issue_type_id, filters.issue_type_ids),
        (entry.tier_id, filters.tier_ids),
        (entry.language, filters.languages),
    ):
        if values:
            conditions.append(column.in_(values))
    if filters.customer_id is not None:
        conditions.append(entry.customer_id == filters.customer_id)
    if filters.tag:
        tagged = select(EntryTag.entry_id).where(EntryTag.tag == filters.tag)
        conditions.append(entry.id.in_(tagged))
    if filters.since is not None:
        conditions.append(entry.occurred_at >= filters.since)
    if filters.until is not None:
        conditions.append(entry.occurred_at < filters.until)
    return and_(*conditions)
