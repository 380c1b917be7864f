"""What every CLI command needs: a checked runtime, a migrated database, a clean failure."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError

from ckhub.errors import ConfigurationError, Problem
from ckhub.runtime import Runtime, build_runtime
from ckhub.settings import Settings


def open_runtime() -> Runtime:
    """Settings from the environment, checked; exits with the reason when they are unsafe."""
    try:
        return build_runtime(Settings())
    except ConfigurationError as error:
        typer.secho(f"Configuration error: {error}", fg="red", err=True)
        raise typer.Exit(2) from None
    except ValidationError as error:  # a setting of the wrong form: say which, not a traceback
        for problem in error.errors():
            variable = "CKHUB_" + "_".join(str(part) for part in problem["loc"]).upper()
            message = str(problem["msg"]).removeprefix("Value error, ")
            typer.secho(f"Configuration error: {variable}: {message}", fg="red", err=True)
        raise typer.Exit(2) from None


def fail(problem: Problem) -> typer.Exit:
    typer.secho(problem.detail, fg="red", err=True)
    return typer.Exit(1)


def prepare_database(runtime: Runtime) -> None:
    from ckhub.db.migrate import upgrade

    upgrade(runtime.engine)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A terminal progress bar fed by the (done, total) callbacks that services take."""
    with typer.progressbar(length=1, label=label) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, done, 1)
            bar.update(done - bar.pos)

        yield progress
