"""Tables of the insights area: topics found among the entries, and which entry is in which."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ckhub.db.base import Base
from ckhub.timeutil import utcnow


class Topic(Base):
    """A group of entries about the same thing. Its id stays the same across refreshes of the
    topic model (new clusters are matched to existing topics); staff may rename it, merge it into
    another or split it, and those decisions outlive refreshes (insights/topic_refresh.py)."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200), default="")  # from keywords, refreshed
    name: Mapped[str | None] = mapped_column(String(200))  # staff's name, kept over `label`
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active / merged / gone
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    model: Mapped[str] = mapped_column(String(32), default="")  # embedder of `centroid`
    centroid: Mapped[bytes | None] = mapped_column(LargeBinary)  # float32, normalized mean
    # New entries join the topic between refreshes when at least this close to its centre (the
    # 5th percentile of its members' similarities at the last refresh).
    floor: Mapped[float] = mapped_column(Float, default=1.0)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def title(self) -> str:
        return self.name or self.label


class EntryTopic(Base):
    """The topic an entry belongs to, and how close it is to the topic's centre."""

    __tablename__ = "entry_topics"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float] = mapped_column(Float, default=0.0)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicRun(Base):
    """One refresh of the topic model: what it found and how long it took."""

    __tablename__ = "topic_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    topics: Mapped[int] = mapped_column(Integer, default=0)
    new_topics: Mapped[int] = mapped_column(Integer, default=0)
    unassigned: Mapped[int] = mapped_column(Integer, default=0)


class TopicSubscription(Base):
    """Someone who wants to hear when a topic spikes: a user, every member of a team, or a
    webhook address (a team's chat channel, an incident tool)."""

    __tablename__ = "topic_subscriptions"  # one of user / team / webhook; no duplicates (service)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    webhook_url: Mapped[str | None] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicAlert(Base):
    """A spike found in a topic's series (once per topic, grain and period)."""

    __tablename__ = "topic_alerts"
    __table_args__ = (UniqueConstraint("topic_id", "grain", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    grain: Mapped[str] = mapped_column(String(8))  # "day" or "week"
    period: Mapped[date] = mapped_column(Date)
    observed: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    p_value: Mapped[float] = mapped_column(Float)
    emerging: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AspectGroup(Base):
    """Ways of naming one aspect (电池, 电池续航, battery): a term joins the group holding a term
    that means nearly the same (insights/aspect_analysis.py)."""

    __tablename__ = "aspect_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(64))  # its most mentioned term
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AspectGroupingState(Base):
    """Which rule the aspect groups were made by (aspect_groups.GROUPING_VERSION) and when they
    were last made again: a newer rule places every wording again."""

    __tablename__ = "aspect_grouping_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    regrouped_at: Mapped[datetime] = mapped_column(default=utcnow)


class AspectTerm(Base):
    """One wording of an aspect and its group."""

    __tablename__ = "aspect_terms"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("aspect_groups.id", ondelete="CASCADE"), index=True
    )
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    model: Mapped[str] = mapped_column(String(32), default="")
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # embedded as a query, float32


class EntryAspect(Base):
    """An aspect mentioned in an entry, with the feeling of the clause it was mentioned in."""

    __tablename__ = "entry_aspects"
    # Covers the dashboards' counts (entry → aspect, feeling) without reading the rows: 0.43 →
    # 0.29 s for a year of aspects at 100k entries. It also serves lookups by entry.
    __table_args__ = (Index("ix_entry_aspects_counts", "entry_id", "group_id", "sentiment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("knowledge_entries.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(
        ForeignKey("aspect_groups.id", ondelete="CASCADE"), index=True
    )
    term: Mapped[str] = mapped_column(String(64))
    clause: Mapped[str] = mapped_column(String(500))
    sentiment: Mapped[str] = mapped_column(String(8))
    score: Mapped[float] = mapped_column(Float)


class AspectState(Base):
    """The text an entry's aspects were read from (its content hash): changed text is read again."""

    __tablename__ = "entry_aspect_states"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), primary_key=True
    )
    content_hash: Mapped[str] = mapped_column(String(64))
    # How aspects were read (aspect_analysis.READER_VERSION): older readings are read again.
    reader_version: Mapped[int] = mapped_column(default=1, server_default="1")
    analyzed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Rollup(Base):
    """Entries per period (a day, or a week from Monday), one dimension's value, visibility and
    feeling: what a dashboard without filters reads instead of every entry (insights/rollups.py).
    Rebuilt from the entries by the minute job; `key` is the value as text (NULL: everything)."""

    __tablename__ = "insight_rollups"
    __table_args__ = (Index("ix_insight_rollups_grain_period", "grain", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(String(8))
    period: Mapped[date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(16))
    key: Mapped[str | None] = mapped_column(String(64))
    visibility: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(Integer)
    sentiment: Mapped[str | None] = mapped_column(String(8))
    entries: Mapped[int] = mapped_column(Integer)


class AspectRollup(Base):
    """Aspect mentions per day, aspect, feeling and visibility (insights/rollups.py)."""

    __tablename__ = "insight_aspect_rollups"
    __table_args__ = (Index("ix_insight_aspect_rollups_period", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[date] = mapped_column(Date)
    group_id: Mapped[int] = mapped_column(Integer)
    sentiment: Mapped[str] = mapped_column(String(8))  # the feeling about the aspect
    entry_sentiment: Mapped[str | None] = mapped_column(String(8))  # the whole entry's
    visibility: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(Integer)
    mentions: Mapped[int] = mapped_column(Integer)


class RollupState(Base):
    """The version of the data the roll-ups counted, and when they were last found to match the
    data (rebuilt, or checked unchanged) — the minute job does either every minute."""

    __tablename__ = "insight_rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(200))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
