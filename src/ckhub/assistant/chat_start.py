"""The help-center chat before its first question.

Opening the chat shows the bot's greeting and stores nothing: the conversation starts with the
first question, or with a request for a person. Page views, visitors who leave and crawlers
following "Still need help?" so leave no conversation behind (before, each opening stored one,
later deleted by `assistant.purge_unused`). How the visitor came — what they searched and read
in the help center, and the page's language — travels in the start page's forms as an
`Opening`, and becomes the conversation's first note when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ckhub.assistant import service
from ckhub.assistant.models import Conversation
from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.helpcenter.queries import published_text, readable_article
from ckhub.web.i18n import translate
from ckhub.web.templating import is_htmx, render, request_locale


@dataclass(frozen=True)
class Opening:
    q: str = ""  # what the visitor searched for
    article: str = ""  # the slug of the article they read
    lang: str = ""  # the start page's language, "zh" or "en"


def opening_form(
    q: Annotated[str, Form()] = "",
    article: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
) -> Opening:
    return Opening(q, article, lang)


def language_of(request: Request, opening: Opening) -> str:
    if opening.lang in ("zh", "en"):
        return opening.lang
    return "zh" if request_locale(request) == "zh_Hans" else "en"


def article_read(
    session: Session, viewer: Viewer, slug: str, language: str
) -> tuple[str, str] | None:
    """The help-center article the visitor came from, if they may read it: (its link, title)."""
    if not slug:
        return None
    try:
        found = readable_article(session, viewer, slug)
    except Problem:
        return None
    text = published_text(found, language)
    return f"/help/articles/{found.slug}", text.title if text else found.slug


def start_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    opening: Opening,
    error: Problem | None = None,
) -> Response:
    language = language_of(request, opening)
    read = article_read(session, viewer, opening.article, language)
    return render(
        request,
        "assistant/_chat_start.html" if is_htmx(request) else "assistant/chat.html",
        status_code=error.status if error else 200,
        conversation=None,
        greeting=translate(language, service.GREETING),
        where_from=service.where_from_text(language, opening.q, read),
        # Carried on only if readable: the page names no article the visitor may not read.
        opening=Opening(opening.q, opening.article if read else "", language),
        error=error,
        chat_base="/help/chat",
    )


def start(request: Request, session: Session, viewer: Viewer, opening: Opening) -> Conversation:
    language = language_of(request, opening)
    conversation = service.start_conversation(session, viewer, language)
    read = article_read(session, viewer, opening.article, language)
    service.note_where_from(session, conversation, opening.q, read)
    return conversation
