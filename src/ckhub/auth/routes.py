"""Pages for signing in and out and for one's own account (profile, password, API tokens)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ckhub.auth import service, signin, tokens
from ckhub.auth.admin_routes import router as admin_router
from ckhub.errors import Problem
from ckhub.web.deps import DB, SESSION_COOKIE, CurrentViewer, SignedInViewer, get_runtime
from ckhub.web.forms import notice_text, redirect_with_notice, safe_next
from ckhub.web.i18n import LOCALES
from ckhub.web.security import client_ip, rotate_csrf_cookie, set_cookie
from ckhub.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(admin_router)

COMMON_TIMEZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)


@router.get("/login")
def login_page(request: Request, viewer: CurrentViewer, next: str = "/") -> Response:
    if viewer.is_authenticated:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(
        request,
        "auth/login.html",
        next=safe_next(next),
        login="",
        error=None,
        notice=notice_text(request.query_params.get("notice")),
    )


@router.post("/login")
def login(
    request: Request,
    db: DB,
    login: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    settings = get_runtime(request).settings
    ip = client_ip(request, settings)
    try:
        signed_in = signin.authenticate(
            db, settings, login, password, ip, request.headers.get("user-agent", "")
        )
    except Problem as problem:
        return render(
            request,
            "auth/login.html",
            status_code=problem.status,
            next=safe_next(next),
            login=login,
            error=problem,
            notice=None,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(
        response, settings, SESSION_COOKIE, signed_in.session_token, settings.session_hours * 3600
    )
    rotate_csrf_cookie(request, response, settings)
    return response


@router.post("/logout")
def logout(request: Request, db: DB, viewer: CurrentViewer) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        signin.sign_out(db, viewer, token)
    response = redirect_with_notice("/login", "signed-out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_page(
    request: Request, db: DB, viewer: SignedInViewer, status_code: int = 200, **extra: Any
) -> Response:
    assert viewer.user_id is not None
    account = service.get_user(db, viewer.user_id)
    return render(
        request,
        "auth/account.html",
        status_code=status_code,
        account=account,
        teams=[membership.team for membership in account.memberships],
        tokens=tokens.list_tokens(db, viewer.user_id),
        timezones=COMMON_TIMEZONES,
        locales=LOCALES,
        notice=notice_text(request.query_params.get("notice")),
        **extra,
    )


@router.get("/account")
def account(request: Request, db: DB, viewer: SignedInViewer) -> Response:
    return _account_page(request, db, viewer)


@router.post("/account/profile")
def save_profile(
    request: Request,
    db: DB,
    viewer: SignedInViewer,
    display_name: Annotated[str, Form()],
    email: Annotated[str, Form()] = "",
    locale: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
) -> Response:
    assert viewer.user_id is not None
    try:
        service.update_profile(
            db,
            viewer,
            viewer.user_id,
            display_name=display_name,
            email=email,
            locale=locale if locale in LOCALES else "",
            timezone=timezone if timezone in COMMON_TIMEZONES else "",
        )
    except Problem as problem:
        return _account_page(request, db, viewer, problem.status, profile_error=problem)
    return redirect_with_notice("/account", "saved")


@router.post("/account/password")
def change_password(
    request: Request,
    db: DB,
    viewer: SignedInViewer,
    current_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
    confirm_password: Annotated[str, Form()],
) -> Response:
    try:
        if new_password != confirm_password:
            raise Problem("password-mismatch", "The two new passwords do not match.", 422)
        service.change_password(db, viewer, current_password, new_password)
    except Problem as problem:
        return _account_page(request, db, viewer, problem.status, password_error=problem)
    return redirect_with_notice("/account", "password-changed")


@router.post("/account/tokens")
def create_token(
    request: Request,
    db: DB,
    viewer: SignedInViewer,
    name: Annotated[str, Form()],
    expires_in_days: Annotated[str, Form()] = "",
) -> Response:
    try:
        days = int(expires_in_days) if expires_in_days.strip() else None
        created = tokens.create_token(db, viewer, name, days)
    except ValueError:
        problem = Problem("invalid-expiry", "A token expires in 1 to 3650 days.", 422)
        return _account_page(request, db, viewer, 422, token_error=problem)
    except Problem as problem:
        return _account_page(request, db, viewer, problem.status, token_error=problem)
    return _account_page(request, db, viewer, new_token=created)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: int, db: DB, viewer: SignedInViewer) -> Response:
    tokens.revoke_token(db, viewer, token_id)
    return redirect_with_notice("/account", "token-revoked")
