"""Feedback webhooks: requester messages and status changes posted to the systems that reach
customers and teams, in the message format each one reads. Deliveries go through the outbox
(retries with backoff, never twice, HMAC-signed with CKHUB_WEBHOOK_SECRET like every ckhub
webhook). DingTalk and Feishu robots may also require their own signature in the URL: paste
the robot's full URL, as the robot's settings page shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.feedback.models import FeedbackItem, FeedbackStatus, FeedbackWebhook
from ckhub.feedback.requesters import Requester
from ckhub.feedback.workflow import delete_setting, require_manager
from ckhub.i18n_marker import N_
from ckhub.notify.webhooks import checked_url, queue_webhook

REQUESTER_EVENT = "feedback.requester_message"
STATUS_EVENT = "feedback.status_changed"


def _chat_text(text: str) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": text}}


# Each chat tool's message format for a plain text message.
CHAT_FORMATS: dict[str, Callable[[str], dict[str, Any]]] = {
    "dingtalk": _chat_text,
    "wecom": _chat_text,
    "feishu": lambda text: {"msg_type": "text", "content": {"text": text}},
    "slack": lambda text: {"text": text},
}
FORMATS = ("generic", *CHAT_FORMATS)


def add_webhook(
    session: Session,
    viewer: Viewer,
    *,
    url: str,
    format: str = "generic",
    team_id: int | None = None,
    sends_requester_messages: bool = True,
    sends_status_changes: bool = False,
) -> FeedbackWebhook:
    require_manager(viewer)
    if format not in FORMATS:
        raise Problem("invalid-format", "A webhook format is one of: {formats}.", 422,
                      formats=", ".join(FORMATS))  # fmt: skip
    hook = FeedbackWebhook(
        url=checked_url(url), format=format, team_id=team_id,
        sends_requester_messages=sends_requester_messages,
        sends_status_changes=sends_status_changes, created_by_id=viewer.user_id,
    )  # fmt: skip
    session.add(hook)
    session.flush()
    audit.record(session, viewer, "feedback.webhook_added", "feedback_webhook", hook.id,
                 format=format)  # fmt: skip
    session.commit()
    return hook


def remove_webhook(session: Session, viewer: Viewer, hook_id: int) -> None:
    delete_setting(
        session, viewer, FeedbackWebhook, hook_id, N_("Webhook"), "feedback.webhook_removed"
    )


def webhooks(session: Session) -> list[FeedbackWebhook]:
    return list(session.scalars(select(FeedbackWebhook).order_by(FeedbackWebhook.id)))


def _hooks_for(
    session: Session, item: FeedbackItem, requester_messages: bool
) -> list[FeedbackWebhook]:
    wanted = (
        FeedbackWebhook.sends_requester_messages
        if requester_messages
        else FeedbackWebhook.sends_status_changes
    )
    return list(
        session.scalars(
            select(FeedbackWebhook).where(
                FeedbackWebhook.is_active.is_(True),
                wanted.is_(True),
                or_(FeedbackWebhook.team_id.is_(None), FeedbackWebhook.team_id == item.team_id),
            )
        )
    )


def _queue(
    session: Session, hook: FeedbackWebhook, event: str, generic: dict[str, Any], text: str,
    dedup_key: str,
) -> None:  # fmt: skip
    if hook.format == "generic":
        queue_webhook(session, hook.url, event, generic, dedup_key=dedup_key)
    else:
        queue_webhook(session, hook.url, event, CHAT_FORMATS[hook.format](text),
                      dedup_key=dedup_key, exact=True)  # fmt: skip


def queue_requester_hooks(
    session: Session,
    item: FeedbackItem,
    status: FeedbackStatus,
    requester: Requester,
    subject: str,
    body: str,
) -> int:
    """One delivery per webhook that carries requester messages; returns how many."""
    hooks = _hooks_for(session, item, requester_messages=True)
    customer = requester.customer
    for hook in hooks:
        generic = {
            "item": {"id": item.id, "title": item.title, "status": status.key},
            "customer": {"id": customer.customer_id, "name": customer.name,
                         "email": customer.email},
            "language": requester.language,
            "their_words": requester.words,
            "subject": subject,
            "body": body,
        }  # fmt: skip
        _queue(
            session,
            hook,
            REQUESTER_EVENT,
            generic,
            f"{subject}\n\n{body}",
            f"{REQUESTER_EVENT}|{hook.id}|{item.id}|{customer.customer_id}|{status.key}",
        )
    return len(hooks)


def queue_status_hooks(
    session: Session, item: FeedbackItem, status: FeedbackStatus, change_id: int, link: str
) -> None:
    for hook in _hooks_for(session, item, requester_messages=False):
        generic = {
            "item": {"id": item.id, "title": item.title, "status": status.key,
                     "impact": item.impact, "requesters": item.requester_count, "url": link},
        }  # fmt: skip
        text = f"#{item.id} {item.title} → {status.name_zh} / {status.name_en}\n{link}"
        _queue(session, hook, STATUS_EVENT, generic, text, f"{STATUS_EVENT}|{hook.id}|{change_id}")
