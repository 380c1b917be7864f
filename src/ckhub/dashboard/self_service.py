"""Self-service metrics: how much the help center and the bot answer without a person.

Definitions (docs/helpcenter.md, "Metrics"):
- a conversation *asked* when the customer wrote at least one message;
- *resolved by the bot*: the customer said an answer helped and never asked for a person;
- *handed over*: the customer asked for a person;
- *deflection rate*: asked conversations that did not need a person, over asked conversations;
- *self-service score*: help-center article views per conversation handed over (the industry's
  "views per ticket");
- *article helpfulness*: "yes" over all votes on "Was this article helpful?";
- a *failed search*: help-center search or bot question that found nothing or only weak matches
  (the same test as the knowledge-gaps page).

Figures come from the real tables, counted per day in SQL (both databases) and folded into weeks
in Python for long periods. Days are the workspace's days (ckhub.workdays).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from ckhub.assistant.models import Conversation, ConversationMessage, Sender
from ckhub.helpcenter.models import Article, ArticleFeedback, ArticleText, ArticleViewDay
from ckhub.periods import as_day, partial_periods, period_of, period_starts
from ckhub.search.models import SearchQuery
from ckhub.search.queries import QueryCount, failed_search, top_queries
from ckhub.workdays import day_start, local_day, today_of, zone_of

PERIODS = (7, 30, 90, 365)
DayCounts = list[tuple[Any, Any]]  # (day as date or ISO text, count) rows
SELF_SERVICE_SURFACES = ("helpcenter", "assistant")
WEEKLY_FROM_DAYS = 60  # longer periods are charted per week


@dataclass
class Series:
    """One chart: a label per bucket and named lines of values."""

    labels: list[str]
    lines: dict[str, list[float]]
    partial: list[int]  # positions of buckets only partly counted (periods.partial_periods)


@dataclass
class ArticleHelpfulness:
    slug: str
    title: str
    views: int
    helpful: int
    unhelpful: int

    @property
    def votes(self) -> int:
        return self.helpful + self.unhelpful

    @property
    def share(self) -> float | None:
        return self.helpful / self.votes if self.votes else None


@dataclass
class SelfServiceMetrics:
    days: int
    since: date  # the first day counted, in the workspace's time zone
    zone: str
    asked: int
    resolved_by_bot: int
    handed_over: int
    answers: int
    abstained: int
    article_views: int
    helpful_votes: int
    unhelpful_votes: int
    searches: int
    failed_searches: int
    conversations: Series
    searches_over_time: Series
    reading: Series
    top_searches: list[QueryCount] = field(default_factory=list)
    top_failed: list[QueryCount] = field(default_factory=list)
    articles: list[ArticleHelpfulness] = field(default_factory=list)

    @property
    def deflection_rate(self) -> float | None:
        return (self.asked - self.handed_over) / self.asked if self.asked else None

    @property
    def bot_resolution_rate(self) -> float | None:
        return self.resolved_by_bot / self.asked if self.asked else None

    @property
    def handoff_rate(self) -> float | None:
        return self.handed_over / self.asked if self.asked else None

    @property
    def self_service_score(self) -> float | None:
        return self.article_views / self.handed_over if self.handed_over else None

    @property
    def helpfulness(self) -> float | None:
        votes = self.helpful_votes + self.unhelpful_votes
        return self.helpful_votes / votes if votes else None

    @property
    def failed_search_rate(self) -> float | None:
        return self.failed_searches / self.searches if self.searches else None


def _series(
    buckets: list[date], weekly: bool, lines: dict[str, DayCounts], since: date, today: date
) -> Series:
    """Per-day (day, count) rows of each line (counted from `since`), summed into the chart's
    buckets."""
    values: dict[str, list[float]] = {}
    index = {bucket: position for position, bucket in enumerate(buckets)}
    for name, rows in lines.items():
        counts = [0.0] * len(buckets)
        for day, count in rows:
            position = index.get(period_of(as_day(day), weekly))
            if position is not None:
                counts[position] += float(count or 0)
        values[name] = counts
    return Series(
        [bucket.isoformat() for bucket in buckets],
        values,
        partial_periods(buckets, weekly, today, today, first_day=since),
    )


def _per_day(
    session: Session,
    moment: InstrumentedAttribute[datetime],
    since: datetime,
    *where: ColumnElement[bool],
) -> DayCounts:
    day = local_day(moment, zone_of(session))
    rows = session.execute(
        select(day, func.count()).where(moment >= since, *where).group_by(day)
    ).all()
    return [(found, count) for found, count in rows]


def _asked() -> ColumnElement[bool]:
    return exists().where(
        ConversationMessage.conversation_id == Conversation.id,
        ConversationMessage.sender == Sender.CUSTOMER.value,
    )


def _article_helpfulness(
    session: Session, since: datetime, since_day: date, limit: int = 20
) -> list[ArticleHelpfulness]:
    """Articles with votes or views in the period, most voted first."""
    votes = (
        select(
            ArticleFeedback.article_id.label("article_id"),
            func.sum(case((ArticleFeedback.helpful.is_(True), 1), else_=0)).label("yes"),
            func.sum(case((ArticleFeedback.helpful.is_(False), 1), else_=0)).label("no"),
        )
        .where(ArticleFeedback.created_at >= since)
        .group_by(ArticleFeedback.article_id)
        .subquery()
    )
    views = (
        select(
            ArticleViewDay.article_id.label("article_id"),
            func.sum(ArticleViewDay.views).label("views"),
        )
        .where(ArticleViewDay.day >= since_day)
        .group_by(ArticleViewDay.article_id)
        .subquery()
    )
    title = (
        select(func.min(ArticleText.title))
        .where(ArticleText.article_id == Article.id)
        .correlate(Article)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Article.slug,
            title,
            func.coalesce(views.c.views, 0),
            func.coalesce(votes.c.yes, 0),
            func.coalesce(votes.c.no, 0),
        )
        .outerjoin(votes, votes.c.article_id == Article.id)
        .outerjoin(views, views.c.article_id == Article.id)
        .where((votes.c.article_id.is_not(None)) | (views.c.article_id.is_not(None)))
        .order_by(
            (func.coalesce(votes.c.yes, 0) + func.coalesce(votes.c.no, 0)).desc(),
            func.coalesce(views.c.views, 0).desc(),
        )
        .limit(limit)
    ).all()
    return [
        ArticleHelpfulness(str(slug), str(name or slug), int(seen), int(yes), int(no))
        for slug, name, seen, yes, no in rows
    ]


def self_service_metrics(session: Session, days: int = 30) -> SelfServiceMetrics:
    days = days if days in PERIODS else 30
    today = today_of(session)  # the workspace's days (ckhub.workdays)
    since_day = today - timedelta(days=days - 1)
    since = day_start(since_day, zone_of(session))
    weekly = days >= WEEKLY_FROM_DAYS
    buckets = period_starts(since_day, today, weekly)

    asked = _per_day(session, Conversation.created_at, since, _asked())
    by_bot = _per_day(
        session, Conversation.created_at, since, _asked(), Conversation.resolved_by == "bot"
    )
    handed = _per_day(
        session, Conversation.created_at, since, Conversation.handed_over_at.is_not(None)
    )
    # A bot message that answered or declined a question (not the greeting).
    bot_answer = (
        ConversationMessage.sender == Sender.BOT.value,
        ConversationMessage.confidence.is_not(None) | ConversationMessage.abstained.is_(True),
    )
    answers = _per_day(session, ConversationMessage.created_at, since, *bot_answer)
    abstained = _per_day(
        session,
        ConversationMessage.created_at,
        since,
        *bot_answer,
        ConversationMessage.abstained.is_(True),
    )
    self_service = SearchQuery.surface.in_(SELF_SERVICE_SURFACES)
    searches = _per_day(session, SearchQuery.at, since, self_service)
    failed = _per_day(session, SearchQuery.at, since, self_service, failed_search())
    views = session.execute(
        select(ArticleViewDay.day, func.sum(ArticleViewDay.views))
        .where(ArticleViewDay.day >= since_day)
        .group_by(ArticleViewDay.day)
    ).all()
    helpful = _per_day(
        session, ArticleFeedback.created_at, since, ArticleFeedback.helpful.is_(True)
    )
    unhelpful = _per_day(
        session, ArticleFeedback.created_at, since, ArticleFeedback.helpful.is_(False)
    )

    def total(rows: DayCounts) -> int:
        return int(sum(int(count or 0) for _day_found, count in rows))

    def series(lines: dict[str, DayCounts]) -> Series:
        return _series(buckets, weekly, lines, since_day, today)

    view_rows = [(day, count) for day, count in views]
    return SelfServiceMetrics(
        days=days,
        since=since_day,
        zone=zone_of(session),
        asked=total(asked),
        resolved_by_bot=total(by_bot),
        handed_over=total(handed),
        answers=total(answers),
        abstained=total(abstained),
        article_views=total(view_rows),
        helpful_votes=total(helpful),
        unhelpful_votes=total(unhelpful),
        searches=total(searches),
        failed_searches=total(failed),
        conversations=series({"asked": asked, "resolved_by_bot": by_bot, "handed_over": handed}),
        searches_over_time=series({"searches": searches, "failed": failed}),
        reading=series({"views": view_rows, "helpful": helpful, "unhelpful": unhelpful}),
        top_searches=top_queries(session, since, SELF_SERVICE_SURFACES),
        top_failed=top_queries(session, since, SELF_SERVICE_SURFACES, failed_only=True),
        articles=_article_helpfulness(session, since, since_day),
    )
