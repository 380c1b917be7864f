"""Who may reach what: pages, API, and visibility enforced inside the query."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session

from ckhub.auth import service
from ckhub.auth.permissions import Role, Viewer, visibility_clause
from tests.factories import SYSTEM, make_user, sign_in

STAFF_PAGES = ["/dashboard", "/admin/users", "/admin/teams", "/admin/audit", "/admin/jobs"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_customer_cannot_reach_staff_pages(client: TestClient, db: Session, path: str) -> None:
    make_user(db, "zhou.min", Role.CUSTOMER)
    sign_in(client, "zhou.min")
    response = client.get(path)
    assert response.status_code == 403
    assert "You do not have permission" in response.text


def test_customer_lands_on_their_account_and_has_no_staff_navigation(
    client: TestClient, db: Session
) -> None:
    make_user(db, "zhou.min", Role.CUSTOMER)
    sign_in(client, "zhou.min")
    assert client.get("/").headers["location"] == "/account"
    page = client.get("/account")
    assert page.status_code == 200
    assert "/dashboard" not in page.text
    assert "/admin/" not in page.text


def test_employee_sees_dashboard_but_not_admin_pages(client: TestClient, db: Session) -> None:
    make_user(db, "pm.liu", Role.EMPLOYEE)
    sign_in(client, "pm.liu")
    assert client.get("/dashboard").status_code == 200
    assert "/admin/users" not in client.get("/dashboard").text
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_admin_navigation_lists_only_working_areas(client: TestClient, db: Session) -> None:
    make_user(db, "root1", Role.ADMIN)
    sign_in(client, "root1")
    page = client.get("/dashboard").text
    for path in STAFF_PAGES:
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200


def test_anonymous_api_call_gets_a_problem_document(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "signin-required"


def _content_table(db: Session) -> Table:
    """A stand-in for any area's content table: visibility plus an owning team."""
    table = Table(
        "visibility_probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("visibility", String(16)),
        Column("team_id", Integer, nullable=True),
    )
    table.create(db.get_bind())
    return table


def test_visibility_is_filtered_inside_the_query(db: Session) -> None:
    support = service.create_team(db, SYSTEM, "Support")
    sales = service.create_team(db, SYSTEM, "Sales")
    table = _content_table(db)
    rows = [
        ("public", None),
        ("customers", None),
        ("internal", None),
        ("team", support.id),
        ("team", sales.id),
    ]
    db.execute(insert(table), [{"visibility": v, "team_id": t} for v, t in rows])

    def visible(viewer: Viewer) -> list[tuple[str, int | None]]:
        query = select(table.c.visibility, table.c.team_id).where(
            visibility_clause(viewer, table.c.visibility, table.c.team_id)  # type: ignore[arg-type]
        )
        return sorted((row[0], row[1]) for row in db.execute(query.order_by(table.c.id)))

    def viewer(role: Role | None, teams: set[int] = frozenset()) -> Viewer:  # type: ignore[assignment]
        return Viewer(
            user_id=None if role is None else 1, username="x", role=role, team_ids=frozenset(teams)
        )

    assert visible(Viewer.anonymous()) == [("public", None)]
    assert visible(viewer(Role.CUSTOMER)) == [("customers", None), ("public", None)]
    agent = visible(viewer(Role.AGENT, {support.id}))
    assert ("team", support.id) in agent
    assert ("team", sales.id) not in agent
    assert ("internal", None) in agent
    assert len(visible(viewer(Role.EMPLOYEE))) == 3  # no team: no team-restricted rows
    assert len(visible(viewer(Role.KNOWLEDGE_MANAGER))) == 5
    assert len(visible(viewer(Role.ADMIN))) == 5
