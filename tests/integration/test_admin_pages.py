"""Administrators manage people and teams from the pages; every change is audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import service
from ckhub.auth.models import AuditEvent, User
from ckhub.auth.permissions import Role
from tests.factories import PASSWORD, SYSTEM, another_browser, make_user, post_form, sign_in


def _signed_in_admin(client: TestClient, db: Session) -> None:
    make_user(db, "root1", Role.ADMIN)
    sign_in(client, "root1")


def test_admin_creates_a_team_and_a_user_in_it(client: TestClient, db: Session) -> None:
    _signed_in_admin(client, db)
    assert post_form(client, "/admin/teams", {"name": "Support"}).status_code == 303
    team = service.get_team_by_name(db, "Support")
    assert team is not None
    response = post_form(
        client,
        "/admin/users",
        {
            "username": "agent.li",
            "password": "a-new-password-1",
            "role": "agent",
            "display_name": "李娜",
            "email": "li@example.com",
            "team_ids": [str(team.id)],
        },
    )
    assert response.status_code == 303
    listing = client.get("/admin/users?q=li").text
    assert "agent.li" in listing and "李娜" in listing and "Support" in listing
    # The new person can sign in with the password the admin set.
    other = another_browser(client)
    assert sign_in(other, "agent.li", "a-new-password-1").status_code == 303


def test_user_form_errors_are_shown_and_nothing_is_created(client: TestClient, db: Session) -> None:
    _signed_in_admin(client, db)
    response = post_form(
        client, "/admin/users", {"username": "shorty", "password": "short", "role": "agent"}
    )
    assert response.status_code == 422
    assert "at least 10 characters" in response.text
    assert service.find_user_by_login(db, "shorty") is None


def test_role_change_and_deactivation_are_audited(client: TestClient, db: Session) -> None:
    _signed_in_admin(client, db)
    person = make_user(db, "pm.liu", Role.EMPLOYEE)
    response = post_form(
        client,
        f"/admin/users/{person.user.id}",
        {
            "role": "knowledge_manager",
            "display_name": "Liu Yang",
            "email": "liu@example.com",
        },
    )
    assert response.status_code == 303
    db.expire_all()
    user = db.get(User, person.user.id)
    assert user is not None
    assert user.role == "knowledge_manager" and not user.is_active
    actions = {e.action: e for e in db.scalars(select(AuditEvent))}
    assert actions["user.role_changed"].details == {
        "username": "pm.liu",
        "old": "employee",
        "new": "knowledge_manager",
    }
    assert actions["user.role_changed"].actor_name == "root1"
    assert "user.deactivated" in actions
    assert sign_in(another_browser(client), "pm.liu").status_code == 401


def test_admin_cannot_demote_themselves(client: TestClient, db: Session) -> None:
    _signed_in_admin(client, db)
    me = service.find_user_by_login(db, "root1")
    assert me is not None
    response = post_form(
        client,
        f"/admin/users/{me.id}",
        {"role": "employee", "display_name": "Root", "is_active": "true"},
    )
    assert response.status_code == 409
    assert "You cannot remove your own administrator role." in response.text


def test_password_reset_ends_sessions(client: TestClient, db: Session) -> None:
    _signed_in_admin(client, db)
    person = make_user(db, "agent.li", Role.AGENT)
    theirs = another_browser(client)
    sign_in(theirs, "agent.li")
    assert theirs.get("/dashboard").status_code == 200
    response = post_form(
        client, f"/admin/users/{person.user.id}/password", {"new_password": "brand-new-password"}
    )
    assert response.status_code == 303
    assert theirs.get("/dashboard").status_code == 303  # signed out
    assert sign_in(theirs, "agent.li", "brand-new-password").status_code == 303


def test_team_members_and_leads(client: TestClient, db: Session) -> None:
    _signed_in_admin(client, db)
    team = service.create_team(db, SYSTEM, "Sales")
    a = make_user(db, "sales.a")
    b = make_user(db, "sales.b")
    post_form(
        client,
        f"/admin/teams/{team.id}/members",
        {"member_ids": [a.user.id, b.user.id], "lead_ids": [b.user.id]},
    )
    db.expire_all()
    members = {m.user.username: m.is_lead for m in service.list_teams(db)[0].members}
    assert members == {"sales.a": False, "sales.b": True}


def test_changing_own_password(client: TestClient, db: Session) -> None:
    make_user(db, "li.na")
    sign_in(client, "li.na")
    wrong = post_form(
        client,
        "/account/password",
        {
            "current_password": "nope-nope-nope",
            "new_password": "another-password",
            "confirm_password": "another-password",
        },
    )
    assert wrong.status_code == 422
    assert "The current password is not correct." in wrong.text
    ok = post_form(
        client,
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "another-password",
            "confirm_password": "another-password",
        },
    )
    assert ok.status_code == 303
    assert sign_in(another_browser(client), "li.na", "another-password").status_code == 303
