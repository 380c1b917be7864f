"""The chat with the answer bot (help center) and the agents' handoff queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ckhub.assistant import chat_start, chat_steps, service
from ckhub.assistant.chat_start import Opening
from ckhub.assistant.models import Conversation, ConversationStatus
from ckhub.assistant.purge import CHAT_DAYS
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem
from ckhub.helpcenter.learning import taught_articles
from ckhub.knowledge.taxonomy import list_issue_types
from ckhub.web.deps import DB, CurrentViewer, get_runtime, require
from ckhub.web.security import set_cookie
from ckhub.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
Agent = Annotated[Viewer, Depends(require(Capability.HANDLE_CUSTOMERS))]
KnowledgeManager = Annotated[Viewer, Depends(require(Capability.MANAGE_KNOWLEDGE))]
CHAT_COOKIE = "ckhub_chat"


def _current(request: Request, db: DB) -> Conversation | None:
    key = request.cookies.get(CHAT_COOKIE, "")
    if not key:
        return None
    try:
        return service.conversation_by_key(db, key)
    except Problem:
        return None


def _chat(request: Request, conversation: Conversation, error: Problem | None = None) -> Response:
    template = "assistant/_chat.html" if is_htmx(request) else "assistant/chat.html"
    response = render(
        request,
        template,
        status_code=error.status if error else 200,
        conversation=conversation,
        error=error,
        chat_base="/help/chat",
        new_conversation_url="/help/chat",
        embedded=False,
    )
    _remember(request, response, conversation)
    return response


def _remember(request: Request, response: Response, conversation: Conversation) -> None:
    """This browser's conversation, kept in a cookie."""
    settings = get_runtime(request).settings
    set_cookie(response, settings, CHAT_COOKIE, conversation.public_key, CHAT_DAYS * 86400)


def _open(request: Request, db: DB) -> Conversation | None:
    """This browser's conversation, unless it has ended (then the next question starts anew)."""
    conversation = _current(request, db)
    if conversation is None or conversation.status == ConversationStatus.RESOLVED:
        return None
    return conversation


@router.get("/help/chat")
def chat_page(
    request: Request, db: DB, viewer: CurrentViewer, q: str = "", article: str = ""
) -> Response:
    """The chat; from "Still need help?" it notes what the reader searched and read."""
    conversation = _open(request, db)
    if conversation is None:
        return chat_start.start_page(request, db, viewer, Opening(q, article))
    read = chat_start.article_read(db, viewer, article, conversation.language)
    service.note_where_from(db, conversation, q, read)
    return _chat(request, conversation)


@router.get("/help/chat/resume/{key}")
def resume(request: Request, db: DB, key: str) -> Response:
    """The link in a reply e-mail: this browser continues that conversation."""
    conversation = service.conversation_by_key(db, key)
    response = RedirectResponse("/help/chat", status_code=303)
    _remember(request, response, conversation)
    return response


def _require_current(request: Request, db: DB) -> Conversation:
    conversation = _current(request, db)
    if conversation is None:
        raise Problem("no-conversation", "Open the chat again to start a conversation.", 404)
    return conversation


@router.post("/help/chat/ask")
def ask(
    request: Request,
    db: DB,
    viewer: CurrentViewer,
    opening: Annotated[Opening, Depends(chat_start.opening_form)],
    question: Annotated[str, Form()] = "",
) -> Response:
    conversation = _open(request, db)
    if conversation is None:  # the first question starts the conversation
        try:
            service.checked_question(question)
        except Problem as unaskable:
            return chat_start.start_page(request, db, viewer, opening, unaskable)
        refused = chat_steps.may_ask(request, viewer)
        if refused is not None:
            return chat_start.start_page(request, db, viewer, opening, refused)
        conversation = chat_start.start(request, db, viewer, opening)
    problem = chat_steps.ask(request, db, viewer, conversation, question)
    if problem is not None:
        return _chat(request, conversation, problem)
    return _after_post(request, conversation)


@router.post("/help/chat/rate")
def rate(
    request: Request,
    db: DB,
    viewer: CurrentViewer,
    message_id: Annotated[int, Form()],
    helpful: Annotated[str, Form()],
) -> Response:
    conversation = _require_current(request, db)
    teacher = chat_steps.teacher_of(request, viewer)
    service.rate_answer(db, conversation, message_id, helpful == "yes", teacher)
    return _after_post(request, conversation)


@router.post("/help/chat/person")
def talk_to_a_person(
    request: Request,
    db: DB,
    viewer: CurrentViewer,
    opening: Annotated[Opening, Depends(chat_start.opening_form)],
    name: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
) -> Response:
    conversation = _open(request, db)
    if conversation is None:  # handed over before any question: a conversation starts
        try:
            service.checked_contact(name, contact)
        except Problem as missing:
            return chat_start.start_page(request, db, viewer, opening, missing)
        conversation = chat_start.start(request, db, viewer, opening)
    problem = chat_steps.hand_over(request, db, conversation, name, contact)
    if problem is not None:
        return _chat(request, conversation, problem)
    return _after_post(request, conversation)


@router.get("/help/chat/messages")
def messages(request: Request, db: DB) -> Response:
    """The transcript alone, polled while a person is on the conversation."""
    return _chat(request, _require_current(request, db))


def _after_post(request: Request, conversation: Conversation) -> Response:
    if is_htmx(request):
        return _chat(request, conversation)
    response = RedirectResponse("/help/chat", status_code=303)
    _remember(request, response, conversation)  # it may have just started
    return response


# Agents ----------------------------------------------------------------------------------


@router.get("/assistant/handoffs")
def queue_page(request: Request, db: DB, viewer: Agent, status: str = "") -> Response:
    wanted = status if status in {s.value for s in ConversationStatus} else ""
    return render(
        request,
        "assistant/queue.html",
        conversations=service.handoff_queue(db, viewer, wanted),
        status=wanted,
        issue_types={t.id: t for t in list_issue_types(db)},
    )


@router.get("/assistant/handoffs/{conversation_id}")
def handoff_page(request: Request, db: DB, viewer: Agent, conversation_id: int) -> Response:
    conversation = service.staff_conversation(db, viewer, conversation_id)
    shown = {
        citation["url"]: citation
        for message in conversation.messages
        for citation in message.citations
    }
    return render(
        request,
        "assistant/handoff.html",
        conversation=conversation,
        shown=list(shown.values()),
        issue_types={t.id: t for t in list_issue_types(db)},
        taught=taught_articles(db, [m.id for m in conversation.messages]),
    )


@router.post("/assistant/handoffs/{conversation_id}/{step}")
def handoff_step(
    request: Request,
    db: DB,
    viewer: Agent,
    conversation_id: int,
    step: str,
    text: Annotated[str, Form()] = "",
) -> Response:
    """pick-up, reply, resolve, or answered-by (the article that answers it, by its address)."""
    if step == "pick-up":
        service.pick_up(db, viewer, conversation_id)
    elif step == "reply":
        service.reply_as_agent(db, viewer, conversation_id, text, get_runtime(request).settings)
    elif step == "resolve":
        service.resolve(db, viewer, conversation_id)
    elif step == "answered-by":
        service.mark_answered_by(db, viewer, conversation_id, text)
    else:
        raise Problem("unknown-step", "Unknown step “{step}”.", 404, step=step)
    return RedirectResponse(f"/assistant/handoffs/{conversation_id}", status_code=303)


@router.get("/assistant/widget")
def widget_setup(request: Request, _viewer: KnowledgeManager) -> Response:
    """The tag to put on a website, and which sites may show the chat."""
    settings = get_runtime(request).settings
    return render(
        request,
        "assistant/widget_setup.html",
        base_url=settings.base_url.rstrip("/"),
        origins=settings.widget_frame_ancestors,
    )
