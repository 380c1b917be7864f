"""Which shipped sentiment model a retrained one was fitted beside.

Rows from before have none: a retrained model with a character change is then taken to belong to
an earlier shipped model and the shipped one is used until the next retraining
(knowledge/sentiment_models.py).

Revision ID: 0023_sentiment_trained_against
Revises: 0022_sentiment_learned_parts
Create Date: 2026-11-23 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0023_sentiment_trained_against"
down_revision: str | None = "0022_sentiment_learned_parts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trained_sentiment_models", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trained_against", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trained_sentiment_models", schema=None) as batch_op:
        batch_op.drop_column("trained_against")
