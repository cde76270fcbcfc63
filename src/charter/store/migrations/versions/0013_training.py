"""Training: staff profiles, acknowledgments, quiz attempts and answers, refresher
cards, and the keys that send each training message once.

- ``staff_profiles``: an account's policy role, channels, team, manager, start date.
- ``acknowledgments``: one per person and version, with the hash of the text seen.
- ``quiz_attempts`` and ``quiz_answers``: each try at a version's quiz and each answer.
- ``refresher_cards``: questions a person got wrong, due again on a growing schedule.
- ``training_sends``: (person, version, kind) of each reminder or notice written to the
  outbox, in the same transaction, so each goes once.
- The outbox carries training messages too: ``purpose`` (``escalation`` or
  ``training``), and no ticket for a training message (nor for its tries' audit rows).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TICKET_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.alter_column("ticket_id", existing_type=TICKET_ID, nullable=True)
        table.add_column(
            sa.Column("purpose", sa.String(length=16), nullable=False, server_default="escalation")
        )
    with op.batch_alter_table("ticket_audit") as table:
        table.alter_column("ticket_id", existing_type=TICKET_ID, nullable=True)
    op.create_table(
        "staff_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("policy_role", sa.String(length=80), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_staff_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["users.id"],
            name=op.f("fk_staff_profiles_manager_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_staff_profiles")),
    )
    op.create_table(
        "acknowledgments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_acknowledgments_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_acknowledgments_version_id_policy_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgments")),
        sa.UniqueConstraint("user_id", "version_id", name="uq_acknowledgments"),
    )
    op.create_index(op.f("ix_acknowledgments_user_id"), "acknowledgments", ["user_id"])
    op.create_index(op.f("ix_acknowledgments_version_id"), "acknowledgments", ["version_id"])
    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("started_at", INSTANT, nullable=False),
        sa.Column("finished_at", INSTANT, nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_quiz_attempts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_quiz_attempts_version_id_policy_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
    )
    op.create_index(op.f("ix_quiz_attempts_user_id"), "quiz_attempts", ["user_id"])
    op.create_index(op.f("ix_quiz_attempts_version_id"), "quiz_attempts", ["version_id"])
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=300), nullable=False),
        sa.Column("clause_id", sa.String(length=300), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("response", sa.String(length=500), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_quiz_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["quiz_attempts.id"],
            name=op.f("fk_quiz_answers_attempt_id_quiz_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_answers")),
        sa.UniqueConstraint("attempt_id", "question_id", name="uq_quiz_answers"),
    )
    op.create_index(op.f("ix_quiz_answers_user_id"), "quiz_answers", ["user_id"])
    op.create_index("ix_quiz_answers_clause_id", "quiz_answers", ["clause_id"])
    op.create_table(
        "refresher_cards",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=300), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("due_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_refresher_cards_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "question_id", name=op.f("pk_refresher_cards")),
    )
    op.create_index(op.f("ix_refresher_cards_due_at"), "refresher_cards", ["due_at"])
    op.create_table(
        "training_sends",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("sent_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_training_sends_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "version_id", "kind", name=op.f("pk_training_sends")),
    )


def downgrade() -> None:
    op.drop_table("training_sends")
    op.drop_index(op.f("ix_refresher_cards_due_at"), table_name="refresher_cards")
    op.drop_table("refresher_cards")
    op.drop_index("ix_quiz_answers_clause_id", table_name="quiz_answers")
    op.drop_index(op.f("ix_quiz_answers_user_id"), table_name="quiz_answers")
    op.drop_table("quiz_answers")
    op.drop_index(op.f("ix_quiz_attempts_version_id"), table_name="quiz_attempts")
    op.drop_index(op.f("ix_quiz_attempts_user_id"), table_name="quiz_attempts")
    op.drop_table("quiz_attempts")
    op.drop_index(op.f("ix_acknowledgments_version_id"), table_name="acknowledgments")
    op.drop_index(op.f("ix_acknowledgments_user_id"), table_name="acknowledgments")
    op.drop_table("acknowledgments")
    op.drop_table("staff_profiles")
    op.execute("DELETE FROM ticket_audit WHERE ticket_id IS NULL")
    with op.batch_alter_table("ticket_audit") as table:
        table.alter_column("ticket_id", existing_type=TICKET_ID, nullable=False)
    op.execute("DELETE FROM outbox WHERE ticket_id IS NULL")
    with op.batch_alter_table("outbox") as table:
        table.drop_column("purpose")
        table.alter_column("ticket_id", existing_type=TICKET_ID, nullable=False)
