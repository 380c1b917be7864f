"""The migrations and the models describe the same schema, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from ckhub.db.base import Base
from ckhub.db.handmade import include_object
from ckhub.db.migrate import current_revision, head_revision
from ckhub.runtime import Runtime


def test_models_match_migrations(runtime: Runtime) -> None:
    with runtime.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": include_object},
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "models and migrations disagree: run `make migration`"


def test_database_is_at_head(runtime: Runtime) -> None:
    assert current_revision(runtime.engine) == head_revision(runtime.engine)
