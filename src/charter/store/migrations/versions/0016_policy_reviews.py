"""The review cycle: each review recorded with its outcome and the next date it set,
and the keys that send each reminder to the review's owner once.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("draft_number", sa.Integer(), nullable=True),
        sa.Column("next_review", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('no_change', 'new_draft')", name=op.f("ck_policy_reviews_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policies.id"],
            name=op.f("fk_policy_reviews_policy_id_policies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_policy_reviews_version_id_policy_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["users.id"],
            name=op.f("fk_policy_reviews_reviewer_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_reviews")),
    )
    op.create_index("ix_policy_reviews_policy_id", "policy_reviews", ["policy_id"])
    op.create_table(
        "review_reminders",
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policies.id"],
            name=op.f("fk_review_reminders_policy_id_policies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "policy_id", "next_review", "day", name=op.f("pk_review_reminders")
        ),
    )


def downgrade() -> None:
    op.drop_table("review_reminders")
    op.drop_index("ix_policy_reviews_policy_id", table_name="policy_reviews")
    op.drop_table("policy_reviews")
