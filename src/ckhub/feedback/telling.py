"""Telling the requesters: when an item reaches a status that tells them (shipped, declined),
each requester gets a personal message in their language — their name, what they asked for in
their own words, what changed, a link — by e-mail through the outbox and through every active
feedback webhook. Once per item, customer and status, whatever merges happen (RequesterNotice).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.feedback.models import (
    FeedbackItem,
    FeedbackMerge,
    FeedbackStatus,
    MessageTemplate,
    RequesterNotice,
)
from ckhub.feedback.requesters import Requester, requesters_of
from ckhub.feedback.workflow import require_manager, status_by_key
from ckhub.i18n_marker import N_
from ckhub.notify.service import queue_email
from ckhub.settings import Settings
from ckhub.web import i18n

LANGUAGES = ("zh", "en")
FIELDS = ("name", "request", "title", "status", "note", "link")
# The built-in messages (translated like the rest of the UI); a workspace may write its own
# per status and language on the templates page.
DEFAULT_SUBJECTS = {
    "shipped": N_("Your request is done: {title}"),
    "declined": N_("About your request: {title}"),
}
DEFAULT_BODIES = {
    "shipped": N_(
        "Dear {name},\n\nYou told us: “{request}”\n\nWe have done it: {title}.\n{note}\n\n"
        "More: {link}\n\nThank you for telling us."
    ),
    "declined": N_(
        "Dear {name},\n\nYou told us: “{request}”\n\nWe have decided not to do this for now: "
        "{title}.\n{note}\n\nMore: {link}\n\nThank you for telling us; we read every request."
    ),
}
GENERIC_SUBJECT = N_("News about your request: {title}")
GENERIC_BODY = N_(
    "Dear {name},\n\nYou told us: “{request}”\n\n“{title}” is now: {status}.\n{note}\n\n"
    "More: {link}"
)
_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """Put the values into a template's {fields}; anything else in braces stays as written
    (templates are edited by staff: no attribute access, no format-string surprises)."""
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def template_for(session: Session, status_key: str, language: str) -> tuple[str, str]:
    """(subject, body) a requester writing in `language` gets for `status_key`."""
    language = language if language in LANGUAGES else "zh"
    saved = session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.status_key == status_key, MessageTemplate.language == language
        )
    )
    if saved is not None:
        return saved.subject, saved.body
    subject = DEFAULT_SUBJECTS.get(status_key, GENERIC_SUBJECT)
    body = DEFAULT_BODIES.get(status_key, GENERIC_BODY)
    return i18n.translated_template(language, subject), i18n.translated_template(language, body)


def item_link(settings: Settings, item: FeedbackItem) -> str:
    base = settings.base_url.rstrip("/")
    return f"{base}/roadmap/{item.id}" if item.is_public else f"{base}/help"


def message_for(
    session: Session,
    settings: Settings,
    item: FeedbackItem,
    status: FeedbackStatus,
    requester: Requester,
    note: str,
) -> tuple[str, str]:
    language = requester.language if requester.language in LANGUAGES else "zh"
    subject, body = template_for(session, status.key, language)
    words = requester.words
    values = {
        "name": requester.customer.name,
        "request": words[:300] + ("…" if len(words) > 300 else ""),
        "title": item.title,
        "status": status.name_zh if language == "zh" else status.name_en,
        "note": note,
        "link": item_link(settings, item),
    }
    return fill(subject, values).replace("\n", " ")[:255], fill(body, values)


def _told(session: Session, item: FeedbackItem, status_key: str) -> set[int]:
    """Customers already told of this status, on this item or an item merged into it."""
    merged = select(FeedbackMerge.source_id).where(
        FeedbackMerge.target_id == item.id, FeedbackMerge.undone_at.is_(None)
    )
    return set(
        session.scalars(
            select(RequesterNotice.customer_id).where(
                RequesterNotice.status_key == status_key,
                RequesterNotice.item_id.in_(merged) | (RequesterNotice.item_id == item.id),
            )
        )
    )


def tell_requesters(
    session: Session, settings: Settings, item: FeedbackItem, status: FeedbackStatus, note: str
) -> int:
    """Queue each requester's message (no commit: it is stored with the status change that
    caused it). Returns how many requesters were newly told."""
    from ckhub.feedback.hooks import queue_requester_hooks

    told = _told(session, item, status.key)
    count = 0
    for requester in requesters_of(session, item.id):
        customer = requester.customer
        if customer.customer_id in told:
            continue
        subject, body = message_for(session, settings, item, status, requester, note)
        message = None
        if customer.email:
            message = queue_email(
                session, to_address=customer.email, to_name=customer.name, subject=subject,
                body=body, category=f"feedback.{status.key}",
                dedup_key=f"feedback|{item.id}|{customer.customer_id}|{status.key}",
            )  # fmt: skip
        hooked = queue_requester_hooks(session, item, status, requester, subject, body)
        channel = "email" if message is not None else "webhook" if hooked else "none"
        session.add(
            RequesterNotice(
                item_id=item.id, customer_id=customer.customer_id, status_key=status.key,
                channel=channel, outbox_message_id=message.id if message else None,
            )
        )  # fmt: skip
        count += 1
    session.flush()
    return count


def save_template(
    session: Session,
    viewer: Viewer,
    status_key: str,
    language: str,
    subject: str,
    body: str,
) -> None:
    """A workspace's own message for a status and language; empty subject and body go back to
    the built-in one."""
    require_manager(viewer)
    if language not in LANGUAGES:
        raise Problem("invalid-language", "A template language is zh or en.", 422)
    status_by_key(session, status_key)
    saved = session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.status_key == status_key, MessageTemplate.language == language
        )
    )
    if not subject.strip() and not body.strip():
        if saved is not None:
            session.delete(saved)
    else:
        if not subject.strip() or "{name}" not in body:
            raise Problem(
                "invalid-template",
                "A message needs a subject, and its text needs {needed} to greet the customer.",
                422,
                field="body",
                needed="{name}",
            )
        if saved is None:
            saved = MessageTemplate(status_key=status_key, language=language)
            session.add(saved)
        saved.subject, saved.body = subject.strip()[:255], body.strip()[:10000]
        saved.updated_by_id = viewer.user_id
    audit.record(session, viewer, "feedback.template_saved", "feedback_status", None,
                 status=status_key, language=language)  # fmt: skip
    session.commit()
