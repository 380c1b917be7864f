"""The outbox pages (the mail catcher), the public unsubscribe page, a user's notifications."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, not_found
from ckhub.i18n_marker import N_
from ckhub.notify import inbox, queries, service
from ckhub.notify.models import MessageStatus, OutboxMessage
from ckhub.notify.unsubscribe import valid_signature
from ckhub.web.deps import DB, SignedInViewer, get_runtime, require
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import render

router = APIRouter(include_in_schema=False)
OutboxViewer = Annotated[Viewer, Depends(require(Capability.VIEW_OUTBOX))]


@router.get("/admin/outbox")
def outbox_page(
    request: Request, db: DB, viewer: OutboxViewer, status: str = "", address: str = ""
) -> Response:
    return render(
        request,
        "notify/outbox.html",
        messages=queries.list_messages(db, status, address),
        counts=queries.count_by_status(db),
        statuses=list(MessageStatus),
        filters={"status": status, "address": address},
        smtp_configured=bool(get_runtime(request).settings.smtp_host),
        notice=notice_text(request.query_params.get("notice")),
    )


@router.get("/admin/outbox/{message_id}")
def message_page(request: Request, db: DB, viewer: OutboxViewer, message_id: int) -> Response:
    message = db.get(OutboxMessage, message_id)
    if message is None:
        raise not_found(N_("Message"))
    notice = notice_text(request.query_params.get("notice"))
    return render(request, "notify/message.html", message=message, notice=notice)


@router.post("/admin/outbox/{message_id}/retry")
def retry(request: Request, db: DB, viewer: OutboxViewer, message_id: int) -> Response:
    service.retry_message(db, viewer, message_id)
    get_runtime(request).queue.enqueue("notify.deliver", created_by=viewer.user_id)
    return redirect_with_notice(f"/admin/outbox/{message_id}", "job-queued")


@router.post("/admin/outbox/deliver")
def deliver_now(request: Request, viewer: OutboxViewer) -> Response:
    get_runtime(request).queue.enqueue("notify.deliver", created_by=viewer.user_id)
    return redirect_with_notice("/admin/outbox", "job-queued")


def _checked(request: Request, address: str, category: str, sig: str) -> None:
    if not valid_signature(get_runtime(request).settings, address, category, sig):
        raise Problem("invalid-link", "This unsubscribe link is not valid.", 400)


@router.get("/unsubscribe")
def unsubscribe_page(request: Request, address: str, category: str, sig: str) -> Response:
    """Confirmation first: mail scanners follow links, and must not unsubscribe anyone."""
    _checked(request, address, category, sig)
    return render(
        request, "notify/unsubscribe.html", address=address, category=category, sig=sig, done=False
    )


@router.post("/unsubscribe")
def unsubscribe(
    request: Request,
    db: DB,
    address: Annotated[str, Form()],
    category: Annotated[str, Form()],
    sig: Annotated[str, Form()],
) -> Response:
    _checked(request, address, category, sig)
    service.unsubscribe(db, address, category)
    return render(
        request, "notify/unsubscribe.html", address=address, category=category, sig=sig, done=True
    )


@router.get("/notifications")
def notifications_page(request: Request, db: DB, viewer: SignedInViewer) -> Response:
    assert viewer.user_id is not None
    return render(
        request,
        "notify/notifications.html",
        notifications=inbox.notifications_of(db, viewer.user_id),
    )


@router.post("/notifications/read")
def read_all(db: DB, viewer: SignedInViewer) -> Response:
    assert viewer.user_id is not None
    inbox.mark_all_read(db, viewer.user_id)
    return redirect_with_notice("/notifications", "saved")
