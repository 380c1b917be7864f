"""The chat widget: the answer bot inside any website, added with one `<script>` tag.

`/help/widget.js` draws a button on the host page and opens `/help/widget` in a frame. Browsers
withhold cookies from frames on other sites, so the widget never uses them: the conversation's
secret key is in the frame's address, and the loader keeps it in the host page's storage to
resume after a reload (a frame's own storage is often refused on other sites). Without cookies
there is no ambient authority to forge, hence no CSRF check; whoever holds the key is the
customer. The widget is always anonymous: it answers from public
articles only, whatever the visitor's sign-in on the help center.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from ckhub.assistant import chat_steps, service
from ckhub.assistant.models import Conversation
from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.web import i18n
from ckhub.web.deps import DB, get_runtime
from ckhub.web.security import allow_framing, client_ip
from ckhub.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
LOADER = Path(__file__).resolve().parent.parent / "web" / "static" / "js" / "widget.js"


def _language(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "zh"


def _locale(language: str) -> str:
    return "en" if language == "en" else "zh_Hans"


def _visitor(request: Request) -> Viewer:
    return Viewer.anonymous(client_ip(request, get_runtime(request).settings))


def _base(conversation: Conversation) -> str:
    return f"/help/widget/c/{conversation.public_key}"


def _page(request: Request, conversation: Conversation, error: Problem | None = None) -> Response:
    allow_framing(request, get_runtime(request).settings)
    return render(
        request,
        "assistant/_chat.html" if is_htmx(request) else "assistant/widget.html",
        status_code=error.status if error else 200,
        locale=_locale(conversation.language),
        conversation=conversation,
        error=error,
        chat_base=_base(conversation),
        new_conversation_url=f"/help/widget?lang={conversation.language}&new=1",
        embedded=True,
    )


@router.get("/help/widget.js")
def loader() -> Response:
    """The script other sites include; it only draws the button and the frame."""
    return FileResponse(
        LOADER,
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/help/widget")
def widget_start(request: Request, lang: str = "", new: str = "") -> Response:
    """The bot's greeting and the first question; nothing is stored until it is asked."""
    language = _language(lang or get_runtime(request).settings.default_locale)
    return _start_page(request, language, forget=bool(new))


def _start_page(
    request: Request, language: str, forget: bool, error: Problem | None = None
) -> Response:
    allow_framing(request, get_runtime(request).settings)
    return render(
        request,
        "assistant/widget.html",
        status_code=error.status if error else 200,
        locale=_locale(language),
        conversation=None,
        greeting=i18n.translate(language, service.GREETING),
        language=language,
        forget=forget,
        error=error,
    )


@router.post("/help/widget/start")
def widget_first_question(
    request: Request,
    db: DB,
    question: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
) -> Response:
    try:
        service.checked_question(question)
    except Problem as problem:  # nothing stored for a question that cannot be asked
        return _start_page(request, _language(lang), forget=False, error=problem)
    refused = chat_steps.may_ask(request, _visitor(request))
    if refused is not None:
        return _start_page(request, _language(lang), forget=False, error=refused)
    conversation = service.start_conversation(db, _visitor(request), _language(lang), "widget")
    return widget_ask(request, db, conversation.public_key, question)


@router.get("/help/widget/c/{key}")
def widget_conversation(request: Request, db: DB, key: str) -> Response:
    try:
        conversation = service.conversation_by_key(db, key)
    except Problem:  # an old key kept by the host page: start afresh rather than fail
        return RedirectResponse("/help/widget?new=1", status_code=303)
    return _page(request, conversation)


@router.get("/help/widget/c/{key}/messages")
def widget_messages(request: Request, db: DB, key: str) -> Response:
    return _page(request, service.conversation_by_key(db, key))


@router.post("/help/widget/c/{key}/ask")
def widget_ask(
    request: Request, db: DB, key: str, question: Annotated[str, Form()] = ""
) -> Response:
    conversation = service.conversation_by_key(db, key)
    problem = chat_steps.ask(request, db, _visitor(request), conversation, question)
    if problem is not None:
        return _page(request, conversation, problem)
    return _after_post(request, conversation)


@router.post("/help/widget/c/{key}/rate")
def widget_rate(
    request: Request,
    db: DB,
    key: str,
    message_id: Annotated[int, Form()],
    helpful: Annotated[str, Form()],
) -> Response:
    conversation = service.conversation_by_key(db, key)
    teacher = chat_steps.teacher_of(request, _visitor(request))
    service.rate_answer(db, conversation, message_id, helpful == "yes", teacher)
    return _after_post(request, conversation)


@router.post("/help/widget/c/{key}/person")
def widget_person(
    request: Request,
    db: DB,
    key: str,
    name: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
) -> Response:
    conversation = service.conversation_by_key(db, key)
    problem = chat_steps.hand_over(request, db, conversation, name, contact)
    if problem is not None:
        return _page(request, conversation, problem)
    return _after_post(request, conversation)


def _after_post(request: Request, conversation: Conversation) -> Response:
    if is_htmx(request):
        return _page(request, conversation)
    return RedirectResponse(_base(conversation), status_code=303)
