"""Complaint cases, stage by stage on the clock.

- ``complaint_cases``: one per ticket (unique), the instant it was received, the policy
  version in force then, its current stage's position, open or closed, who opened it
  (none: the worker, by a tag or category) and why, who closed it and when.
- ``complaint_stages``: each stage a case reached (unique by case and position): the
  policy's stage id, received (receipt or escalation, with the escalation's reason),
  acknowledged and responded (when, by whom), the handler, and the deadlines as last
  computed.
- ``complaint_extensions``: each extension of a stage's deadline: working days, reason,
  who granted it and when.
- ``complaint_notices``: the reminders and overdue notices written, one per stage,
  deadline, kind and deadline instant (the worker's exactly-once key).

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _instant(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL"
    )


def upgrade() -> None:
    op.create_table(
        "complaint_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "ticket_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),  # fmt: skip
        sa.Column("version_id", sa.Integer(), nullable=False),
        _instant("received_at", nullable=False),
        sa.Column("stage", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opened_because", sa.String(length=200), nullable=False),
        _instant("created_at", nullable=False),
        _instant("closed_at"),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("state IN ('open', 'closed')", name=op.f("ck_complaint_cases_state")),
        _user("complaint_cases", "opened_by"),
        _user("complaint_cases", "closed_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_cases")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_complaint_cases_ticket_id")),
    )
    op.create_index("ix_complaint_cases_state", "complaint_cases", ["state"])
    op.create_index("ix_complaint_cases_received_at", "complaint_cases", ["received_at"])
    op.create_table(
        "complaint_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("stage_id", sa.String(length=200), nullable=False),
        _instant("received_at", nullable=False),
        sa.Column("escalation_reason", sa.Text(), nullable=True),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        _instant("acknowledged_at"),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        _instant("responded_at"),
        sa.Column("responded_by", sa.Integer(), nullable=True),
        _instant("acknowledge_due_at"),
        _instant("respond_due_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["complaint_cases.id"],
            name=op.f("fk_complaint_stages_case_id_complaint_cases"),
            ondelete="CASCADE",
        ),  # fmt: skip
        _user("complaint_stages", "handler_id"),
        _user("complaint_stages", "acknowledged_by"),
        _user("complaint_stages", "responded_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_stages")),
        sa.UniqueConstraint("case_id", "position", name=op.f("uq_complaint_stages_case_id")),
    )
    op.create_index(
        "ix_complaint_stages_acknowledge_due_at", "complaint_stages", ["acknowledge_due_at"]
    )
    op.create_index("ix_complaint_stages_respond_due_at", "complaint_stages", ["respond_due_at"])
    op.create_table(
        "complaint_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_row_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.String(length=16), nullable=False),
        sa.Column("days", sa.SmallInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=True),
        _instant("granted_at", nullable=False),
        sa.CheckConstraint(
            "deadline IN ('acknowledgment', 'response')",
            name=op.f("ck_complaint_extensions_deadline"),
        ),
        sa.ForeignKeyConstraint(
            ["stage_row_id"],
            ["complaint_stages.id"],
            name=op.f("fk_complaint_extensions_stage_row_id_complaint_stages"),
            ondelete="CASCADE",
        ),  # fmt: skip
        _user("complaint_extensions", "granted_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_extensions")),
    )
    op.create_index(
        "ix_complaint_extensions_stage_row_id", "complaint_extensions", ["stage_row_id"]
    )
    op.create_table(
        "complaint_notices",
        sa.Column("stage_row_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        _instant("due_at", nullable=False),
        _instant("written_at", nullable=False),
        sa.CheckConstraint(
            "deadline IN ('acknowledgment', 'response')",
            name=op.f("ck_complaint_notices_deadline"),
        ),
        sa.CheckConstraint(
            "kind IN ('reminder', 'overdue')", name=op.f("ck_complaint_notices_kind")
        ),
        sa.ForeignKeyConstraint(
            ["stage_row_id"],
            ["complaint_stages.id"],
            name=op.f("fk_complaint_notices_stage_row_id_complaint_stages"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint(
            "stage_row_id", "deadline", "kind", "due_at", name=op.f("pk_complaint_notices")
        ),
    )


def downgrade() -> None:
    op.drop_table("complaint_notices")
    op.drop_index("ix_complaint_extensions_stage_row_id", table_name="complaint_extensions")
    op.drop_table("complaint_extensions")
    op.drop_index("ix_complaint_stages_respond_due_at", table_name="complaint_stages")
    op.drop_index("ix_complaint_stages_acknowledge_due_at", table_name="complaint_stages")
    op.drop_table("complaint_stages")
    op.drop_index("ix_complaint_cases_received_at", table_name="complaint_cases")
    op.drop_index("ix_complaint_cases_state", table_name="complaint_cases")
    op.drop_table("complaint_cases")
