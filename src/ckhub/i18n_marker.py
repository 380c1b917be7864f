"""The translation marker, importable by any layer without pulling in the web package."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the conventional name for a translation marker
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message
