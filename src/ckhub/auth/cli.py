"""`ckhub user …`: manage accounts from the command line (as the system, audited)."""

from __future__ import annotations

import getpass
import json

import typer
from sqlalchemy.orm import Session

from ckhub.auth import service
from ckhub.auth.models import User
from ckhub.auth.permissions import Role, Viewer
from ckhub.cli_support import fail, open_runtime, prepare_database
from ckhub.errors import Problem

user_app = typer.Typer(name="user", help="Create and manage users.", no_args_is_help=True)
CLI_ACTOR = Viewer.system("cli")


def _ask_password(password: str | None) -> str:
    if password:
        return password
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise fail(Problem("password-mismatch", "The passwords do not match."))
    return first


def _find(session: Session, login: str) -> User:
    user = service.find_user_by_login(session, login)
    if user is None:
        raise fail(Problem("not-found", "No user “{login}”.", 404, login=login))
    return user


@user_app.command("create")
def create(
    username: str,
    role: str = typer.Option("employee", help=f"One of: {', '.join(r.value for r in Role)}."),
    email: str = typer.Option("", help="E-mail address (also accepted at sign-in)."),
    name: str = typer.Option("", help="Display name."),
    team: list[str] = typer.Option([], help="Team name; repeat for several."),
    password: str = typer.Option(
        None, help="Password; asked for when omitted (prefer that: shell history keeps options)."
    ),
) -> None:
    """Create a user."""
    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session:
        try:
            team_ids = []
            for team_name in team:
                found = service.get_team_by_name(session, team_name)
                if found is None:
                    raise Problem("not-found", "No team “{name}”.", 404, name=team_name)
                team_ids.append(found.id)
            user = service.create_user(
                session,
                CLI_ACTOR,
                username=username,
                password=_ask_password(password),
                role=role,
                display_name=name,
                email=email or None,
                team_ids=team_ids,
            )
        except Problem as problem:
            raise fail(problem) from None
        typer.echo(f"Created {user.username} ({user.role}).")


@user_app.command("list")
def list_users(
    role: str = typer.Option("", help="Only this role."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines."),
) -> None:
    """List users."""
    runtime = open_runtime()
    with runtime.session_factory() as session:
        for user in service.list_users(session, role=role):
            teams = [m.team.name for m in user.memberships]
            if as_json:
                row = {
                    "id": user.id,
                    "username": user.username,
                    "email": user.email,
                    "role": user.role,
                    "active": user.is_active,
                    "teams": teams,
                }
                typer.echo(json.dumps(row, ensure_ascii=False))
            else:
                state = "" if user.is_active else "  (deactivated)"
                typer.echo(
                    f"{user.username:<24} {user.role:<18} {user.email or '':<32} "
                    f"{', '.join(teams)}{state}"
                )


@user_app.command("set-role")
def set_role(login: str, role: str) -> None:
    """Change a user's role."""
    runtime = open_runtime()
    with runtime.session_factory() as session:
        try:
            user = service.set_role(session, CLI_ACTOR, _find(session, login).id, role)
        except Problem as problem:
            raise fail(problem) from None
        typer.echo(f"{user.username} is now {user.role}.")


@user_app.command("reset-password")
def reset_password(
    login: str,
    password: str = typer.Option(None, help="New password; asked for when omitted."),
) -> None:
    """Set a new password for a user and end their sessions."""
    runtime = open_runtime()
    with runtime.session_factory() as session:
        try:
            user = service.reset_password(
                session, CLI_ACTOR, _find(session, login).id, _ask_password(password)
            )
        except Problem as problem:
            raise fail(problem) from None
        typer.echo(f"Password of {user.username} reset.")


GROUPS = [user_app]
