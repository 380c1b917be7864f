"""What the customer does in a chat, shared by the help-center chat and the widget.

Each step returns the Problem to show in the chat, or None when it went through; the two
front ends differ only in how they find the conversation and who the visitor is.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from ckhub.assistant import service
from ckhub.assistant.llm import writer_for_settings
from ckhub.assistant.models import Conversation, ConversationMessage
from ckhub.assistant.throttle import QuestionThrottle, too_many_questions
from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.helpcenter.index import article_index_for_settings
from ckhub.helpcenter.learning import anonymous_teacher
from ckhub.ml.embedders import get_embedder
from ckhub.search.engine import engine_for_settings
from ckhub.web.deps import get_runtime
from ckhub.web.security import client_ip


def anonymous_throttle(request: Request) -> QuestionThrottle:
    state = request.app.state
    if not hasattr(state, "question_throttle"):
        state.question_throttle = QuestionThrottle()
    limiter: QuestionThrottle = state.question_throttle
    return limiter


def may_ask(request: Request, viewer: Viewer) -> Problem | None:
    """Refusal before anything is stored (the widget's first question opens a conversation)."""
    settings = get_runtime(request).settings
    address = client_ip(request, settings)
    if viewer.is_authenticated or anonymous_throttle(request).allows(
        address, settings.anonymous_questions_limit
    ):
        return None
    return too_many_questions()


def teacher_of(request: Request, viewer: Viewer) -> str:
    """Whose "Yes" teaches the bot (helpcenter/learning.py caps each teacher's share)."""
    if viewer.user_id is not None:
        return f"user:{viewer.user_id}"
    settings = get_runtime(request).settings
    return anonymous_teacher(settings, client_ip(request, settings))


def answer_now(
    request: Request, db: Session, viewer: Viewer, conversation: Conversation, question: str
) -> ConversationMessage:
    """Ask with this server's article index, search engine and (if configured) LLM; anonymous
    visitors within the per-address limit."""
    settings = get_runtime(request).settings
    if not viewer.is_authenticated:
        limiter = anonymous_throttle(request)
        limiter.check(client_ip(request, settings), settings.anonymous_questions_limit)
    return service.ask(
        db,
        viewer,
        conversation,
        question,
        article_index_for_settings(settings),
        engine_for_settings(settings),
        writer_for_settings(settings),
    )


def ask(
    request: Request, db: Session, viewer: Viewer, conversation: Conversation, question: str
) -> Problem | None:
    try:
        answer_now(request, db, viewer, conversation, question)
    except Problem as problem:
        return problem
    return None


def hand_over(
    request: Request, db: Session, conversation: Conversation, name: str, contact: str
) -> Problem | None:
    embedder = get_embedder(get_runtime(request).settings.embedder)
    try:
        service.hand_over(db, conversation, embedder, name=name, contact=contact)
    except Problem as problem:
        return problem
    return None
