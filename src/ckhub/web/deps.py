"""FastAPI dependencies shared by every area: database session, the viewer, access checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Capability, Viewer
from ckhub.auth.signin import resolve_session
from ckhub.auth.tokens import resolve_token
from ckhub.errors import Problem, forbidden
from ckhub.runtime import Runtime
from ckhub.web.security import client_ip, has_bearer_token

SESSION_COOKIE = "ckhub_session"


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_db(request: Request) -> Iterator[Session]:
    session = get_runtime(request).session_factory()
    try:
        yield session
    finally:
        session.close()


DB = Annotated[Session, Depends(get_db)]


def get_viewer(request: Request, db: DB) -> Viewer:
    """Who is asking: by API token, else by session cookie, else anonymous. Cached per request."""
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    runtime = get_runtime(request)
    ip = client_ip(request, runtime.settings)
    found = None
    if has_bearer_token(request):
        secret = request.headers["authorization"].split(" ", 1)[1].strip()
        found = resolve_token(db, secret, ip)
        if found is None:
            raise Problem("invalid-token", "The API token is not valid, expired or revoked.", 401)
    elif cookie := request.cookies.get(SESSION_COOKIE):
        found = resolve_session(db, runtime.settings, cookie, ip)
    viewer = found[1] if found else Viewer.anonymous(ip)
    request.state.viewer = viewer
    request.state.user = found[0] if found else None
    return viewer


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]


def require(capability: Capability) -> Callable[[Viewer], Viewer]:
    """A dependency: the viewer, if signed in and allowed `capability`."""

    def check(viewer: CurrentViewer) -> Viewer:
        if not viewer.is_authenticated:
            raise Problem("signin-required", "Please sign in to continue.", 401)
        if not viewer.can(capability):
            raise forbidden()
        return viewer

    return check


def require_signed_in(viewer: CurrentViewer) -> Viewer:
    if not viewer.is_authenticated:
        raise Problem("signin-required", "Please sign in to continue.", 401)
    return viewer


SignedInViewer = Annotated[Viewer, Depends(require_signed_in)]
StaffViewer = Annotated[Viewer, Depends(require(Capability.STAFF_AREA))]
