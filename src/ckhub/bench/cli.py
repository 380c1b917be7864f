"""`ckhub bench …`: benchmarks that print JSON (quoted in docs/benchmarks.md)."""

from __future__ import annotations

import json
import warnings

import typer

bench_app = typer.Typer(name="bench", help="Measure ckhub; prints JSON.", no_args_is_help=True)


@bench_app.command("web")
def web(
    requests: int = typer.Option(300, help="Requests per measured page."),
    database_url: str = typer.Option("", help="Measure on this database instead of SQLite."),
) -> None:
    """Latency of sign-in, pages and the API on a fresh temporary workspace."""
    # Starlette nudges TestClient users towards an httpx successor; the in-process client is fine.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from ckhub.bench.web import run_web_bench

    typer.echo(json.dumps(run_web_bench(requests, database_url), indent=2))


GROUPS = [bench_app]
