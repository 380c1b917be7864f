"""Calls' and chats' feeling is read again from what the customer said.

Their sentiment was read from the whole transcript, the agent's courtesies included. Clearing it
lets the every-minute job score them again (knowledge/sentiment.py, from the stored vectors and,
for transcripts, the customer's words); their aspects are read again after (reader 3). Staff
corrections still hold: they judged the entry's text, which has not changed.

Revision ID: 0027_transcript_feeling
Revises: 0026_aspect_grouping_state
Create Date: 2026-11-23 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027_transcript_feeling"
down_revision: str | None = "0026_aspect_grouping_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE knowledge_entries SET sentiment = NULL, sentiment_score = NULL "
        "WHERE channel IN ('call', 'chat')"
    )


def downgrade() -> None:
    """Nothing to undo: the job scores them again either way."""
