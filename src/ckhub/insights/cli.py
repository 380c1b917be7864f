"""`ckhub topics …`: refresh and list the topics found among the entries."""

from __future__ import annotations

import typer
from sqlalchemy import select

from ckhub.cli_support import open_runtime, prepare_database

topics = typer.Typer(name="topics", help="Topics found among the entries.", no_args_is_help=True)


@topics.command("refresh")
def refresh() -> None:
    """Cluster every embedded entry again; topic ids, names, merges and splits are kept."""
    from ckhub.insights.topic_refresh import refresh_topics

    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session:
        run = refresh_topics(session, runtime.settings.embedder)
    typer.echo(
        f"{run.topics} topics over {run.entries} entries ({run.new_topics} new, "
        f"{run.unassigned} entries unassigned) in {run.seconds:.1f} s."
    )


@topics.command("list")
def list_topics() -> None:
    """Active topics, largest first: id, size, name or keywords."""
    from ckhub.insights.models import Topic

    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session:
        for topic in session.scalars(
            select(Topic).where(Topic.status == "active").order_by(Topic.size.desc())
        ):
            typer.echo(f"{topic.id:>6}  {topic.size:>7}  {topic.title}")


GROUPS: list[typer.Typer] = [topics]
