"""Themes found in comments, as managers named and merged them, and keyword rules pinned to clauses.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _keyed(table: str, *columns: sa.Column[object], by: str) -> None:
    """A table of decisions kept per policy and theme key, with who made them."""
    op.create_table(
        table,
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("theme_key", sa.String(length=400), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policies.id"],
            name=op.f(f"fk_{table}_policy_id_policies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [by], ["users.id"], name=op.f(f"fk_{table}_{by}_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("policy_id", "theme_key", name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    _keyed(
        "feedback_theme_names",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("named_by", sa.Integer(), nullable=True),
        sa.Column("named_at", sa.DateTime(timezone=True), nullable=False),
        by="named_by",
    )
    _keyed(
        "feedback_theme_merges",
        sa.Column("into_key", sa.String(length=400), nullable=False),
        sa.Column("merged_by", sa.Integer(), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        by="merged_by",
    )
    op.create_table(
        "feedback_pins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(length=200), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("pinned_by", sa.Integer(), nullable=True),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policies.id"],
            name=op.f("fk_feedback_pins_policy_id_policies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pinned_by"],
            ["users.id"],
            name=op.f("fk_feedback_pins_pinned_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_pins")),
    )
    op.create_index("ix_feedback_pins_policy_id", "feedback_pins", ["policy_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_pins_policy_id", table_name="feedback_pins")
    op.drop_table("feedback_pins")
    op.drop_table("feedback_theme_merges")
    op.drop_table("feedback_theme_names")
