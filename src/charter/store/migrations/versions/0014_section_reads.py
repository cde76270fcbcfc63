"""Onboarding: the handbook sections each person marked as read, per version.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "section_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=80), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_section_reads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_section_reads_version_id_policy_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "version_id", "section", name=op.f("pk_section_reads")),
    )


def downgrade() -> None:
    op.drop_table("section_reads")
