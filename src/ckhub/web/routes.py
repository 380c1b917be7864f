"""Routes of the shell itself: home, language switch, health check, API docs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from ckhub import __version__
from ckhub.auth.service import update_profile
from ckhub.web.deps import DB, CurrentViewer, get_runtime
from ckhub.web.forms import safe_next
from ckhub.web.i18n import LOCALES
from ckhub.web.security import set_cookie
from ckhub.web.templating import LANGUAGE_COOKIE, render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(viewer: CurrentViewer) -> RedirectResponse:
    if not viewer.is_authenticated:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/dashboard" if viewer.is_staff else "/account", status_code=303)


@router.post("/language")
def switch_language(
    request: Request,
    db: DB,
    viewer: CurrentViewer,
    locale: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    chosen = locale if locale in LOCALES else LOCALES[0]
    if viewer.user_id is not None:
        update_profile(db, viewer, viewer.user_id, locale=chosen)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(response, get_runtime(request).settings, LANGUAGE_COOKIE, chosen, 60 * 60 * 24 * 365)
    return response


@router.get("/healthz")
def healthz(db: DB) -> JSONResponse:
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        db.execute(text("SELECT 1"))
    except Exception:
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "version": __version__})


@router.get("/api/v1/docs")
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "web/api_docs.html")
