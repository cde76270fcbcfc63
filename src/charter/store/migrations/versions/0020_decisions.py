"""Decisions: every question asked of the policy and its answer.

- ``decisions``: kind (return or delivery), when, who (account, its name then, and
  how: session, token or cli) asked, the inputs and the answer (JSON text), the
  outcome, the version it was decided under (id, label, content hash, and whether it
  was in force at the order instant or when asked), the ticket and order references,
  and for returns the refund's instants (received back, evidence, due, paid).
- ``decision_clauses``: the clauses that decided each one, in order, with their text.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_JSON_TEXT = sa.Text().with_variant(sa.JSON(), "sqlite")


def _instant(name: str, nullable: bool = True) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _instant("asked_at", nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=True),
        sa.Column("asked_by_name", sa.String(length=200), nullable=False),
        sa.Column("asked_via", sa.String(length=8), nullable=False),
        sa.Column("inputs", _JSON_TEXT, nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("answer", _JSON_TEXT, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("version_label", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("version_basis", sa.String(length=8), nullable=False),
        sa.Column("ticket_ref", sa.String(length=100), nullable=True),
        sa.Column("order_ref", sa.String(length=100), nullable=True),
        _instant("ordered_at"),
        _instant("received_back_at"),
        _instant("evidence_at"),
        _instant("refund_due_at"),
        _instant("refund_paid_at"),
        sa.CheckConstraint("kind IN ('return', 'delivery')", name=op.f("ck_decisions_kind")),
        sa.CheckConstraint(
            "version_basis IN ('order', 'current')", name=op.f("ck_decisions_version_basis")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by"],
            ["users.id"],
            name=op.f("fk_decisions_asked_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_decisions_version_id_policy_versions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index("ix_decisions_asked_at", "decisions", ["asked_at"])
    op.create_index("ix_decisions_ticket_ref", "decisions", ["ticket_ref"])
    op.create_index("ix_decisions_refund_due_at", "decisions", ["refund_due_at"])
    op.create_table(
        "decision_clauses",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("clause_id", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_clauses_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("decision_id", "position", name=op.f("pk_decision_clauses")),
    )
    op.create_index("ix_decision_clauses_clause_id", "decision_clauses", ["clause_id"])


def downgrade() -> None:
    op.drop_index("ix_decision_clauses_clause_id", table_name="decision_clauses")
    op.drop_table("decision_clauses")
    op.drop_index("ix_decisions_refund_due_at", table_name="decisions")
    op.drop_index("ix_decisions_ticket_ref", table_name="decisions")
    op.drop_index("ix_decisions_asked_at", table_name="decisions")
    op.drop_table("decisions")
