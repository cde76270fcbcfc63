"""Each message's audit row names its outbox message: the receipt of an accepted try.

A worker sends a batch of claimed messages and writes each try's audit row as soon as
the server answers, on a connection of its own, before the batch's outcomes are written
on the outbox rows. An ``outbox_id`` with a ``message sent`` row is then the receipt of
a message the server accepted, so a worker stopped before it recorded the batch leaves
nothing that is sent twice: the next worker finds the receipt and records the message
as sent instead of sending it again.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket_audit") as table:
        table.add_column(sa.Column("outbox_id", sa.Integer(), nullable=True))
    op.create_index(
        "ix_ticket_audit_outbox_id",
        "ticket_audit",
        ["outbox_id"],
        postgresql_where=sa.text("outbox_id IS NOT NULL"),
        sqlite_where=sa.text("outbox_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_audit_outbox_id", table_name="ticket_audit")
    with op.batch_alter_table("ticket_audit") as table:
        table.drop_column("outbox_id")
