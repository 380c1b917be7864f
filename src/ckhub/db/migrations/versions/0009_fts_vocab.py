"""token statistics of the SQLite full-text index

An fts5vocab table over entry_fts tells how many entries hold each token, so a search can leave
out tokens nearly every entry has (see ckhub.search.lexical). Made by hand like entry_fts
(ckhub.db.handmade). PostgreSQL needs nothing.

Revision ID: 0009_fts_vocab
Revises: 0008_issue_type_keywords
Create Date: 2026-11-22 10:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_fts_vocab"
down_revision: str | None = "0008_issue_type_keywords"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE entry_fts_vocab USING fts5vocab(entry_fts, 'row')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS entry_fts_vocab")
