"""Signed unsubscribe links: anyone holding the link may stop that mail, nobody can forge one."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from ckhub.settings import Settings


def _signature(settings: Settings, address: str, category: str) -> str:
    key = settings.ensure_secret_key().encode("utf-8")
    payload = f"unsubscribe\n{address.strip().lower()}\n{category}".encode()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()[:32]


def unsubscribe_url(settings: Settings, address: str, category: str) -> str:
    query = urlencode(
        {
            "address": address.strip().lower(),
            "category": category,
            "sig": _signature(settings, address, category),
        }
    )
    return f"{settings.base_url.rstrip('/')}/unsubscribe?{query}"


def valid_signature(settings: Settings, address: str, category: str, signature: str) -> bool:
    return hmac.compare_digest(_signature(settings, address, category), signature)
