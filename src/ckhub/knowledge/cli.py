"""`ckhub search` and `ckhub reindex`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import typer

from ckhub.auth.permissions import Viewer
from ckhub.cli_support import fail, open_runtime, prepare_database, progress_bar
from ckhub.errors import Problem

CLI_VIEWER = Viewer.system("cli")


def search(
    query: str = typer.Argument(..., help="What to look for, in Chinese or English."),
    mode: str = typer.Option("hybrid", help="hybrid, lexical or vector"),
    limit: int = typer.Option(10, help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search the knowledge base (as the system: every entry is visible)."""
    from ckhub.search.engine import engine_for_settings
    from ckhub.search.service import search_entries

    runtime = open_runtime()
    engine = engine_for_settings(runtime.settings)
    with runtime.session_factory() as session:
        try:
            results = search_entries(
                session, engine, CLI_VIEWER, query, mode=mode, limit=limit, surface="cli"
            )
        except Problem as problem:
            raise fail(problem) from None
    if as_json:
        rows = [
            {
                "id": h.entry.id,
                "score": round(h.score, 4),
                "channel": h.entry.channel,
                "source": h.entry.source,
                "source_id": h.entry.source_id,
                "title": h.entry.title,
                "body": h.entry.body[:300],
            }
            for h in results.hits
        ]
        typer.echo(
            json.dumps(
                {"query": results.query, "mode": mode, "hits": rows}, ensure_ascii=False, indent=2
            )
        )
        return
    if not results.hits:
        typer.echo("No results.")
    for rank, hit in enumerate(results.hits, 1):
        text = (hit.entry.title or hit.entry.body).replace("\n", " ")[:80]
        typer.echo(f"{rank:>2}. #{hit.entry.id} [{hit.entry.channel}] {text}")


def reindex() -> None:
    """Recompute search tokens and embeddings of every entry (after upgrades or a new embedder)."""
    from ckhub.knowledge.reindex import reindex_entries
    from ckhub.ml.embedders import get_embedder

    runtime = open_runtime()
    prepare_database(runtime)
    embedder = get_embedder(runtime.settings.embedder)
    with runtime.session_factory() as session, progress_bar("Reindexing") as progress:
        result = reindex_entries(session, embedder, progress)
    typer.echo(f"Reindexed {result['entries']} entries with {embedder.name}.")


def import_command(
    kind: str = typer.Argument(
        ..., help="csv, tsv, xlsx, json, jsonl, zendesk, email, transcript, meeting or usage"
    ),
    path: Path = typer.Argument(
        ..., exists=True, help="The file (or, for transcript and meeting, a folder of files)."
    ),
    source: str = typer.Option(
        "",
        help="Source name (default: the file name); re-imports of "
        "the same source update instead of duplicating.",
    ),
    channel: str = typer.Option("", help="Channel when the file has no channel column."),
    map_: list[str] = typer.Option(
        [], "--map", help="field=column (repeat); join columns with +, e.g. body=问题+回复"
    ),
    visibility: str = typer.Option("internal", help="public, customers, internal or team"),
    team: str = typer.Option("", help="Team name, for visibility team"),
    errors: Path | None = typer.Option(None, help="Write every failed row to this CSV file."),
) -> None:
    """Import a file into the knowledge base, with a progress bar and a per-row error report.

    KIND usage imports product-usage events (customer, event, time; other columns become
    properties) into per-customer signals instead of entries."""
    if kind == "usage":
        _import_usage(path, source or path.stem, map_)
        return
    from ckhub.knowledge.connectors.base import ImportOptions
    from ckhub.knowledge.connectors.mapping import parse_mapping
    from ckhub.knowledge.embedding import embed_pending
    from ckhub.knowledge.imports import import_file
    from ckhub.ml.embedders import get_embedder

    runtime = open_runtime()
    prepare_database(runtime)
    try:
        options = ImportOptions(
            source=source or path.stem,
            channel=channel,
            mapping=parse_mapping(map_),
            timezone=runtime.settings.default_timezone,
            visibility=visibility,
            team=team,
        )
        embedder = get_embedder(runtime.settings.embedder)
        with runtime.session_factory() as session:
            with progress_bar(f"Importing {path.name}") as progress:
                report = import_file(session, CLI_VIEWER, embedder, kind, path, options, progress)
            with progress_bar("Embedding") as progress:
                embed_pending(session, embedder, progress=progress)
    except Problem as problem:
        raise fail(problem) from None
    typer.echo(
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.duplicate} duplicate, {report.failed} failed."
    )
    for error in report.errors[:20]:
        where = f" [{error.field}]" if error.field else ""
        typer.echo(f"  row {error.row}{where}: {error.reason}")
    if report.failed > 20:
        typer.echo(f"  … and {report.failed - 20} more" + ("" if errors else " (see --errors)"))
    if errors:
        with errors.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "field", "reason"])
            writer.writerows((e.row, e.field, e.reason) for e in report.errors)
    if report.failed:
        raise typer.Exit(1)


def _import_usage(path: Path, source: str, pairs: list[str]) -> None:
    from ckhub.usage.service import import_usage

    runtime = open_runtime()
    prepare_database(runtime)
    kind = {".xlsx": "xlsx", ".json": "json", ".jsonl": "jsonl", ".tsv": "tsv"}.get(
        path.suffix.lower(), "csv"
    )
    mapping = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
    with runtime.session_factory() as session:
        try:
            report = import_usage(
                session, CLI_VIEWER, kind, path, source, runtime.settings.default_timezone, mapping
            )
        except Problem as problem:
            raise fail(problem) from None
    typer.echo(
        f"{report.rows} rows: {report.stored} events stored, {report.duplicate} already "
        f"there, {report.failed} failed; signals updated for {report.customers} customers."
    )
    for error in report.errors[:20]:
        typer.echo(f"  row {error.row} [{error.field}]: {error.reason}")
    if report.failed:
        raise typer.Exit(1)


GROUPS: list[typer.Typer] = []
COMMANDS = [search, reindex]
NAMED_COMMANDS = {"import": import_command}
