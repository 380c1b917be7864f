"""How an entry's aspects were read, so that a better reader reads them again.

Rows from before were read by the first reader (1).

Revision ID: 0025_aspect_reader_version
Revises: 0024_learned_question_teacher
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0025_aspect_reader_version"
down_revision: str | None = "0024_learned_question_teacher"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entry_aspect_states", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reader_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("entry_aspect_states", schema=None) as batch_op:
        batch_op.drop_column("reader_version")
