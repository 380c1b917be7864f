"""The `ckhub` command. Each area adds its own command group (see areas.py)."""

from __future__ import annotations

import logging
import secrets
from importlib import import_module

import typer

from ckhub import __version__
from ckhub.areas import AREAS
from ckhub.cli_support import open_runtime, prepare_database

app = typer.Typer(help="ckhub: the Customer Knowledge Hub.", no_args_is_help=True)


@app.command()
def version() -> None:
    """Print the ckhub version."""
    typer.echo(__version__)


@app.command()
def init(
    print_secret: bool = typer.Option(False, help="Print a new random secret key and exit."),
) -> None:
    """Prepare the workspace: create ./var (or CKHUB_VAR_DIR) and migrate the database."""
    if print_secret:
        typer.echo(secrets.token_urlsafe(48))
        return
    runtime = open_runtime()
    prepare_database(runtime)
    typer.echo(f"Database ready: {runtime.engine.url.render_as_string(hide_password=True)}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    worker: bool = typer.Option(
        True,
        help="Run the job consumer in this process (embedded mode); off with separate workers.",
    ),
) -> None:
    """Serve the web application (and, in embedded mode, run background jobs)."""
    import uvicorn

    from ckhub.app import create_app
    from ckhub.jobs.consumer import start_embedded_consumer

    runtime = open_runtime()
    prepare_database(runtime)
    consumer = None
    if worker and runtime.settings.serve_runs_worker:
        consumer = start_embedded_consumer(runtime)
    typer.echo(f"ckhub {__version__} serving on http://{host}:{port}")
    try:
        uvicorn.run(create_app(runtime=runtime), host=host, port=port, log_level="info")
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


@app.command("worker")
def worker_command(
    threads: int = typer.Option(0, help="Worker threads (default: CKHUB_WORKER_THREADS)."),
    periodic: bool = typer.Option(True, help="Also run the periodic schedule."),
) -> None:
    """Run background jobs in a separate process (use with CKHUB_QUEUE=redis at scale)."""
    from ckhub.jobs.consumer import run_worker

    runtime = open_runtime()
    logging.basicConfig(level=runtime.settings.log_level.upper())
    run_worker(runtime, threads or runtime.settings.worker_threads, periodic)


def _add_area_groups() -> None:
    for area in AREAS:
        try:
            module = import_module(f"ckhub.{area}.cli")
        except ModuleNotFoundError as exc:
            if exc.name != f"ckhub.{area}.cli":
                raise
            continue
        for group in module.GROUPS:
            app.add_typer(group)
        for command in getattr(module, "COMMANDS", []):
            app.command()(command)
        for name, command in getattr(module, "NAMED_COMMANDS", {}).items():
            app.command(name)(command)


_add_area_groups()


def main() -> None:
    app()
