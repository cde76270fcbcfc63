"""Dashboard aggregates: tickets per day and group, and their response-time histograms.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# As this revision knows them.
METRICS = (
    "first_response", "next_response", "periodic_update", "requester_wait", "agent_work",
    "resolution",
)  # fmt: skip
STATUSES = ("met", "breached", "pending", "at_risk")
COUNTS = (
    "created", "solved", "resolved", "open", "open_breached", "open_at_risk",
    "csat_answers", "csat_positive", "csat_solved", "nps_answers", "nps_promoters",
    "nps_detractors", "first_contact", "with_events",
)  # fmt: skip


def _keys() -> list[sa.Column[object]]:
    return [
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "ticket_daily",
        *_keys(),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        *(
            sa.Column(f"{metric}_{status}", sa.Integer(), nullable=False)
            for metric in METRICS
            for status in STATUSES
        ),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", "channel", "priority", "team", name=op.f("pk_ticket_daily")),
    )
    op.create_table(
        "ticket_daily_times",
        *_keys(),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "channel",
            "priority",
            "team",
            "measure",
            "bucket",
            name=op.f("pk_ticket_daily_times"),
        ),  # fmt: skip
    )


def downgrade() -> None:
    op.drop_table("ticket_daily_times")
    op.drop_table("ticket_daily")
