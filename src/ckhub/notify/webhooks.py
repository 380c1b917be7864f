"""Webhooks: JSON posted to a URL that a team chose (a chat tool, an incident system).

They go through the outbox like e-mail (channel "webhook"), so a receiver that is down gets the
message later with the same backoff, and nothing is posted twice (dedup keys). The body is
signed with CKHUB_WEBHOOK_SECRET when one is set: X-Ckhub-Signature: sha256=<hex HMAC>.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.errors import Problem
from ckhub.notify.models import OutboxMessage
from ckhub.notify.transport import PermanentFailure
from ckhub.settings import Settings

CHANNEL = "webhook"


def checked_url(url: str) -> str:
    """A webhook address must be an absolute http(s) URL."""
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(cleaned) > 254:
        raise Problem("invalid-webhook", "A webhook address is an http:// or https:// URL.", 422)
    return cleaned


def queue_webhook(
    session: Session,
    url: str,
    event: str,
    payload: dict[str, Any],
    dedup_key: str | None = None,
    exact: bool = False,
) -> OutboxMessage | None:
    """Add a webhook delivery to the caller's transaction; None if `dedup_key` was used.
    The body is `{"event": …, **payload}`, or with `exact` the payload as it is (chat tools
    such as DingTalk or Slack accept only their own message format)."""
    if dedup_key is not None and session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)
    ):
        return None
    message = OutboxMessage(
        channel=CHANNEL,
        category=event,
        to_address=checked_url(url),
        subject=event,
        body_text=json.dumps(payload if exact else {"event": event, **payload}, ensure_ascii=False),
        dedup_key=dedup_key,
    )
    session.add(message)
    return message


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(settings: Settings, message: OutboxMessage) -> None:
    """POST the message; a 4xx answer (but 408/429) is final, anything else is retried."""
    body = message.body_text.encode()
    headers = {"Content-Type": "application/json", "X-Ckhub-Event": message.category}
    if settings.webhook_secret:
        headers["X-Ckhub-Signature"] = signature(settings.webhook_secret, body)
    response = httpx.post(
        message.to_address, content=body, headers=headers, timeout=settings.webhook_timeout_seconds
    )
    if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
        raise PermanentFailure(f"HTTP {response.status_code}")
    response.raise_for_status()  # 5xx, 408, 429: tried again later
