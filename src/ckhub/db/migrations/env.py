"""Alembic environment: migrates the database of the Settings (or the URL it is given)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ckhub.areas import load_models
from ckhub.db.base import Base
from ckhub.db.handmade import include_object

load_models()
target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through `ckhub init` (ckhub.db.migrate), not alembic directly"
    )
run_migrations(connection)
