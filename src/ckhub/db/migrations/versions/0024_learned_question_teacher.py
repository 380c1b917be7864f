"""Who taught a learned question (a user, or a keyed hash of an anonymous visitor's address), so
no one teacher can fill an article's learned questions (helpcenter/learning.py).

Rows from before have none and count as before.

Revision ID: 0024_learned_question_teacher
Revises: 0023_sentiment_trained_against
Create Date: 2026-11-23 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0024_learned_question_teacher"
down_revision: str | None = "0023_sentiment_trained_against"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("article_learned_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("teacher", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("article_learned_questions", schema=None) as batch_op:
        batch_op.drop_column("teacher")
