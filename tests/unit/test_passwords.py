"""Passwords are hashed with argon2id and checked against simple rules."""

from __future__ import annotations

import pytest

from ckhub.auth.passwords import hash_password, verify_password
from ckhub.errors import Problem


def test_hash_is_argon2id_and_verifies() -> None:
    hashed = hash_password("correct-horse-battery")
    assert hashed.startswith("$argon2id$")
    assert "correct-horse-battery" not in hashed
    assert verify_password(hashed, "correct-horse-battery")
    assert not verify_password(hashed, "Correct-horse-battery")
    assert not verify_password(None, "correct-horse-battery")
    assert not verify_password("not-a-hash", "x")


@pytest.mark.parametrize("weak", ["short", "1234567890123", "aaaaaaaaaaaa", "abababababab"])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(Problem) as caught:
        hash_password(weak)
    assert caught.value.code == "weak-password"
