"""`ckhub articles import`: help-center articles from a folder of Markdown files."""

from __future__ import annotations

from pathlib import Path

import typer

from ckhub.auth.permissions import Viewer, Visibility
from ckhub.cli_support import fail, open_runtime, prepare_database
from ckhub.errors import Problem

articles = typer.Typer(name="articles", help="Help-center articles.", no_args_is_help=True)
GROUPS = [articles]


@articles.command("import")
def import_folder(
    folder: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of .md files."),
    section: str = typer.Option(..., help="Where they go: category/section, e.g. tablets/sync."),
    visibility: str = typer.Option(
        Visibility.INTERNAL.value,
        help="public, customers, internal or team (front matter may set it per file).",
    ),
    submit: bool = typer.Option(False, help="Submit new and changed articles for review."),
    publish: bool = typer.Option(
        False, help="Publish them (only where the category does not require review)."
    ),
) -> None:
    """Create or update one article per file (slug.md, or slug.zh.md + slug.en.md)."""
    from ckhub.helpcenter.folder_import import import_article_folder

    runtime = open_runtime()
    prepare_database(runtime)
    then = "publish" if publish else "submit" if submit else ""
    with runtime.session_factory() as session:
        try:
            report = import_article_folder(
                session, Viewer.system("cli"), folder, section, visibility, then
            )
        except Problem as problem:
            raise fail(problem) from None
    for label, slugs in [
        ("created", report.created),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("published", report.published),
        ("submitted for review", report.submitted),
    ]:
        if slugs:
            typer.echo(
                f"{label}: {len(slugs)} ({', '.join(slugs[:10])}{' …' if len(slugs) > 10 else ''})"
            )
    for where, reason in report.errors:
        typer.echo(f"error: {where}: {reason}", err=True)
    if report.errors:
        raise typer.Exit(1)
