"""JSON API of the help center: published articles, as the caller may read them."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel

from ckhub.helpcenter import queries
from ckhub.helpcenter.index import article_index_for_settings
from ckhub.helpcenter.models import Article
from ckhub.web.deps import DB, CurrentViewer, get_runtime

router = APIRouter(prefix="/api/v1/articles", tags=["help center"])


class ArticleTextOut(BaseModel):
    language: str
    title: str
    body: str  # Markdown


class ArticleOut(BaseModel):
    slug: str
    url: str
    visibility: str
    published_at: datetime | None
    updated_at: datetime
    texts: list[ArticleTextOut]

    @classmethod
    def of(cls, article: Article) -> ArticleOut:
        return cls(
            slug=article.slug,
            url=f"/help/articles/{article.slug}",
            visibility=article.visibility,
            published_at=article.published_at,
            updated_at=article.updated_at,
            texts=[
                ArticleTextOut(language=t.language, title=t.title, body=t.body)
                for t in article.texts
                if t.published_version_id is not None
            ],
        )


@router.get("", response_model=list[ArticleOut])
def list_articles(
    request: Request, db: DB, viewer: CurrentViewer, q: str = "", limit: int = 50
) -> list[ArticleOut]:
    """Published articles the caller may read: newest first, or best first for a query `q`."""
    limit = min(max(limit, 1), 500)
    if not q.strip():
        return [ArticleOut.of(a) for a in queries.readable_articles(db, viewer, limit=limit)]
    settings = get_runtime(request).settings
    hits = article_index_for_settings(settings).search(db, viewer, q.strip()[:500], limit=limit)
    found = queries.readable_by_ids(db, viewer, [hit.article_id for hit in hits])
    return [ArticleOut.of(found[hit.article_id]) for hit in hits if hit.article_id in found]


@router.get("/{slug}", response_model=ArticleOut)
def get_article(slug: str, db: DB, viewer: CurrentViewer) -> ArticleOut:
    return ArticleOut.of(queries.readable_article(db, viewer, slug))
