"""Feeling vectors: an entry's feeling is read from its query vector, stored under
"<embedder>:feeling"; the passage vectors of transcripts' customer words ("<embedder>:customer")
are no longer read. Entries get their feeling vector from the embedding job
(knowledge/embedding.py).

Revision ID: 0028_feeling_vectors
Revises: 0027_english_reader_weights
Create Date: 2026-11-24 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_feeling_vectors"
down_revision: str | None = "0027_english_reader_weights"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text("DELETE FROM entry_embeddings WHERE model LIKE :keys").bindparams(keys="%:customer")
    )


def downgrade() -> None:
    # The older code reads a transcript whole until `ckhub reindex` gives it its customer vector.
    op.execute(
        sa.text(
            "DELETE FROM entry_embeddings WHERE model LIKE :keys AND model <> :english"
        ).bindparams(keys="%:feeling", english="mpnet:feeling")
    )
