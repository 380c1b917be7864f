"""The search log: every query and every click, for search analytics and knowledge gaps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ckhub.db.base import Base
from ckhub.timeutil import utcnow


class SearchQuery(Base):
    """One search someone ran: what, how, with which filters, and how good the results were."""

    __tablename__ = "search_queries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Where it was asked: "knowledge" search page, "api", "cli", later "helpcenter", "assistant".
    surface: Mapped[str] = mapped_column(String(32), default="knowledge")
    query: Mapped[str] = mapped_column(String(500))
    mode: Mapped[str] = mapped_column(String(16))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result_count: Mapped[int] = mapped_column(default=0)
    # Best fused score and best vector similarity, to find weak (not only empty) result lists.
    top_score: Mapped[float | None]
    top_similarity: Mapped[float | None]
    result_ids: Mapped[list[int]] = mapped_column(JSON, default=list)


class SearchClick(Base):
    """Someone opened a result of a logged search."""

    __tablename__ = "search_clicks"

    id: Mapped[int] = mapped_column(primary_key=True)
    query_id: Mapped[int] = mapped_column(ForeignKey("search_queries.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("knowledge_entries.id", ondelete="CASCADE"))
    rank: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
