"""Saved ticket views, one set per person (to be filled in).

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
