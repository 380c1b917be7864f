"""CSRF protection, security headers and the client address.

CSRF uses signed double-submit cookies: every browser gets a random `ckhub_csrf` cookie, and each
form carries HMAC(secret key, cookie). A request that changes anything must send that value (form
field `csrf_token` or header `X-CSRF-Token`). Requests authenticated by an API token carry no
ambient credentials and are exempt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from ckhub.errors import Problem
from ckhub.settings import Settings

CSRF_COOKIE = "ckhub_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_STRICT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets inline style attributes; its page alone may use them.
_DOCS_CSP = _STRICT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def csrf_token_for(settings: Settings, cookie_value: str) -> str:
    key = settings.ensure_secret_key().encode("utf-8")
    return hmac.new(key, cookie_value.encode("utf-8"), hashlib.sha256).hexdigest()


def request_csrf_token(request: Request) -> str:
    """The token to put into forms rendered for this request."""
    settings: Settings = request.app.state.runtime.settings
    cookie = getattr(request.state, "csrf_cookie", None) or request.cookies.get(CSRF_COOKIE, "")
    return csrf_token_for(settings, cookie)


def has_bearer_token(request: Request) -> bool:
    return request.headers.get("authorization", "").lower().startswith("bearer ")


async def verify_csrf(request: Request) -> None:
    """Dependency on every router: refuse state-changing requests without a valid token."""
    if request.method in SAFE_METHODS or has_bearer_token(request):
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and "form" in request.headers.get("content-type", ""):
        form = await request.form()  # Starlette caches it; the route reads the same form
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    settings: Settings = request.app.state.runtime.settings
    if not cookie or not sent or not hmac.compare_digest(csrf_token_for(settings, cookie), sent):
        raise Problem(
            "csrf-failed",
            "This form has expired or was sent from another site. Reload the page and try again.",
            403,
        )


def client_ip(request: Request, settings: Settings) -> str:
    if settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.client.host if request.client else "unknown"


def set_cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


def security_middleware(
    settings: Settings,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """Give every browser a CSRF cookie and every response the security headers."""

    async def middleware(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        existing = request.cookies.get(CSRF_COOKIE)
        request.state.csrf_cookie = existing or secrets.token_urlsafe(32)
        response = await call_next(request)
        if not existing and not getattr(request.state, "csrf_cookie_set", False):
            set_cookie(
                response, settings, CSRF_COOKIE, request.state.csrf_cookie, 60 * 60 * 24 * 365
            )
        docs = request.url.path.startswith("/api/v1/docs")
        policy = _DOCS_CSP if docs else _STRICT_CSP
        framers = getattr(request.state, "frame_ancestors", None)
        if framers:
            policy = policy.replace("frame-ancestors 'none'", f"frame-ancestors {framers}")
        else:
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if settings.secure_cookies:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    return middleware


def allow_framing(request: Request, settings: Settings) -> None:
    """Let the sites in `CKHUB_WIDGET_ORIGINS` show this response in a frame (the widget)."""
    request.state.frame_ancestors = settings.widget_frame_ancestors


def rotate_csrf_cookie(request: Request, response: Response, settings: Settings) -> None:
    """A new CSRF cookie at sign-in, so a token planted before it cannot be used after."""
    request.state.csrf_cookie = secrets.token_urlsafe(32)
    request.state.csrf_cookie_set = True
    set_cookie(response, settings, CSRF_COOKIE, request.state.csrf_cookie, 60 * 60 * 24 * 365)
