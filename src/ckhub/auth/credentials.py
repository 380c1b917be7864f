"""Secrets handed to clients (session cookies, API tokens): made random, stored as SHA-256.

Both are 256-bit random values, so a fast hash is enough: there is nothing to brute-force, unlike
passwords (argon2). Looking a token up by its hash keeps the lookup indexed and constant-time with
respect to the secret.
"""

from __future__ import annotations

import hashlib
import secrets

API_TOKEN_PREFIX = "ckh_"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
