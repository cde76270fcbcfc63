"""Accounts count their sign-in generations.

``users.session_epoch`` goes up when the account's password changes or it is
disabled. A sign-in cookie carries the number it was issued under, and one that
no longer matches is refused: changing a password signs out every other browser,
and enabling an account again does not bring back its old sign-ins. Existing
accounts start at 0, the number every cookie issued before this revision is read as.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_epoch")
