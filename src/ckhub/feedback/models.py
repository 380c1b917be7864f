"""Tables of the feedback loop: items customers asked for or complained about, who asked (in
their own words), where each item is in its workflow, and who was told what.

Customers, entries, teams and users belong to other areas; these tables only hold their ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ckhub.db.base import Base, CreatedAtMixin
from ckhub.timeutil import utcnow


class FeedbackKind(Base):
    """What an item is: feature request, complaint, bug, praise, or a kind a workspace adds."""

    __tablename__ = "feedback_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class FeedbackStatus(Base):
    """A step of the workflow. The built-in ones cannot be removed; a team may add its own
    (`team_id`), which only its items use. `due_days`: how long an item may stay in it before
    its owner is reminded. `tells_requesters`: reaching it sends every requester a message."""

    __tablename__ = "feedback_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    is_closed: Mapped[bool] = mapped_column(default=False)
    due_days: Mapped[int | None]
    tells_requesters: Mapped[bool] = mapped_column(default=False)
    is_builtin: Mapped[bool] = mapped_column(default=False)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))


class FeedbackItem(CreatedAtMixin, Base):
    """One thing customers want changed (or praised), tracked until it is done."""

    __tablename__ = "feedback_items"
    __table_args__ = (Index("ix_feedback_items_status_due", "status_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("feedback_kinds.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status_id: Mapped[int] = mapped_column(ForeignKey("feedback_statuses.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    product_line_id: Mapped[int | None] = mapped_column(ForeignKey("product_lines.id"))
    issue_type_id: Mapped[int | None] = mapped_column(ForeignKey("issue_types.id"))
    is_public: Mapped[bool] = mapped_column(default=False, index=True)
    # Set when merged into another item (its status is then "duplicate"); cleared by an undo.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="SET NULL"), index=True
    )
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]  # the owner was reminded of this due date
    escalated_at: Mapped[datetime | None]  # the team lead was told
    # Kept up to date by the service: Σ tier weight over distinct requesting customers.
    impact: Mapped[float] = mapped_column(default=0.0, index=True)
    requester_count: Mapped[int] = mapped_column(default=0)
    # The query vector of title + description (ml/duplicates.py), for similar items.
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    vector_model: Mapped[str | None] = mapped_column(String(32))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FeedbackSource(CreatedAtMixin, Base):
    """Where an item comes from: a knowledge entry and the customer who said it, in their words.
    Every customer linked through a source is a requester."""

    __tablename__ = "feedback_sources"
    __table_args__ = (UniqueConstraint("item_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="SET NULL"), index=True
    )
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    quote: Mapped[str] = mapped_column(Text, default="")  # redacted, as the entry stores it
    language: Mapped[str] = mapped_column(String(8), default="zh")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FeedbackVote(CreatedAtMixin, Base):
    __tablename__ = "feedback_votes"
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class FeedbackComment(CreatedAtMixin, Base):
    __tablename__ = "feedback_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)


class FeedbackFollower(Base):
    """A member of staff told of every status change."""

    __tablename__ = "feedback_followers"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FeedbackStatusChange(Base):
    """Who moved an item to which status, when, and why."""

    __tablename__ = "feedback_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True
    )
    from_status_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_statuses.id"))
    to_status_id: Mapped[int] = mapped_column(ForeignKey("feedback_statuses.id"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_by_name: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")


class FeedbackMerge(Base):
    """One item merged into another, with the ids of everything that moved, so it can be undone
    exactly (what was added to the target later stays there)."""

    __tablename__ = "feedback_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True
    )
    source_status_id: Mapped[int] = mapped_column(ForeignKey("feedback_statuses.id"))
    moved: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class RoutingRule(CreatedAtMixin, Base):
    """New items matching every condition that is set go to this team and owner; the first
    matching rule by position wins."""

    __tablename__ = "feedback_routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    kind_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_kinds.id", ondelete="CASCADE"))
    product_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_lines.id", ondelete="CASCADE")
    )
    issue_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("issue_types.id", ondelete="CASCADE")
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


# A suggestion's status.
PENDING, ACCEPTED, DISMISSED = "pending", "accepted", "dismissed"


class FeedbackSuggestion(CreatedAtMixin, Base):
    """An incoming entry that reads like a request or a complaint, waiting for a decision. The
    decision is kept: accepted and dismissed entries teach later suggestions."""

    __tablename__ = "feedback_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), unique=True
    )
    kind_id: Mapped[int] = mapped_column(ForeignKey("feedback_kinds.id"))
    score: Mapped[float]
    # Why: "issue_type" (the entry's issue type), "learned" (a decided suggestion close to it
    # was accepted) or "customer" (they suggested it in the help center or the answer bot).
    reason: Mapped[str] = mapped_column(String(16), default="issue_type")
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]


class SuggestionScan(Base):
    """How far the suggestion scan has read the entries (the highest entry id considered)."""

    __tablename__ = "feedback_suggestion_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_entry_id: Mapped[int] = mapped_column(default=0)


class MessageTemplate(Base):
    """The message requesters get when an item reaches a status that tells them, per language.
    Without a row the built-in, translated template is used."""

    __tablename__ = "feedback_message_templates"
    __table_args__ = (UniqueConstraint("status_key", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status_key: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RequesterNotice(CreatedAtMixin, Base):
    """A requester was told that an item reached a status: once per item, customer and status
    (the unique key), whatever merges happen later."""

    __tablename__ = "feedback_requester_notices"
    __table_args__ = (UniqueConstraint("item_id", "customer_id", "status_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    status_key: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))  # "email", "webhook" or "none"
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )


class FeedbackWebhook(CreatedAtMixin, Base):
    """A system that reaches customers or teams (a chat tool, a CRM): it receives requester
    messages and/or status changes, in its own message format, through the outbox."""

    __tablename__ = "feedback_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(254))
    format: Mapped[str] = mapped_column(String(16), default="generic")  # see feedback/hooks.py
    # Only this team's items (None: every item).
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    sends_requester_messages: Mapped[bool] = mapped_column(default=True)
    sends_status_changes: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
