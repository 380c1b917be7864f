"""Questions the bot learns from: customers' own words, confirmed to be answered by an article.

A customer who answers "Yes" to "Did this answer your question?" confirms that the cited article
answers their question; an agent who takes a handed-over chat can say which article answers it
(this teaches what the bot missed). Either way the question is kept with the article, and the
article index compares new questions with the title *and* these (helpcenter/index.py): the
article's question vector becomes the mean of its title and its learned questions, so the way
customers really ask pulls the match towards the right article. Measured on CovidFAQ with half
of the real queries as confirmed history: docs/benchmarks.md.

Only the newest MAX_PER_ARTICLE questions per article count, so old wording fades out, and of
those at most MAX_PER_TEACHER from any one teacher — a signed-in person, or an anonymous visitor
known by a keyed hash of their address — so one client answering "Yes" over and over (within the
anonymous question limit that is 60 questions per 10 minutes) cannot replace an article's
learned wording with its own.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ckhub.helpcenter.models import Article, LearnedQuestion
from ckhub.settings import Settings

MAX_PER_ARTICLE = 200
MAX_PER_TEACHER = 5  # per article
MIN_LENGTH = 4  # "ok?", "hi": nothing to learn from


def learn_question(
    session: Session,
    article_id: int,
    text: str,
    source: str,
    message_id: int | None = None,
    teacher: str | None = None,
) -> LearnedQuestion | None:
    """Keep `text` as a question `article_id` answers (in the caller's transaction)."""
    text = " ".join(text.split())[:1000]
    if len(text) < MIN_LENGTH or session.get(Article, article_id) is None:
        return None
    known = session.scalar(
        select(LearnedQuestion).where(
            LearnedQuestion.article_id == article_id, LearnedQuestion.text == text
        )
    )
    if known is not None:
        return known
    learned = LearnedQuestion(
        article_id=article_id, text=text, source=source, message_id=message_id, teacher=teacher
    )
    session.add(learned)
    return learned


def forget_message(session: Session, message_id: int) -> None:
    """The customer took back their "Yes": forget what it taught."""
    session.execute(delete(LearnedQuestion).where(LearnedQuestion.message_id == message_id))


def newest_learned(session: Session) -> list[LearnedQuestion]:
    """The questions that count: per article the newest MAX_PER_ARTICLE, of them at most
    MAX_PER_TEACHER per teacher (a teacher's older questions beyond that take no place)."""
    rows = session.scalars(
        select(LearnedQuestion).order_by(LearnedQuestion.article_id, LearnedQuestion.id.desc())
    )
    kept: list[LearnedQuestion] = []
    per_article: Counter[int] = Counter()
    per_teacher: Counter[tuple[int, str]] = Counter()
    for row in rows:
        if per_article[row.article_id] >= MAX_PER_ARTICLE:
            continue
        if row.teacher:
            per_teacher[(row.article_id, row.teacher)] += 1
            if per_teacher[(row.article_id, row.teacher)] > MAX_PER_TEACHER:
                continue
        kept.append(row)
        per_article[row.article_id] += 1
    return kept


def anonymous_teacher(settings: Settings, address: str) -> str:
    """An anonymous visitor as a teacher: a keyed hash of their address (the address itself is
    personal data and is not stored)."""
    key = settings.ensure_secret_key().encode("utf-8")
    digest = hmac.new(key, f"teacher|{address}".encode(), hashlib.sha256).hexdigest()
    return f"address:{digest[:24]}"


def taught_articles(session: Session, message_ids: list[int]) -> list[tuple[str, str]]:
    """(slug, source) of the articles these messages taught, for showing on the handoff."""
    if not message_ids:
        return []
    rows = session.execute(
        select(Article.slug, LearnedQuestion.source)
        .join(Article, Article.id == LearnedQuestion.article_id)
        .where(LearnedQuestion.message_id.in_(message_ids))
        .distinct()
    ).all()
    return [(str(slug), str(source)) for slug, source in rows]
