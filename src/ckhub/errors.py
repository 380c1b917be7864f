"""The one error type of ckhub (DESIGN.md rule 4).

Services raise `Problem`; the web layer renders it as RFC 9457 JSON for the API and as a friendly
page for browsers. The message is an English sentence with `{name}` slots filled from
`params`, so a page can translate the sentence first and fill it in after.
"""

from __future__ import annotations

from typing import Any


class Problem(Exception):
    """A failure the caller can understand and act on.

    code: a stable machine-readable slug (`invalid-credentials`, `not-found`).
    message: an English sentence (a translation key), its slots in `{name}` form.
    status: the HTTP status it maps to.
    params: values for the slots; also included in the API response.
    """

    def __init__(self, code: str, message: str, status: int = 400, **params: Any) -> None:
        self.code = code
        self.message = message
        self.status = status
        self.params = params
        super().__init__(self.detail)

    @property
    def detail(self) -> str:
        return self.message.format(**self.params) if self.params else self.message


class ConfigurationError(RuntimeError):
    """Raised at start-up when settings are unsafe or inconsistent; the CLI prints it and exits."""


def not_found(what: str) -> Problem:
    return Problem("not-found", "{what} was not found.", 404, what=what)


def forbidden() -> Problem:
    return Problem("forbidden", "You do not have permission to do this.", 403)
