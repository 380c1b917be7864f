"""Administration pages: users, teams and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ckhub.auth import audit, service
from ckhub.auth.audit import AuditFilter
from ckhub.auth.permissions import Capability, Role, Viewer
from ckhub.errors import Problem
from ckhub.web.deps import DB, require
from ckhub.web.forms import notice_text, page_count, redirect_with_notice
from ckhub.web.templating import render, viewer_timezone
from ckhub.workdays import typed_days

router = APIRouter(prefix="/admin", include_in_schema=False)
UserManager = Annotated[Viewer, Depends(require(Capability.MANAGE_USERS))]
TeamManager = Annotated[Viewer, Depends(require(Capability.MANAGE_TEAMS))]
Auditor = Annotated[Viewer, Depends(require(Capability.VIEW_AUDIT_LOG))]
AUDIT_PAGE_SIZE = 50


@router.get("/users")
def users_page(
    request: Request, db: DB, viewer: UserManager, q: str = "", role: str = ""
) -> Response:
    return _users_view(request, db, q=q, role=role)


def _users_view(
    request: Request,
    db: DB,
    q: str = "",
    role: str = "",
    status_code: int = 200,
    error: Problem | None = None,
) -> Response:
    return render(
        request,
        "auth/users.html",
        status_code=status_code,
        users=service.list_users(db, q, role),
        teams=service.list_teams(db),
        roles=list(Role),
        q=q,
        role=role,
        error=error,
        notice=notice_text(request.query_params.get("notice")),
    )


@router.post("/users")
def create_user(
    request: Request,
    db: DB,
    viewer: UserManager,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()],
    display_name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    team_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    try:
        service.create_user(
            db,
            viewer,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            email=email,
            team_ids=team_ids or [],
        )
    except Problem as problem:
        return _users_view(request, db, status_code=problem.status, error=problem)
    return redirect_with_notice("/admin/users", "user-created")


@router.get("/users/{user_id}")
def user_page(request: Request, db: DB, viewer: UserManager, user_id: int) -> Response:
    return _user_view(request, db, user_id)


def _user_view(
    request: Request, db: DB, user_id: int, status_code: int = 200, error: Problem | None = None
) -> Response:
    user = service.get_user(db, user_id)
    return render(
        request,
        "auth/user.html",
        status_code=status_code,
        account=user,
        roles=list(Role),
        error=error,
        notice=notice_text(request.query_params.get("notice")),
        teams=[membership.team for membership in user.memberships],
    )


@router.post("/users/{user_id}")
def update_user(
    request: Request,
    db: DB,
    viewer: UserManager,
    user_id: int,
    role: Annotated[str, Form()],
    display_name: Annotated[str, Form()],
    email: Annotated[str, Form()] = "",
    is_active: Annotated[bool, Form()] = False,
) -> Response:
    try:
        service.update_profile(db, viewer, user_id, display_name=display_name, email=email)
        service.set_role(db, viewer, user_id, role)
        service.set_active(db, viewer, user_id, is_active)
    except Problem as problem:
        db.rollback()
        return _user_view(request, db, user_id, problem.status, problem)
    return redirect_with_notice(f"/admin/users/{user_id}", "saved")


@router.post("/users/{user_id}/password")
def reset_password(
    request: Request,
    db: DB,
    viewer: UserManager,
    user_id: int,
    new_password: Annotated[str, Form()],
) -> Response:
    try:
        service.reset_password(db, viewer, user_id, new_password)
    except Problem as problem:
        return _user_view(request, db, user_id, problem.status, problem)
    return redirect_with_notice(f"/admin/users/{user_id}", "password-reset")


@router.get("/teams")
def teams_page(request: Request, db: DB, viewer: TeamManager) -> Response:
    return _teams_view(request, db)


def _teams_view(
    request: Request, db: DB, status_code: int = 200, error: Problem | None = None
) -> Response:
    return render(
        request,
        "auth/teams.html",
        status_code=status_code,
        teams=service.list_teams(db),
        users=[u for u in service.list_users(db) if u.role != Role.CUSTOMER.value],
        error=error,
        notice=notice_text(request.query_params.get("notice")),
    )


@router.post("/teams")
def create_team(
    request: Request,
    db: DB,
    viewer: TeamManager,
    name: Annotated[str, Form()],
    description: Annotated[str, Form()] = "",
) -> Response:
    try:
        service.create_team(db, viewer, name, description)
    except Problem as problem:
        return _teams_view(request, db, problem.status, problem)
    return redirect_with_notice("/admin/teams", "team-created")


@router.post("/teams/{team_id}/members")
def set_team_members(
    request: Request,
    db: DB,
    viewer: TeamManager,
    team_id: int,
    member_ids: Annotated[list[int] | None, Form()] = None,
    lead_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    try:
        service.set_team_members(db, viewer, team_id, member_ids or [], lead_ids or [])
    except Problem as problem:
        return _teams_view(request, db, problem.status, problem)
    return redirect_with_notice("/admin/teams", "saved")


@router.get("/audit")
def audit_page(
    request: Request,
    db: DB,
    viewer: Auditor,
    action: str = "",
    actor: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
) -> Response:
    start, end = typed_days(since, until, viewer_timezone(request))
    criteria = AuditFilter(action=action or None, actor=actor or None, since=start, until=end)
    page = max(page, 1)
    events, total = audit.list_events(db, criteria, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE)
    return render(
        request,
        "auth/audit.html",
        events=events,
        total=total,
        page=page,
        pages=page_count(total, AUDIT_PAGE_SIZE),
        actions=audit.known_actions(db),
        filters={"action": action, "actor": actor, "since": since, "until": until},
    )
