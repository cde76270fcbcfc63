"""Surveys after a solve: the requester's address on tickets, the invitations and answers.

- ``tickets.requester_email``: who asked, as the helpdesk names them (the survey goes
  there); ``tickets.csat_comment``: the comment the helpdesk's own survey carried.
- ``survey_invitations``: at most one per ticket (unique ``ticket_id``), its state
  (scheduled, sent, answered, withdrawn, expired), its e-mail in the outbox and the
  answer (score, comment, reasons).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_TICKET_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON_TEXT = sa.Text().with_variant(sa.JSON(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("requester_email", sa.String(length=320), nullable=True))
        batch.add_column(sa.Column("csat_comment", sa.Text(), nullable=True))
    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", _TICKET_ID, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("solved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reasons", _JSON_TEXT, nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("address_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('scheduled', 'sent', 'answered', 'withdrawn', 'expired')",
            name=op.f("ck_survey_invitations_state"),
        ),
        sa.CheckConstraint(
            "kind IN ('csat', 'nps', 'ces')", name=op.f("ck_survey_invitations_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_survey_invitations_ticket_id")),
    )
    op.create_index("ix_survey_invitations_state_due_at", "survey_invitations", ["state", "due_at"])
    op.create_index("ix_survey_invitations_answered_at", "survey_invitations", ["answered_at"])
    op.create_index(
        "ix_survey_invitations_address_hash_answered_at",
        "survey_invitations",
        ["address_hash", "answered_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_survey_invitations_address_hash_answered_at", table_name="survey_invitations")
    op.drop_index("ix_survey_invitations_answered_at", table_name="survey_invitations")
    op.drop_index("ix_survey_invitations_state_due_at", table_name="survey_invitations")
    op.drop_table("survey_invitations")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("csat_comment")
        batch.drop_column("requester_email")
