"""Ticket syncs that helpdesk webhooks ask for, and the webhook signatures already seen.

- ``sync_requests``: one row per (helpdesk, ticket id) waiting to be synced. A burst of
  webhooks for one ticket keeps one row; each moves ``requested_at`` on, so a webhook
  that arrives while the worker fetches the ticket leaves its request for the next tick.
- ``webhook_signatures``: each accepted webhook's signature with the instant it was
  seen, so a replay inside the time window is refused; older rows are pruned.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_requests",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", "source_id", name=op.f("pk_sync_requests")),
    )
    op.create_index(
        "ix_sync_requests_source_requested_at", "sync_requests", ["source", "requested_at"]
    )
    op.create_table(
        "webhook_signatures",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", "signature", name=op.f("pk_webhook_signatures")),
    )
    op.create_index("ix_webhook_signatures_seen_at", "webhook_signatures", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_signatures_seen_at", table_name="webhook_signatures")
    op.drop_table("webhook_signatures")
    op.drop_index("ix_sync_requests_source_requested_at", table_name="sync_requests")
    op.drop_table("sync_requests")
