"""Which rule the aspect groups were made by, so that a better rule groups them again.

Revision ID: 0026_aspect_grouping_state
Revises: 0025_aspect_reader_version
Create Date: 2026-11-23 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ckhub.db.types import UTCDateTime


revision: str = "0026_aspect_grouping_state"
down_revision: str | None = "0025_aspect_reader_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "aspect_grouping_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("regrouped_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aspect_grouping_state")),
    )


def downgrade() -> None:
    op.drop_table("aspect_grouping_state")
