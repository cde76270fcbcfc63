"""Escalations run live: the plan, the firings, the outbox, the audit trail, the workers.

- ``escalation_plans``: the levels each open ticket still has to reach, with when each
  falls due and is delivered (derived, replaced when the ticket is judged again).
- ``escalation_firings``: one row per (ticket, metric, level, version) that fired; its
  primary key is what makes a level fire once, written in the same transaction as the
  messages in ``outbox``.
- ``outbox``: each message a fired level sends, until delivered or dead-lettered.
- ``ticket_audit``: what happened to each ticket's escalations and messages.
- ``worker_ticks``: each worker's last tick.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TICKET_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "escalation_plans",
        sa.Column("ticket_id", TICKET_ID, nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("level_id", sa.String(length=100), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("due_at", INSTANT, nullable=True),
        sa.Column("deliver_at", INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", "metric", "level_id", name="pk_escalation_plans"),
    )
    op.create_index("ix_escalation_plans_deliver_at", "escalation_plans", ["deliver_at"])
    op.create_table(
        "escalation_firings",
        sa.Column("ticket_id", TICKET_ID, nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("level_id", sa.String(length=100), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("fired_at", INSTANT, nullable=False),
        sa.Column("due_at", INSTANT, nullable=True),
        sa.Column("deliver_at", INSTANT, nullable=True),
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint(
            "ticket_id", "metric", "level_id", "version_id", name="pk_escalation_firings"
        ),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", TICKET_ID, nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("level_id", sa.String(length=100), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_try_at", INSTANT, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("sent_at", INSTANT, nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'dead', 'withdrawn')", name=op.f("ck_outbox_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_state_next_try_at", "outbox", ["state", "next_try_at"])
    op.create_index(op.f("ix_outbox_ticket_id"), "outbox", ["ticket_id"])
    op.create_table(
        "ticket_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", TICKET_ID, nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=True),
        sa.Column("level_id", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_audit")),
    )
    op.create_index(op.f("ix_ticket_audit_ticket_id"), "ticket_audit", ["ticket_id"])
    op.create_table(
        "worker_ticks",
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("started_at", INSTANT, nullable=False),
        sa.Column("last_tick_at", INSTANT, nullable=False),
        sa.Column("tick_seconds", sa.Double(), nullable=False),
        sa.Column("ticks", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("worker", name=op.f("pk_worker_ticks")),
    )


def downgrade() -> None:
    op.drop_table("worker_ticks")
    op.drop_index(op.f("ix_ticket_audit_ticket_id"), table_name="ticket_audit")
    op.drop_table("ticket_audit")
    op.drop_index(op.f("ix_outbox_ticket_id"), table_name="outbox")
    op.drop_index("ix_outbox_state_next_try_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("escalation_firings")
    op.drop_index("ix_escalation_plans_deliver_at", table_name="escalation_plans")
    op.drop_table("escalation_plans")
