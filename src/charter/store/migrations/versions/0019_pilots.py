"""Pilots: the group and period a version in pilot is tried on, and how the pilot ended.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
