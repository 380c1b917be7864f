"""Keeping articles true: verification due dates, reminders, escalation, outdated flags, and the
content-health list.

Each published article is verified by its owner every `verify_every_days`. The daily task marks
overdue articles "needs verification" and reminds the owner (in ckhub and by e-mail); if the
article is still overdue `ESCALATE_AFTER` later, the leads of the owner's teams hear of it. Anyone
on staff can flag an article as outdated with a reason; the owner is told at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer, visibility_clause
from ckhub.auth.service import leads_of
from ckhub.errors import Problem, forbidden, not_found
from ckhub.helpcenter.models import Article, ArticleFlag, ArticleStatus
from ckhub.helpcenter.service import get_article, mark_verified
from ckhub.i18n_marker import N_
from ckhub.notify.inbox import notify_user
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from ckhub.workdays import day_of, zone_of

ESCALATE_AFTER = timedelta(days=7)
UNHELPFUL_MIN_VOTES = 3
UNVIEWED_GRACE = timedelta(days=30)


def title_of(article: Article) -> str:
    """The published title (either language), else the slug."""
    titles = [text.title for text in article.texts if text.title]
    return titles[0] if titles else article.slug


def _live_articles(session: Session) -> list[Article]:
    return list(
        session.scalars(
            select(Article).where(
                Article.status != ArticleStatus.ARCHIVED.value,
                Article.published_at.is_not(None),
                Article.verification_due_at.is_not(None),
            )
        )
    )


def check_freshness(
    session: Session, settings: Settings, now: datetime | None = None
) -> dict[str, int]:
    """The daily task: mark overdue articles, remind owners, escalate to team leads."""
    now, zone = now or utcnow(), zone_of(session)  # messages name the workspace's days
    counts = {"marked": 0, "owners_reminded": 0, "leads_reminded": 0}
    for article in _live_articles(session):
        due = article.verification_due_at
        if due is None or due > now:
            continue
        link = f"/help/manage/{article.id}"
        if not article.needs_verification:
            article.needs_verification = True
            counts["marked"] += 1
        if article.owner_id and article.owner_reminded_at is None:
            notify_user(
                session,
                settings,
                article.owner_id,
                category="helpcenter.verification",
                subject=N_("Please verify “{title}”"),
                body=N_(
                    "The article “{title}” was due for verification on {due}. Check that it is "
                    "still right, then mark it verified (or update it)."
                ),
                link=link,
                dedup_key=f"verify-{article.id}-{due.date().isoformat()}",
                title=title_of(article),
                due=day_of(due, zone).isoformat(),
            )
            article.owner_reminded_at = now
            counts["owners_reminded"] += 1
        reminded = article.owner_reminded_at
        if (
            article.owner_id
            and reminded is not None
            and article.lead_reminded_at is None
            and now - reminded >= ESCALATE_AFTER
        ):
            for lead_id in leads_of(session, article.owner_id):
                notify_user(
                    session,
                    settings,
                    lead_id,
                    category="helpcenter.verification",
                    subject=N_("Still not verified: “{title}”"),
                    body=N_(
                        "The article “{title}” has been overdue for verification since {due}, "
                        "and its owner was reminded on {reminded}."
                    ),
                    link=link,
                    dedup_key=f"verify-lead-{article.id}-{due.date().isoformat()}",
                    title=title_of(article),
                    due=day_of(due, zone).isoformat(),
                    reminded=day_of(reminded, zone).isoformat(),
                )
                counts["leads_reminded"] += 1
            article.lead_reminded_at = now
    session.commit()
    return counts


def verify_article(session: Session, viewer: Viewer, article_id: int) -> Article:
    """The owner (or a knowledge manager) confirms the article is still right."""
    article = get_article(session, article_id)
    if not (viewer.can(Capability.MANAGE_KNOWLEDGE) or article.owner_id == viewer.user_id):
        raise forbidden()
    if article.published_at is None:
        raise Problem("not-published", "Only a published article can be verified.", 409)
    mark_verified(article, utcnow())
    audit.record(session, viewer, "article.verified", "article", article.id)
    session.commit()
    return article


def flag_outdated(
    session: Session, settings: Settings, viewer: Viewer, article_id: int, reason: str
) -> ArticleFlag:
    """Someone on staff says the article is outdated; its owner is told at once."""
    if not viewer.is_staff:
        raise forbidden()
    article = get_article(session, article_id)
    if not reason.strip():
        raise Problem("reason-needed", "Say what is outdated.", 422)
    flag = ArticleFlag(
        article_id=article.id, reason=reason.strip()[:2000], flagged_by_id=viewer.user_id
    )
    session.add(flag)
    session.flush()
    if article.owner_id and article.owner_id != viewer.user_id:
        notify_user(
            session,
            settings,
            article.owner_id,
            category="helpcenter.flag",
            subject=N_("“{title}” was flagged as outdated"),
            body=N_("{who} says: {reason}"),
            link=f"/help/manage/{article.id}",
            title=title_of(article),
            who=viewer.username,
            reason=flag.reason,
        )
    audit.record(session, viewer, "article.flagged", "article", article.id)
    session.commit()
    return flag


def resolve_flag(session: Session, viewer: Viewer, flag_id: int) -> ArticleFlag:
    flag = session.get(ArticleFlag, flag_id)
    if flag is None:
        raise not_found(N_("Flag"))
    article = get_article(session, flag.article_id)
    if not (viewer.can(Capability.MANAGE_KNOWLEDGE) or article.owner_id == viewer.user_id):
        raise forbidden()
    flag.resolved_at, flag.resolved_by_id = utcnow(), viewer.user_id
    audit.record(session, viewer, "article.flag_resolved", "article", article.id)
    session.commit()
    return flag


def open_flags(session: Session, article_id: int) -> list[ArticleFlag]:
    return list(
        session.scalars(
            select(ArticleFlag)
            .where(ArticleFlag.article_id == article_id, ArticleFlag.resolved_at.is_(None))
            .order_by(ArticleFlag.created_at)
        )
    )


@dataclass
class ContentHealth:
    overdue: list[Article] = field(default_factory=list)
    flagged: list[tuple[Article, int]] = field(default_factory=list)
    unhelpful: list[Article] = field(default_factory=list)
    never_viewed: list[Article] = field(default_factory=list)


def content_health(session: Session, viewer: Viewer, now: datetime | None = None) -> ContentHealth:
    """Live articles that need attention, among those the viewer may see."""
    now = now or utcnow()
    articles = session.scalars(
        select(Article).where(
            Article.status != ArticleStatus.ARCHIVED.value,
            Article.published_at.is_not(None),
            visibility_clause(viewer, Article.visibility, Article.team_id),
        )
    ).all()
    flags: dict[int, int] = {}
    for article_id in session.scalars(
        select(ArticleFlag.article_id).where(ArticleFlag.resolved_at.is_(None))
    ):
        flags[article_id] = flags.get(article_id, 0) + 1
    health = ContentHealth()
    for article in articles:
        if article.needs_verification:
            health.overdue.append(article)
        if article.id in flags:
            health.flagged.append((article, flags[article.id]))
        votes = article.helpful_yes + article.helpful_no
        if votes >= UNHELPFUL_MIN_VOTES and article.helpful_no > article.helpful_yes:
            health.unhelpful.append(article)
        published = article.published_at
        if article.views == 0 and published is not None and now - published >= UNVIEWED_GRACE:
            health.never_viewed.append(article)
    return health
