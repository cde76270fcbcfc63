"""Pilots: the group and period a version in pilot is tried on, and how the pilot ended.

``policy_versions`` gains ``pilot_kind`` (team, segment, channel, customer or agent),
``pilot_values`` (the group's values, JSON text), ``pilot_starts_at`` and
``pilot_ends_at`` (the period: the group's tickets created in it are judged under the
version) and ``pilot_outcome`` (null while the pilot runs, then ``published`` or
``abandoned``). Versions piloted before this revision have no group: they judged no
ticket, and still judge none.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

COLUMNS = ("pilot_kind", "pilot_values", "pilot_starts_at", "pilot_ends_at", "pilot_outcome")


def upgrade() -> None:
    # Plain ADD COLUMNs: no table copy on SQLite, so the partial unique index stays.
    instant = sa.DateTime(timezone=True)
    values = sa.Text().with_variant(sa.JSON(), "sqlite")
    op.add_column("policy_versions", sa.Column("pilot_kind", sa.String(16), nullable=True))
    op.add_column("policy_versions", sa.Column("pilot_values", values, nullable=True))
    op.add_column("policy_versions", sa.Column("pilot_starts_at", instant, nullable=True))
    op.add_column("policy_versions", sa.Column("pilot_ends_at", instant, nullable=True))
    op.add_column("policy_versions", sa.Column("pilot_outcome", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("policy_versions") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
