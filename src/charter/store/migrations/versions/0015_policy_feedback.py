"""Ratings of the public charter's sections: clear? fair? and an optional comment.

Anonymous: the visitor's address is kept only as a keyed hash, to limit how often one
address may send.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=80), nullable=False),
        sa.Column("clear", sa.Boolean(), nullable=True),
        sa.Column("fair", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_policy_feedback_version_id_policy_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_feedback")),
    )
    op.create_index(
        "ix_policy_feedback_address_created_at", "policy_feedback", ["address_hash", "created_at"]
    )
    op.create_index(
        "ix_policy_feedback_version_section", "policy_feedback", ["version_id", "section"]
    )


def downgrade() -> None:
    op.drop_index("ix_policy_feedback_version_section", table_name="policy_feedback")
    op.drop_index("ix_policy_feedback_address_created_at", table_name="policy_feedback")
    op.drop_table("policy_feedback")
