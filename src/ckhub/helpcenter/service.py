"""Every write to articles: drafting, versions, review, publishing, archiving, restoring.

The lifecycle is draft → in review → published → archived. Saving a language adds a version;
readers keep seeing the published version until a newer one is published. Where the category
requires review, only a reviewer other than the newest version's author can approve, and the
approval publishes what was reviewed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer, Visibility
from ckhub.errors import Problem, forbidden, not_found
from ckhub.helpcenter.models import (
    Article,
    ArticlePassage,
    ArticleReview,
    ArticleSource,
    ArticleStatus,
    ArticleText,
    ArticleTier,
    ArticleVersion,
    HelpCategory,
    HelpSection,
    RelatedArticle,
    ReviewAction,
)
from ckhub.helpcenter.passages import split_passages
from ckhub.i18n_marker import N_
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.knowledge.queries import visible_entry
from ckhub.knowledge.taxonomy import list_tiers
from ckhub.text.normalize import normalize_text
from ckhub.text.segment import segmented
from ckhub.timeutil import utcnow

LANGUAGES = ("zh", "en")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,127}$")
MAX_TITLE = 300
MAX_BODY = 200_000


@dataclass
class ArticleDraft:
    """What an editor submits for one language of an article."""

    language: str
    title: str
    body: str
    keywords: str = ""
    note: str = ""


@dataclass
class ArticleSettings:
    """Where an article lives and who may read it."""

    section_id: int
    slug: str
    visibility: str = Visibility.INTERNAL.value
    team_id: int | None = None
    tier_ids: tuple[int, ...] = ()  # for visibility "customers": only these tiers (none: all)
    owner_id: int | None = None
    verify_every_days: int = 180


def _require(viewer: Viewer, capability: Capability) -> None:
    if not viewer.can(capability):
        raise forbidden()


def get_article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise not_found(N_("Article"))
    return article


def checked_slug(slug: str) -> str:
    """The slug, lower-cased, if it can be part of an address; else a clear error."""
    cleaned = slug.strip().lower()
    if not SLUG.match(cleaned):
        raise Problem(
            "invalid-slug",
            "A slug is lower-case letters, digits and hyphens (1–128), e.g. reset-password.",
            422,
        )
    return cleaned


def _check_settings(session: Session, settings: ArticleSettings, article_id: int | None) -> None:
    if session.get(HelpSection, settings.section_id) is None:
        raise not_found(N_("Section"))
    checked_slug(settings.slug)
    clash = session.scalar(select(Article.id).where(Article.slug == settings.slug))
    if clash is not None and clash != article_id:
        raise Problem("slug-exists", "The slug “{slug}” is already used.", 409, slug=settings.slug)
    if settings.visibility not in {v.value for v in Visibility}:
        raise Problem(
            "invalid-visibility", "Unknown visibility “{value}”.", 422, value=settings.visibility
        )
    if settings.visibility == Visibility.TEAM and settings.team_id is None:
        raise Problem("invalid-team", "Team-only articles need a team.", 422)
    known_tiers = {tier.id for tier in list_tiers(session)}
    if not set(settings.tier_ids) <= known_tiers:
        raise not_found(N_("Customer tier"))
    if not 1 <= settings.verify_every_days <= 3650:
        raise Problem("invalid-interval", "Verify an article every 1 to 3650 days.", 422)


def _check_draft(draft: ArticleDraft) -> None:
    if draft.language not in LANGUAGES:
        raise Problem(
            "invalid-language",
            "Articles are written in {languages}.",
            422,
            languages=", ".join(LANGUAGES),
        )
    if not draft.title.strip() or len(draft.title) > MAX_TITLE:
        raise Problem("invalid-title", "A title is 1 to {max} characters.", 422, max=MAX_TITLE)
    if len(draft.body) > MAX_BODY:
        raise Problem(
            "body-too-long", "The text is longer than {max} characters.", 422, max=MAX_BODY
        )


def _apply_settings(article: Article, settings: ArticleSettings) -> None:
    article.section_id, article.slug = settings.section_id, settings.slug
    article.visibility, article.team_id = settings.visibility, settings.team_id
    wanted = set(settings.tier_ids)
    article.tiers = [tier for tier in article.tiers if tier.tier_id in wanted] + [
        ArticleTier(tier_id=tier_id)
        for tier_id in sorted(wanted - {tier.tier_id for tier in article.tiers})
    ]
    article.owner_id = settings.owner_id
    article.verify_every_days = settings.verify_every_days


def create_article(
    session: Session,
    viewer: Viewer,
    settings: ArticleSettings,
    drafts: list[ArticleDraft],
    source_entry_ids: tuple[int, ...] = (),
) -> Article:
    """A new draft article with a first version of each language given, linked to the
    knowledge entries it was written from (each one the writer may see)."""
    _require(viewer, Capability.WRITE_KNOWLEDGE)
    _check_settings(session, settings, None)
    if not drafts:
        raise Problem("no-text", "Write the article in at least one language.", 422)
    for draft in drafts:
        _check_draft(draft)
    article = Article(created_by_id=viewer.user_id)
    _apply_settings(article, settings)
    article.owner_id = settings.owner_id or viewer.user_id
    session.add(article)
    session.flush()
    for draft in drafts:
        _add_version(session, viewer, article, draft)
    for entry_id in sorted(set(source_entry_ids)):
        visible_entry(session, viewer, entry_id)
        session.add(ArticleSource(article_id=article.id, entry_id=entry_id))
    audit.record(session, viewer, "article.created", "article", article.id, slug=article.slug)
    session.commit()
    return article


def update_article(
    session: Session,
    viewer: Viewer,
    article_id: int,
    settings: ArticleSettings | None = None,
    drafts: list[ArticleDraft] | tuple[ArticleDraft, ...] = (),
) -> Article:
    """Save settings and/or new versions. A published article goes back to draft for review of
    the new text; its published text stays what readers see."""
    _require(viewer, Capability.WRITE_KNOWLEDGE)
    article = get_article(session, article_id)
    if article.status == ArticleStatus.ARCHIVED:
        raise Problem("article-archived", "Restore the article from the archive first.", 409)
    if settings is not None:
        _check_settings(session, settings, article.id)
        _apply_settings(article, settings)
    changed = False
    for draft in drafts:
        _check_draft(draft)
        changed = _add_version(session, viewer, article, draft) or changed
    if changed:
        _back_to_draft(article)
    article.updated_at = utcnow()
    audit.record(session, viewer, "article.saved", "article", article.id)
    session.commit()
    return article


def _text(article: Article, language: str) -> ArticleText:
    for text in article.texts:
        if text.language == language:
            return text
    text = ArticleText(article_id=article.id, language=language)
    article.texts.append(text)
    return text


def _add_version(
    session: Session,
    viewer: Viewer,
    article: Article,
    draft: ArticleDraft,
    restored_from: int | None = None,
) -> bool:
    """Add a version unless it repeats the newest one; True when one was added."""
    text = _text(article, draft.language)
    title, body = normalize_text(draft.title), draft.body.replace("\r\n", "\n").strip()
    newest = session.get(ArticleVersion, text.draft_version_id) if text.draft_version_id else None
    if newest and (newest.title, newest.body, newest.keywords) == (title, body, draft.keywords):
        return False
    number = (
        session.scalar(
            select(func.max(ArticleVersion.number)).where(
                ArticleVersion.article_id == article.id,
                ArticleVersion.language == draft.language,
            )
        )
        or 0
    ) + 1
    version = ArticleVersion(
        article_id=article.id,
        language=draft.language,
        number=number,
        title=title,
        body=body,
        keywords=draft.keywords.strip(),
        note=draft.note.strip()[:500],
        author_id=viewer.user_id,
        restored_from=restored_from,
    )
    session.add(version)
    session.flush()
    text.draft_version_id = version.id
    return True


def _back_to_draft(article: Article) -> None:
    """New text waits for its own review; readers keep the published version meanwhile."""
    if article.status in (ArticleStatus.PUBLISHED, ArticleStatus.IN_REVIEW):
        article.status = ArticleStatus.DRAFT.value


def submit_for_review(session: Session, viewer: Viewer, article_id: int) -> Article:
    _require(viewer, Capability.WRITE_KNOWLEDGE)
    article = get_article(session, article_id)
    if article.status != ArticleStatus.DRAFT:
        raise Problem("not-a-draft", "Only a draft can be sent for review.", 409)
    article.status = ArticleStatus.IN_REVIEW.value
    audit.record(session, viewer, "article.submitted", "article", article.id)
    session.commit()
    return article


def can_review(session: Session, viewer: Viewer, article: Article) -> bool:
    """Knowledge managers review everything; a category's reviewer team reviews its articles."""
    if viewer.can(Capability.MANAGE_KNOWLEDGE):
        return True
    category = _category(session, article)
    return category.reviewer_team_id is not None and category.reviewer_team_id in viewer.team_ids


def requires_review(session: Session, article: Article) -> bool:
    return _category(session, article).requires_review


def _category(session: Session, article: Article) -> HelpCategory:
    section = session.get(HelpSection, article.section_id)
    assert section is not None  # a foreign key
    category = session.get(HelpCategory, section.category_id)
    assert category is not None
    return category


def _newest_authors(session: Session, article: Article) -> set[int | None]:
    ids = [text.draft_version_id for text in article.texts if text.draft_version_id]
    versions = session.scalars(select(ArticleVersion).where(ArticleVersion.id.in_(ids))).all()
    return {version.author_id for version in versions}


def review_article(
    session: Session, viewer: Viewer, article_id: int, action: str, comment: str = ""
) -> Article:
    """Comment, request changes (back to draft) or approve (publishes what was reviewed)."""
    article = get_article(session, article_id)
    if not can_review(session, viewer, article):
        raise forbidden()
    if action not in {a.value for a in ReviewAction}:
        raise Problem("invalid-review", "Unknown review action “{action}”.", 422, action=action)
    if action != ReviewAction.COMMENT and article.status != ArticleStatus.IN_REVIEW:
        raise Problem("not-in-review", "The article is not waiting for review.", 409)
    if action == ReviewAction.REQUEST_CHANGES and not comment.strip():
        raise Problem("comment-needed", "Say what should change.", 422)
    if action == ReviewAction.APPROVE and viewer.user_id in _newest_authors(session, article):
        raise Problem(
            "own-approval", "Someone other than the author of the changes must approve them.", 409
        )
    session.add(
        ArticleReview(
            article_id=article.id,
            reviewer_id=viewer.user_id,
            action=action,
            comment=comment.strip(),
        )
    )
    audit.record(session, viewer, f"article.review.{action}", "article", article.id)
    if action == ReviewAction.REQUEST_CHANGES:
        article.status = ArticleStatus.DRAFT.value
    elif action == ReviewAction.APPROVE:
        _publish(article)
    session.commit()
    return article


def publish_article(session: Session, viewer: Viewer, article_id: int) -> Article:
    """Publish directly, where the category does not require review."""
    _require(viewer, Capability.WRITE_KNOWLEDGE)
    article = get_article(session, article_id)
    if _category(session, article).requires_review:
        raise Problem(
            "review-required",
            "Articles in this category are published by a reviewer's approval.",
            409,
        )
    if article.status == ArticleStatus.ARCHIVED:
        raise Problem("article-archived", "Restore the article from the archive first.", 409)
    _publish(article)
    audit.record(session, viewer, "article.published", "article", article.id)
    session.commit()
    return article


def _publish(article: Article) -> None:
    """Make each language's newest version the one readers see; the article counts as verified."""
    session = Session.object_session(article)
    assert session is not None
    session.execute(delete(ArticlePassage).where(ArticlePassage.article_id == article.id))
    for text in article.texts:
        version = session.get(ArticleVersion, text.draft_version_id)
        if version is None:
            continue
        text.published_version_id = version.id
        text.title, text.body, text.keywords = version.title, version.body, version.keywords
        text.search_title = segmented(f"{version.title} {version.keywords}")
        text.search_text = segmented(version.body)
        for passage in split_passages(version.title, version.body, version.keywords):
            session.add(
                ArticlePassage(
                    article_id=article.id,
                    language=text.language,
                    position=passage.position,
                    heading=passage.heading[:300],
                    text=passage.text,
                    search_text=segmented(f"{passage.heading} {passage.text}"),
                )
            )
    now = utcnow()
    article.status = ArticleStatus.PUBLISHED.value
    article.published_at = article.published_at or now
    mark_verified(article, now)
    article.updated_at = now


def mark_verified(article: Article, now: datetime) -> None:
    article.verified_at = now
    article.verification_due_at = now + timedelta(days=article.verify_every_days)
    article.needs_verification = False
    article.owner_reminded_at = article.lead_reminded_at = None


def archive_article(session: Session, viewer: Viewer, article_id: int) -> Article:
    """Take an article away from readers (kept, with its history, and restorable)."""
    article = get_article(session, article_id)
    if not (viewer.can(Capability.MANAGE_KNOWLEDGE) or article.owner_id == viewer.user_id):
        raise forbidden()
    article.status = ArticleStatus.ARCHIVED.value
    article.archived_at = article.updated_at = utcnow()
    audit.record(session, viewer, "article.archived", "article", article.id)
    session.commit()
    return article


def unarchive_article(session: Session, viewer: Viewer, article_id: int) -> Article:
    """Back from the archive as a draft: it is read again only after publishing."""
    _require(viewer, Capability.MANAGE_KNOWLEDGE)
    article = get_article(session, article_id)
    if article.status != ArticleStatus.ARCHIVED:
        raise Problem("not-archived", "The article is not archived.", 409)
    article.status = ArticleStatus.DRAFT.value
    article.archived_at = None
    for text in article.texts:
        text.published_version_id = None
    article.updated_at = utcnow()
    audit.record(session, viewer, "article.unarchived", "article", article.id)
    session.commit()
    return article


def restore_version(session: Session, viewer: Viewer, article_id: int, version_id: int) -> Article:
    """Bring back an earlier version as the newest draft of its language (history is kept)."""
    _require(viewer, Capability.WRITE_KNOWLEDGE)
    article = get_article(session, article_id)
    version = session.get(ArticleVersion, version_id)
    if version is None or version.article_id != article.id:
        raise not_found(N_("Version"))
    draft = ArticleDraft(version.language, version.title, version.body, version.keywords)
    if _add_version(session, viewer, article, draft, restored_from=version.number):
        _back_to_draft(article)
        article.updated_at = utcnow()
        audit.record(
            session, viewer, "article.restored", "article", article.id, version=version.number
        )
    session.commit()
    return article


def article_sources(session: Session, viewer: Viewer, article_id: int) -> list[KnowledgeEntry]:
    """The knowledge entries an article was written from, those the viewer may see."""
    entry_ids = session.scalars(
        select(ArticleSource.entry_id).where(ArticleSource.article_id == article_id)
    ).all()
    found = []
    for entry_id in entry_ids:
        try:
            found.append(visible_entry(session, viewer, entry_id))
        except Problem:
            continue
    return found


def set_related(session: Session, viewer: Viewer, article_id: int, slugs: list[str]) -> None:
    """The articles shown as related to this one (both ways), by their addresses."""
    _require(viewer, Capability.WRITE_KNOWLEDGE)
    article = get_article(session, article_id)
    wanted = {slug.strip().lower() for slug in slugs if slug.strip()} - {article.slug}
    found = dict(
        session.execute(select(Article.slug, Article.id).where(Article.slug.in_(wanted))).all()
    )
    if missing := sorted(wanted - set(found)):
        raise Problem(
            "unknown-article", "No article has the address “{slug}”.", 422, slug=missing[0]
        )
    session.execute(
        delete(RelatedArticle).where(
            (RelatedArticle.article_id == article.id) | (RelatedArticle.related_id == article.id)
        )
    )
    for other in sorted(found.values()):
        session.add(RelatedArticle(article_id=article.id, related_id=other))
    audit.record(session, viewer, "article.related", "article", article.id)
    session.commit()


def related_ids(session: Session, article_id: int) -> list[int]:
    forward = select(RelatedArticle.related_id).where(RelatedArticle.article_id == article_id)
    backward = select(RelatedArticle.article_id).where(RelatedArticle.related_id == article_id)
    return sorted(set(session.scalars(forward)) | set(session.scalars(backward)))
