"""JSON API of the accounts area: who am I, users (admins), my API tokens, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from ckhub.auth import audit, service, tokens
from ckhub.auth.audit import AuditFilter
from ckhub.auth.models import ApiToken, AuditEvent, User
from ckhub.auth.permissions import Capability, Viewer
from ckhub.web.deps import DB, SignedInViewer, require

router = APIRouter(prefix="/api/v1", tags=["accounts"])
UserManager = Annotated[Viewer, Depends(require(Capability.MANAGE_USERS))]


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    email: str | None
    role: str
    is_active: bool
    team_ids: list[int]
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            email=user.email,
            role=user.role,
            is_active=user.is_active,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
            team_ids=[m.team_id for m in user.memberships],
        )


class UserIn(BaseModel):
    username: str
    password: str = Field(min_length=1)
    role: str
    display_name: str = ""
    email: str | None = None
    team_ids: list[int] = []


class RoleIn(BaseModel):
    role: str


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenOut:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
        )


class TokenIn(BaseModel):
    name: str
    expires_in_days: int | None = None


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret. Shown only in this response; store it now.")


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    target_type: str | None
    target_id: str | None
    ip: str | None
    details: dict[str, Any]

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventOut:
        return cls(
            id=event.id,
            at=event.at,
            actor=event.actor_name,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            ip=event.ip,
            details=event.details,
        )


@router.get("/me", response_model=UserOut)
def me(db: DB, viewer: SignedInViewer) -> UserOut:
    assert viewer.user_id is not None
    return UserOut.of(service.get_user(db, viewer.user_id))


@router.get("/users", response_model=list[UserOut])
def list_users(db: DB, viewer: UserManager, q: str = "", role: str = "") -> list[UserOut]:
    return [UserOut.of(user) for user in service.list_users(db, q, role)]


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, db: DB, viewer: UserManager) -> UserOut:
    user = service.create_user(db, viewer, **body.model_dump())
    db.refresh(user)
    return UserOut.of(user)


@router.put("/users/{user_id}/role", response_model=UserOut)
def set_role(user_id: int, body: RoleIn, db: DB, viewer: UserManager) -> UserOut:
    return UserOut.of(service.set_role(db, viewer, user_id, body.role))


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(db: DB, viewer: SignedInViewer) -> list[TokenOut]:
    assert viewer.user_id is not None
    return [TokenOut.of(token) for token in tokens.list_tokens(db, viewer.user_id)]


@router.post("/tokens", response_model=NewTokenOut, status_code=201)
def create_token(body: TokenIn, db: DB, viewer: SignedInViewer) -> NewTokenOut:
    created = tokens.create_token(db, viewer, body.name, body.expires_in_days)
    return NewTokenOut(**TokenOut.of(created.token).model_dump(), token=created.secret)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: int, db: DB, viewer: SignedInViewer) -> Response:
    tokens.revoke_token(db, viewer, token_id)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditEventOut])
def list_audit(
    db: DB,
    viewer: Annotated[Viewer, Depends(require(Capability.VIEW_AUDIT_LOG))],
    action: str = "",
    actor: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEventOut]:
    criteria = AuditFilter(action or None, actor or None, since, until)
    events = audit.export_events(db, viewer, criteria, min(max(limit, 1), 1000), max(offset, 0))
    return [AuditEventOut.of(event) for event in events]
