"""Publishing as a background job: ``publish_jobs``, each request to publish a version,
run by the worker (queued, running, done, failed; progress, who asked and when, why it
failed), with at most one queued or running job per version.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

ACTIVE = "state IN ('queued', 'running')"


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "publish_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        _when("effective_at"),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        _when("requested_at", nullable=False),
        _when("started_at"),
        _when("finished_at"),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_publish_jobs_state")
        ),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_publish_jobs_progress")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_publish_jobs_version_id_policy_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_publish_jobs_requested_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publish_jobs")),
    )
    op.create_index(
        "ix_publish_jobs_one_active",
        "publish_jobs",
        ["version_id"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )
    op.create_index("ix_publish_jobs_state_requested_at", "publish_jobs", ["state", "requested_at"])


def downgrade() -> None:
    op.drop_index("ix_publish_jobs_state_requested_at", table_name="publish_jobs")
    op.drop_index("ix_publish_jobs_one_active", table_name="publish_jobs")
    op.drop_table("publish_jobs")
