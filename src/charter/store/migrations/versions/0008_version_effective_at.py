"""Each published version has an effective instant: when it comes into force.

``policy_versions.effective_at`` is the instant from which a version governs the
tickets created (its publish instant, or a later one chosen when publishing); it is
null for a version that never came into force. A version in force stops at its
``retired_at``. Versions published before this revision took effect when they were
published, so their ``effective_at`` is their ``published_at``.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: no table copy on SQLite, so the partial unique index stays.
    op.add_column(
        "policy_versions", sa.Column("effective_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(
        sa.text(
            "UPDATE policy_versions SET effective_at = published_at "
            "WHERE published_at IS NOT NULL AND status IN ('published', 'retired')"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("policy_versions") as batch:
        batch.drop_column("effective_at")
