"""Help-center pages for readers: the home page, articles, feedback, the sitemap.

Public articles need no sign-in; every page shows only what the viewer may read
(helpcenter/queries.py), so an internal article answers "not found" to a customer.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote
from xml.sax.saxutils import escape

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Viewer
from ckhub.helpcenter import attachments, freshness, queries, reading, service
from ckhub.helpcenter.index import article_index_for_settings
from ckhub.helpcenter.manage_routes import router as manage_router
from ckhub.helpcenter.markdown import plain_text, render_markdown
from ckhub.search.service import MAX_QUERY, log_search
from ckhub.text.normalize import normalize_text
from ckhub.web.deps import DB, CurrentViewer, StaffViewer, get_runtime
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import is_htmx, render, request_locale

router = APIRouter(include_in_schema=False)
router.include_router(manage_router)


def _language(request: Request) -> str:
    return "zh" if request_locale(request) == "zh_Hans" else "en"


@router.get("/help")
def help_home(request: Request, db: DB, viewer: CurrentViewer) -> Response:
    language = _language(request)
    articles = queries.readable_articles(db, viewer)
    by_section: dict[int, list[tuple[str, str]]] = {}
    for article in articles:
        text = queries.published_text(article, language)
        if text is not None:
            by_section.setdefault(article.section_id, []).append((article.slug, text.title))
    return render(
        request,
        "helpcenter/home.html",
        tree=queries.category_tree(db),
        by_section=by_section,
        notice=notice_text(request.query_params.get("notice")),
    )


@router.get("/help/search")
def search_page(
    request: Request, db: DB, viewer: CurrentViewer, q: str = "", live: str = ""
) -> Response:
    """Results as you type (`live`, not logged: half-typed words are no knowledge gap) and on
    submit (logged, for search analytics and knowledge gaps)."""
    query = normalize_text(q)[:MAX_QUERY]
    hits = []
    if query:
        settings = get_runtime(request).settings
        index = article_index_for_settings(settings)
        found = index.search(db, viewer, query, limit=10)
        heads = queries.headlines(db, [hit.article_id for hit in found], _language(request))
        hits = [(hit, *heads[hit.article_id]) for hit in found if hit.article_id in heads]
        if not live:
            top = hits[0][0].similarity if hits else None
            log_search(db, viewer, "helpcenter", query, [h.article_id for h, *_ in hits], top)
    template = "helpcenter/_search_results.html" if is_htmx(request) else "helpcenter/search.html"
    return render(request, template, q=q, hits=hits)


@router.get("/help/articles/{slug}")
def article_page(request: Request, db: DB, viewer: CurrentViewer, slug: str) -> Response:
    article = queries.readable_article(db, viewer, slug)
    text = queries.published_text(article, _language(request))
    assert text is not None  # readable articles have published text
    reading.record_view(db, article)
    language = _language(request)
    related = queries.headlines(
        db, list(queries.readable_by_ids(db, viewer, service.related_ids(db, article.id))), language
    )
    return render(
        request,
        "helpcenter/article.html",
        article=article,
        text=text,
        body=render_markdown(text.body),
        description=plain_text(text.body),
        thanks=request.query_params.get("thanks") == "1",
        searched=request.query_params.get("q", "")[:200],
        related=sorted(related.values(), key=lambda pair: pair[1]),
        files=attachments.list_attachments(db, article.id),
        notice=notice_text(request.query_params.get("notice")),
    )


@router.get("/help/attachments/{attachment_id}/{filename}")
def attachment(db: DB, viewer: CurrentViewer, attachment_id: int, filename: str) -> Response:
    """An article's file, for whoever may read the article. The name in the address is only
    for people and browsers; the number decides."""
    found = attachments.readable_attachment(db, viewer, attachment_id)
    kind = attachments.kind_of(found.filename)
    disposition = "inline" if kind is not None and kind.inline else "attachment"
    return Response(
        found.content,
        media_type=found.content_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(found.filename)}",
            "Cache-Control": "private, max-age=3600",
        },
    )


@router.post("/help/articles/{slug}/feedback")
def feedback(
    request: Request,
    db: DB,
    viewer: CurrentViewer,
    slug: str,
    helpful: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    article = queries.readable_article(db, viewer, slug)
    reading.record_feedback(db, viewer, article, helpful == "yes", comment)
    return Response(status_code=303, headers={"Location": f"/help/articles/{slug}?thanks=1"})


@router.post("/help/articles/{slug}/flag")
def flag(
    request: Request,
    db: DB,
    viewer: StaffViewer,
    slug: str,
    reason: Annotated[str, Form()],
) -> Response:
    article = queries.readable_article(db, viewer, slug)
    freshness.flag_outdated(db, get_runtime(request).settings, viewer, article.id, reason)
    return redirect_with_notice(f"/help/articles/{slug}", "flagged")


@router.get("/sitemap.xml")
def sitemap(request: Request, db: DB) -> Response:
    """Public articles only: the sitemap is read as an anonymous visitor, whoever asks."""
    base = str(request.base_url).rstrip("/")
    rows = []
    for article in queries.readable_articles(db, Viewer.anonymous(), limit=50_000):
        modified = article.updated_at or article.published_at
        rows.append(
            f"<url><loc>{escape(base)}/help/articles/{escape(article.slug)}</loc>"
            f"<lastmod>{modified.date().isoformat() if modified else ''}</lastmod></url>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(rows)
        + "</urlset>\n"
    )
    return Response(xml, media_type="application/xml")
