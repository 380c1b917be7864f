"""What readers leave behind: views (per day, for trends) and "was this helpful?" answers."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.helpcenter.models import Article, ArticleFeedback, ArticleViewDay
from ckhub.workdays import today_of

MAX_COMMENT = 2000


def record_view(session: Session, article: Article) -> None:
    """Count one view of an article the reader may read (the caller checked that)."""
    today = today_of(session)  # the workspace's day, as the self-service charts count
    # Counters keep `updated_at` as it is: it means "the content changed" (search indexes and
    # the sitemap read it), and a view is not a change.
    session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(views=Article.views + 1, updated_at=Article.updated_at)
    )
    day = session.get(ArticleViewDay, (article.id, today))
    if day is None:
        session.add(ArticleViewDay(article_id=article.id, day=today, views=1))
    else:
        day.views += 1
    session.commit()


def record_feedback(
    session: Session, viewer: Viewer, article: Article, helpful: bool, comment: str = ""
) -> ArticleFeedback:
    """A reader's answer to "was this helpful?" (anonymous readers too)."""
    if len(comment) > MAX_COMMENT:
        raise Problem(
            "comment-too-long", "Keep the comment under {max} characters.", 422, max=MAX_COMMENT
        )
    feedback = ArticleFeedback(
        article_id=article.id, helpful=helpful, comment=comment.strip(), user_id=viewer.user_id
    )
    session.add(feedback)
    counter = Article.helpful_yes if helpful else Article.helpful_no
    session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values({counter.key: counter + 1, "updated_at": Article.updated_at})
    )
    session.commit()
    return feedback
