"""issue type owner team

Revision ID: 0015_issue_type_owner_team
Revises: 0014_aspects
Create Date: 2026-11-22 15:22:15.150660
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ckhub.db.types


revision: str = "0015_issue_type_owner_team"
down_revision: str | None = '0014_aspects'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # On SQLite a plain ADD COLUMN with its reference inline: Alembic cannot add a constraint
    # there except by recreating issue_types, which the entries referring to it forbid.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE issue_types ADD COLUMN owner_team_id INTEGER "
            "REFERENCES teams (id) ON DELETE SET NULL"
        )
        return
    op.add_column("issue_types", sa.Column("owner_team_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "fk_issue_types_owner_team_id_teams",
        "issue_types",
        "teams",
        ["owner_team_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_issue_types_owner_team_id_teams", "issue_types", type_="foreignkey")
    op.drop_column("issue_types", "owner_team_id")
