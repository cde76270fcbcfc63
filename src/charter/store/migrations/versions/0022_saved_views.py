"""Saved ticket views, one set per person, and three indexes for the ticket list.

- ``saved_ticket_views``: a person's named ticket lists (the list's URL query), one
  name per person, gone with the account.
- ``ix_tickets_source_id``: the ticket list's search by helpdesk id;
  ``ix_tickets_solved_at``: its default order, which reads the unsolved tickets first;
  ``ix_tickets_choices``: the values its filters offer, read from the index alone.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_ticket_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("query", sa.String(length=1000), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["users.id"],
            name=op.f("fk_saved_ticket_views_account_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_ticket_views")),
        sa.UniqueConstraint("account_id", "name", name=op.f("uq_saved_ticket_views_account_id")),
    )
    op.create_index("ix_tickets_source_id", "tickets", ["source_id"])
    op.create_index("ix_tickets_solved_at", "tickets", ["solved_at"])
    op.create_index("ix_tickets_choices", "tickets", ["channel", "priority", "team", "assignee"])


def downgrade() -> None:
    op.drop_index("ix_tickets_choices", table_name="tickets")
    op.drop_index("ix_tickets_solved_at", table_name="tickets")
    op.drop_index("ix_tickets_source_id", table_name="tickets")
    op.drop_table("saved_ticket_views")
