"""`ckhub demo`: load the demo workspace and print how to sign in."""

from __future__ import annotations

import typer

from ckhub.cli_support import fail, open_runtime, prepare_database
from ckhub.demo.service import (
    admin_login_still_valid,
    build_demo_workspace,
    demo_loaded,
    saved_logins,
)
from ckhub.errors import Problem


def demo(
    once: bool = typer.Option(False, help="Do nothing (but print the login) if already loaded."),
) -> None:
    """Load the demo workspace into an empty workspace and print the admin login."""
    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session:
        if once and demo_loaded(session):
            logins = saved_logins(runtime.settings)
            if logins and admin_login_still_valid(session, logins):
                _print_logins(logins.admin_username, logins.admin_password, logins.staff_password)
            else:
                typer.echo(
                    "Demo workspace already loaded. The admin password was changed; "
                    "reset it with `ckhub user reset-password admin`."
                )
            return
        try:
            logins = build_demo_workspace(session, runtime.settings)
        except Problem as problem:
            raise fail(problem) from None
    typer.echo("Demo workspace loaded.")
    _print_logins(logins.admin_username, logins.admin_password, logins.staff_password)


def _print_logins(admin: str, admin_password: str, staff_password: str) -> None:
    typer.secho(f"\n  Admin login:  {admin} / {admin_password}", fg="green", bold=True)
    typer.echo(
        f"  Other demo people (km.wang, agent.li, sales.chen, customer.zhou …): "
        f"password {staff_password}\n"
    )


GROUPS: list[typer.Typer] = []
COMMANDS = [demo]
