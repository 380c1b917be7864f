"""`ckhub demo`: load the demo workspace and print how to sign in."""

from __future__ import annotations

from pathlib import Path

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
    customers: int = typer.Option(200, help="How many demo customers."),
    entries: int = typer.Option(1500, help="How many everyday entries (storylines come on top)."),
    reviews: Path | None = typer.Option(
        None,
        exists=True,
        dir_okay=False,
        help="A CSV of labelled reviews (cat,label,review) to add as the e-commerce channel, "
        "e.g. ../shared/data/online_shopping_10_cats.csv",
    ),
    reviews_limit: int = typer.Option(3000, help="At most this many reviews."),
) -> None:
    """Load the demo workspace (people, customers, a year of knowledge, usage) and print the
    admin login."""
    from ckhub.demo.feedback import load_demo_feedback
    from ckhub.demo.generator import DemoGenerator
    from ckhub.demo.helpcenter import load_demo_articles
    from ckhub.demo.knowledge import load_demo_knowledge
    from ckhub.demo.reviews import load_reviews
    from ckhub.insights.analysis import analyze_all
    from ckhub.ml.embedders import get_embedder
    from ckhub.timeutil import utcnow

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
        embedder = get_embedder(runtime.settings.embedder)
        data = DemoGenerator(utcnow(), customers=customers, entries=entries).generate()
        with typer.progressbar(length=len(data.entries), label="Demo knowledge") as bar:
            counts = load_demo_knowledge(
                session, data, embedder, lambda done, total: bar.update(done - bar.pos)
            )
        counts |= load_demo_articles(session, runtime.settings)
        if reviews is not None:
            with typer.progressbar(length=reviews_limit, label="Reviews") as bar:
                counts["reviews"] = load_reviews(
                    session,
                    reviews,
                    reviews_limit,
                    embedder,
                    lambda done: bar.update(done - bar.pos),
                )
        typer.echo("Reading sentiment, aspects and topics…")
        analysis = analyze_all(session, embedder.name)
        counts["topics"] = analysis.topics.topics
        counts |= load_demo_feedback(session, runtime.settings, embedder)
    typer.echo("Demo workspace loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
    _print_logins(logins.admin_username, logins.admin_password, logins.staff_password)


def _print_logins(admin: str, admin_password: str, staff_password: str) -> None:
    typer.secho(f"\n  Admin login:  {admin} / {admin_password}", fg="green", bold=True)
    typer.echo(
        f"  Other demo people (km.wang, agent.li, sales.chen, customer.zhou …): "
        f"password {staff_password}\n"
    )


GROUPS: list[typer.Typer] = []
COMMANDS = [demo]
