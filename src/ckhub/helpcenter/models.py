"""Tables of the help center: categories and sections, articles with their language versions,
reviews, feedback, views, outdated flags, sources and attachments.

An article's text lives in versions: every save of one language adds a version, and the article
points per language at the version readers see (`published_version_id`) and at the newest one
(`draft_version_id`). Editing a published article therefore never changes what readers see until
the new version is approved and published.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ckhub.db.base import Base, CreatedAtMixin
from ckhub.timeutil import utcnow


class ArticleStatus(StrEnum):
    """Where the newest version stands. A published article that is being edited is a draft (or
    in review) again while readers keep seeing its published version."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class ReviewAction(StrEnum):
    COMMENT = "comment"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"


class HelpCategory(Base):
    """A top-level group of articles. Publishing in it may require a reviewer's approval."""

    __tablename__ = "help_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    requires_review: Mapped[bool] = mapped_column(default=True)
    # The subject-matter experts who approve; none means any knowledge manager.
    reviewer_team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL")
    )

    sections: Mapped[list[HelpSection]] = relationship(
        back_populates="category", order_by="HelpSection.position"
    )


class HelpSection(Base):
    """A group of articles inside a category."""

    __tablename__ = "help_sections"
    __table_args__ = (UniqueConstraint("category_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("help_categories.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    position: Mapped[int] = mapped_column(default=0)

    category: Mapped[HelpCategory] = relationship(back_populates="sections")


class Article(CreatedAtMixin, Base):
    """A help-center article in one or two languages."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("help_sections.id"), index=True)
    slug: Mapped[str] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=ArticleStatus.DRAFT.value, index=True)
    # public / customers / internal / team, as for knowledge entries.
    visibility: Mapped[str] = mapped_column(String(16), default="internal")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Freshness: verified every so many days by the owner.
    verify_every_days: Mapped[int] = mapped_column(default=180)
    verified_at: Mapped[datetime | None]
    verification_due_at: Mapped[datetime | None] = mapped_column(index=True)
    needs_verification: Mapped[bool] = mapped_column(default=False)
    owner_reminded_at: Mapped[datetime | None]
    lead_reminded_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    # Counters for the reader side and the content-health page.
    views: Mapped[int] = mapped_column(default=0)
    helpful_yes: Mapped[int] = mapped_column(default=0)
    helpful_no: Mapped[int] = mapped_column(default=0)
    # Indexed: the article vector index refreshes from rows changed since it last looked.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    texts: Mapped[list[ArticleText]] = relationship(
        cascade="all, delete-orphan", order_by="ArticleText.language"
    )
    tiers: Mapped[list[ArticleTier]] = relationship(cascade="all, delete-orphan")
    section: Mapped[HelpSection] = relationship()


class ArticleTier(Base):
    """For an article visible to customers: only customers of these tiers (none listed: all)."""

    __tablename__ = "article_tiers"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    tier_id: Mapped[int] = mapped_column(
        ForeignKey("customer_tiers.id", ondelete="CASCADE"), primary_key=True
    )


class ArticleText(Base):
    """One language of an article: which version is live, which is newest, and the live text's
    search tokens (only published text is ever searched by readers or the bot)."""

    __tablename__ = "article_texts"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    draft_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_versions.id", ondelete="SET NULL")
    )
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_versions.id", ondelete="SET NULL")
    )
    # The published title and body, copied here so reading and searching need no join.
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")
    search_title: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")


class ArticleVersion(Base):
    """One saved state of one language of an article (Markdown). Never changed once written."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "language", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    restored_from: Mapped[int | None]  # the version number this one brought back
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleReview(Base):
    """A reviewer's comment, request for changes or approval."""

    __tablename__ = "article_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleFlag(Base):
    """Someone on staff says the article is outdated, and why; routed to its owner."""

    __tablename__ = "article_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ArticleFeedback(Base):
    """A reader's "was this helpful?" with an optional comment."""

    __tablename__ = "article_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    helpful: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleViewDay(Base):
    """Views of an article per day, for trends on the metrics page."""

    __tablename__ = "article_view_days"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(default=0)


class ArticleSource(Base):
    """A knowledge entry the article was written from ("create article from this")."""

    __tablename__ = "article_sources"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_entries.id", ondelete="CASCADE"), primary_key=True
    )


class RelatedArticle(Base):
    """Two articles shown as related to each other."""

    __tablename__ = "related_articles"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )


class ArticleAttachment(Base):
    """A file or image attached to an article (kept in the database, so backups hold it)."""

    __tablename__ = "article_attachments"
    __table_args__ = (Index("ix_article_attachments_article", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # not in lists
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticlePassage(Base):
    """A searchable piece of an article's published text: its title (position 0, matched
    question-to-question) or a section of its body. Rebuilt whenever the article is published;
    the answer bot quotes passages and cites their article."""

    __tablename__ = "article_passages"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    heading: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")  # segmented tokens


class PassageEmbedding(Base):
    """A passage's vector from one embedder (float32 bytes)."""

    __tablename__ = "article_passage_embeddings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["article_id", "language", "position"],
            [
                "article_passages.article_id",
                "article_passages.language",
                "article_passages.position",
            ],
            ondelete="CASCADE",
        ),
    )

    article_id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(String(32), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class LearnedQuestion(Base):
    """A customer's question confirmed to be answered by an article: by the customer ("Yes" on
    the bot's answer citing it) or by an agent after a handoff. The bot compares new questions
    with an article's title together with these (helpcenter/learning.py)."""

    __tablename__ = "article_learned_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(1000))
    source: Mapped[str] = mapped_column(String(16))  # "customer" or "agent"
    # "user:<id>", or "address:<keyed hash>" for an anonymous visitor (never the address itself);
    # at most MAX_PER_TEACHER of one teacher's questions count per article.
    teacher: Mapped[str | None] = mapped_column(String(40))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_messages.id", ondelete="SET NULL"), index=True
    )
    model: Mapped[str] = mapped_column(String(32), default="")  # embedder of `vector`
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)  # float32, embedded as a query
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
