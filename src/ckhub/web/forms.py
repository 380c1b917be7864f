"""Helpers for server-rendered forms: notices after a redirect, re-rendering with an error."""

from __future__ import annotations

import re

from fastapi.responses import RedirectResponse

from ckhub.web.i18n import N_

# Notices shown after a successful POST-redirect-GET, looked up by key (never echoed from input).
NOTICES = {
    "saved": N_("Saved."),
    "password-changed": N_("Your password has been changed."),
    "password-reset": N_("The password has been reset and the user's sessions were ended."),
    "token-revoked": N_("The token has been revoked."),
    "user-created": N_("The user has been created."),
    "team-created": N_("The team has been created."),
    "job-queued": N_("The job has been queued."),
    "signed-out": N_("You have been signed out."),
    "deleted": N_("Deleted."),
    "flagged": N_("Thank you: the article's owner has been told."),
    "suggestion-received": N_(
        "Thank you: your suggestion has reached our team. We will tell you when it is done."
    ),
}


def last_number(text: str) -> int | None:
    """The number people mean when they type or paste "#12", "12" or an item's address: the
    last one in it."""
    numbers = re.findall(r"\d+", text)
    return int(numbers[-1]) if numbers else None


def redirect_with_notice(path: str, notice: str) -> RedirectResponse:
    separator = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{separator}notice={notice}", status_code=303)


def notice_text(key: str | None) -> str | None:
    return NOTICES.get(key or "")


def safe_next(target: str) -> str:
    """Only same-site paths, so a crafted link cannot bounce people to another site."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def page_count(total: int, size: int) -> int:
    """How many pages of `size` rows `total` rows fill (one, when there are none)."""
    return max(1, -(-total // size))
