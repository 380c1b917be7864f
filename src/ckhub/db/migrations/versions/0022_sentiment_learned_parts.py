"""What a retrained sentiment model's character n-gram reader and opinion gate learned from
corrections.

Revision ID: 0022_sentiment_learned_parts
Revises: 0021_feedback_suggestions
Create Date: 2026-11-22 22:29:06.017653
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0022_sentiment_learned_parts"
down_revision: str | None = "0021_feedback_suggestions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trained_sentiment_models", schema=None) as batch_op:
        batch_op.add_column(sa.Column("character_change", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("opinion_weights", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("opinion_bias", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trained_sentiment_models", schema=None) as batch_op:
        batch_op.drop_column("opinion_bias")
        batch_op.drop_column("opinion_weights")
        batch_op.drop_column("character_change")
