"""Everything a process needs, built once from Settings: database, sessions, queue."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ckhub.areas import load_models, load_tasks
from ckhub.db.engine import make_engine, make_session_factory
from ckhub.jobs.queue import JobQueue
from ckhub.jobs.schedule import register_schedule
from ckhub.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    queue: JobQueue

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(settings: Settings) -> Runtime:
    settings.ensure_secret_key()
    logging.getLogger("ckhub").setLevel(settings.log_level.upper())
    load_models()
    load_tasks()
    engine = make_engine(settings)
    factory = make_session_factory(engine, settings)
    queue = JobQueue(settings, factory)
    register_schedule(queue)
    return Runtime(settings=settings, engine=engine, session_factory=factory, queue=queue)
