"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ckhub.errors import Problem

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
# Verified against when the account does not exist, so a miss costs as long as a hit and
# response times do not tell which usernames exist.
_DUMMY_HASH = _hasher.hash("ckhub-timing-equalizer")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Problem(
            "weak-password",
            "The password must be at least {min} characters long.",
            422,
            min=MIN_PASSWORD_LENGTH,
        )
    if password.isdigit() or len(set(password)) < 4:
        raise Problem("weak-password", "The password is too easy to guess.", 422)
