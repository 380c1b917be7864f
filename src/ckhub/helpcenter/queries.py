"""Reading articles, always through the viewer's permissions (in the query).

Readers (customers, visitors, the answer bot, the sitemap) see only published, unarchived
articles whose visibility allows them — and, for articles limited to some customer tiers, only
when their customer account has one of those tiers. Staff editing articles see drafts too.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, select, true
from sqlalchemy.orm import Session, selectinload

from ckhub.auth.permissions import Capability, Role, Viewer, visibility_clause
from ckhub.errors import not_found
from ckhub.helpcenter.models import (
    Article,
    ArticleReview,
    ArticleStatus,
    ArticleText,
    ArticleTier,
    ArticleVersion,
    HelpCategory,
    HelpSection,
)
from ckhub.i18n_marker import N_
from ckhub.knowledge.customers import tier_of_user


def readable_clause(session: Session, viewer: Viewer) -> ColumnElement[bool]:
    """Articles this viewer may read: live (has published text, not archived) and visible."""
    live = and_(
        Article.status != ArticleStatus.ARCHIVED.value,
        exists().where(
            ArticleText.article_id == Article.id, ArticleText.published_version_id.is_not(None)
        ),
    )
    return and_(
        live,
        visibility_clause(viewer, Article.visibility, Article.team_id),
        _tier_clause(session, viewer),
    )


def _tier_clause(session: Session, viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_staff:
        return true()
    unrestricted = ~exists().where(ArticleTier.article_id == Article.id)
    if viewer.role is not Role.CUSTOMER:
        return unrestricted
    tier_id = tier_of_user(session, viewer.user_id)
    if tier_id is None:
        return unrestricted
    allowed = exists().where(ArticleTier.article_id == Article.id, ArticleTier.tier_id == tier_id)
    return unrestricted | allowed


def readable_article(session: Session, viewer: Viewer, slug: str) -> Article:
    """The article for a reader; "not found" when it does not exist or is not theirs to read."""
    article = session.scalar(
        select(Article)
        .where(Article.slug == slug, readable_clause(session, viewer))
        .options(selectinload(Article.texts))
    )
    if article is None:
        raise not_found(N_("Article"))
    return article


def editable_article(session: Session, viewer: Viewer, article_id: int) -> Article:
    """The article for staff who write: drafts included, within their visibility."""
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise not_found(N_("Article"))
    article = session.scalar(
        select(Article).where(
            Article.id == article_id,
            visibility_clause(viewer, Article.visibility, Article.team_id),
        )
    )
    if article is None:
        raise not_found(N_("Article"))
    return article


def readable_articles(
    session: Session, viewer: Viewer, section_id: int | None = None, limit: int = 500
) -> list[Article]:
    query = (
        select(Article)
        .where(readable_clause(session, viewer))
        .options(selectinload(Article.texts))
        .order_by(Article.published_at.desc(), Article.id)
        .limit(limit)
    )
    if section_id is not None:
        query = query.where(Article.section_id == section_id)
    return list(session.scalars(query))


def readable_by_ids(session: Session, viewer: Viewer, article_ids: list[int]) -> dict[int, Article]:
    found = session.scalars(
        select(Article)
        .where(Article.id.in_(article_ids), readable_clause(session, viewer))
        .options(selectinload(Article.texts))
    )
    return {article.id: article for article in found}


def published_text(article: Article, language: str) -> ArticleText | None:
    """The reader's language if the article has it, else the other one."""
    live = [text for text in article.texts if text.published_version_id is not None]
    for text in live:
        if text.language == language:
            return text
    return live[0] if live else None


def category_tree(session: Session) -> list[tuple[HelpCategory, list[HelpSection]]]:
    categories = session.scalars(
        select(HelpCategory)
        .options(selectinload(HelpCategory.sections))
        .order_by(HelpCategory.position, HelpCategory.id)
    ).all()
    return [(category, list(category.sections)) for category in categories]


def newest_versions(session: Session, article: Article) -> dict[str, ArticleVersion]:
    """Each language's newest version (what editors see and reviewers review)."""
    ids = [text.draft_version_id for text in article.texts if text.draft_version_id]
    versions = session.scalars(select(ArticleVersion).where(ArticleVersion.id.in_(ids))).all()
    return {version.language: version for version in versions}


def staff_articles(
    session: Session, viewer: Viewer, status: str = "", limit: int = 500
) -> list[tuple[Article, str]]:
    """Articles for the editors' list (drafts too), with the newest title, newest first."""
    query = (
        select(Article)
        .where(visibility_clause(viewer, Article.visibility, Article.team_id))
        .options(selectinload(Article.texts))
        .order_by(Article.updated_at.desc())
        .limit(limit)
    )
    if status:
        query = query.where(Article.status == status)
    articles = list(session.scalars(query))
    ids = [t.draft_version_id for a in articles for t in a.texts if t.draft_version_id]
    rows = session.execute(
        select(ArticleVersion.id, ArticleVersion.title).where(ArticleVersion.id.in_(ids))
    )
    titles: dict[int, str] = dict(rows.all())
    return [
        (
            article,
            next(
                (titles[t.draft_version_id] for t in article.texts if t.draft_version_id in titles),
                article.slug,
            ),
        )
        for article in articles
    ]


def article_history(session: Session, article_id: int) -> list[ArticleVersion]:
    return list(
        session.scalars(
            select(ArticleVersion)
            .where(ArticleVersion.article_id == article_id)
            .order_by(ArticleVersion.language, ArticleVersion.number.desc())
        )
    )


def article_reviews(session: Session, article_id: int) -> list[ArticleReview]:
    return list(
        session.scalars(
            select(ArticleReview)
            .where(ArticleReview.article_id == article_id)
            .order_by(ArticleReview.created_at.desc(), ArticleReview.id.desc())
        )
    )


def previous_version(session: Session, version: ArticleVersion) -> ArticleVersion | None:
    return session.scalar(
        select(ArticleVersion).where(
            ArticleVersion.article_id == version.article_id,
            ArticleVersion.language == version.language,
            ArticleVersion.number == version.number - 1,
        )
    )


def headlines(
    session: Session, article_ids: list[int], language: str
) -> dict[int, tuple[str, str]]:
    """(slug, published title) per article, the title in the reader's language where it exists."""
    found: dict[int, tuple[str, str]] = {}
    rows = session.execute(
        select(Article.id, Article.slug, ArticleText.language, ArticleText.title)
        .join(ArticleText, ArticleText.article_id == Article.id)
        .where(Article.id.in_(article_ids), ArticleText.published_version_id.is_not(None))
    ).all()
    for article_id, slug, text_language, title in rows:
        if article_id not in found or text_language == language:
            found[article_id] = (slug, title)
    return found


def slugs(session: Session, article_ids: list[int]) -> list[str]:
    return sorted(session.scalars(select(Article.slug).where(Article.id.in_(article_ids))))
