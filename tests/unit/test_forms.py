"""Redirect targets after a form stay on this site."""

from __future__ import annotations

import pytest

from ckhub.web.forms import safe_next


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/users?q=li", "/admin/users?q=li"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("", "/"),
    ],
)
def test_safe_next(target: str, expected: str) -> None:
    assert safe_next(target) == expected
