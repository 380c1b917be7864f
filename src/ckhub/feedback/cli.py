"""`ckhub feedback …` (create, move, merge and list items) and `ckhub report feedback` (a
team's weekly report, as the e-mail says it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import typer
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.cli_support import fail, open_runtime, prepare_database
from ckhub.errors import Problem
from ckhub.runtime import Runtime

CLI_VIEWER = Viewer.system("cli")
feedback = typer.Typer(name="feedback", help="Feedback items: requests, complaints, bugs.",
                       no_args_is_help=True)  # fmt: skip
report = typer.Typer(name="report", help="Reports, printed as the e-mails say them.",
                     no_args_is_help=True)  # fmt: skip
T = TypeVar("T")


@contextmanager
def _session() -> Iterator[tuple[Runtime, Session]]:
    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session:
        yield runtime, session


def _run(action: Callable[[], T]) -> T:
    """A refused action prints its reason and exits with 1, like every ckhub command."""
    try:
        return action()
    except Problem as problem:
        raise fail(problem) from problem


@feedback.command("create")
def create(
    title: str = typer.Argument(..., help="What is asked for, in a line."),
    kind: str = typer.Option("feature_request", help="feature_request, complaint, bug, praise…"),
    entry: int = typer.Option(0, help="The entry it comes from: its customer becomes a requester."),
    description: str = typer.Option("", help="More detail."),
    public: bool = typer.Option(False, help="Show it on the public roadmap."),
) -> None:
    """Create an item (routed by the routing rules) and print its number."""
    from ckhub.feedback.service import ItemInput, create_item
    from ckhub.ml.embedders import get_embedder

    with _session() as (runtime, session):
        data = ItemInput(title=title, kind=kind, description=description, is_public=public,
                         entry_id=entry or None)  # fmt: skip
        item = _run(lambda: create_item(session, runtime.settings, CLI_VIEWER, data,
                                        get_embedder(runtime.settings.embedder)))  # fmt: skip
        typer.echo(f"#{item.id} {item.title}")


@feedback.command("status")
def move(
    item: int = typer.Argument(..., help="The item's number."),
    status: str = typer.Argument(..., help="new, under_review, planned, in_progress, shipped…"),
    note: str = typer.Option("", help="What changed: requesters read it when shipped/declined."),
) -> None:
    """Move an item; reaching shipped or declined tells every requester."""
    from ckhub.feedback.workflow import change_status

    with _session() as (runtime, session):
        _run(lambda: change_status(session, runtime.settings, CLI_VIEWER, item, status, note))
        typer.echo(f"#{item} → {status}")


@feedback.command("merge")
def merge(
    duplicate: int = typer.Argument(..., help="The item that duplicates another."),
    target: int = typer.Argument(..., help="The item it duplicates."),
) -> None:
    """Merge a duplicate into its target (requesters, votes, comments move; undo on its page)."""
    from ckhub.feedback.merging import merge_items

    with _session() as (runtime, session):
        merged = _run(lambda: merge_items(session, runtime.settings, CLI_VIEWER, duplicate, target))
        typer.echo(f"#{duplicate} → #{target} (merge {merged.id})")


@feedback.command("list")
def list_command(
    state: str = typer.Option("open", help="open, overdue, closed, all, or a status key."),
    sort: str = typer.Option("impact", help="impact, due, newest, updated."),
) -> None:
    """Items as a table: number, impact, requesters, status, title."""
    from ckhub.feedback.queries import ItemFilters, list_items

    with _session() as (_runtime, session):
        filters = ItemFilters.from_params({"state": state, "sort": sort})
        for row in list_items(session, CLI_VIEWER, filters):
            typer.echo(f"#{row.item.id:<6} {row.item.impact:>7} {row.item.requester_count:>4}  "
                       f"{row.status.key:<12} {row.item.title}")  # fmt: skip


@report.command("feedback")
def feedback_report(
    team: str = typer.Option(..., help="The team's name or number."),
    week: str = typer.Option("", help="2026-W46 or a date in the week; default: last week."),
    language: str = typer.Option("", help="zh or en; default: CKHUB_DEFAULT_LOCALE."),
) -> None:
    """A team's weekly feedback report: new, highest impact, stuck and shipped items."""
    from ckhub.feedback.report import parse_week, report_text, team_by_name_or_id, team_report
    from ckhub.workdays import today_of

    with _session() as (runtime, session):
        chosen = _run(lambda: team_by_name_or_id(session, team))
        monday = _run(lambda: parse_week(week, today_of(session)))
        settings = runtime.settings
        chosen_report = team_report(session, chosen, monday)
        typer.echo(
            report_text(chosen_report, language or settings.default_locale, settings.base_url)
        )


GROUPS: list[typer.Typer] = [feedback, report]
