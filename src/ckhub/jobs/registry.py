"""The registry of job kinds. Areas register handlers at import; the queue runs them by name.

Handlers are plain functions of a `JobContext`, so they run the same under a Huey consumer, in
immediate mode (tests) and from the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ckhub.settings import Settings


@dataclass
class JobContext:
    job_id: int
    params: dict[str, Any]
    settings: Settings
    session_factory: sessionmaker[Session]
    report: Callable[[int, int, str], None]

    def progress(self, done: int, total: int = 0, message: str = "") -> None:
        """Record progress; cheap enough to call every few hundred rows."""
        self.report(done, total, message)


JobHandler = Callable[[JobContext], dict[str, Any]]
HANDLERS: dict[str, JobHandler] = {}


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    def register(handler: JobHandler) -> JobHandler:
        if kind in HANDLERS and HANDLERS[kind] is not handler:
            raise RuntimeError(f"job kind {kind!r} is registered twice")
        HANDLERS[kind] = handler
        return handler

    return register
