"""Documents rendered once per version and kept.

- ``rendered_documents``: a version's PDF (``charter``, or ``handbook``: the charter and
  the staff handbook), keyed by the version, its content hash and the renderer's
  version, so a download sends the kept bytes and a change of code renders again.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rendered_documents",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("renderer", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('charter', 'handbook')", name=op.f("ck_rendered_documents_kind")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_rendered_documents_version_id_policy_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "version_id", "kind", "content_hash", "renderer", name=op.f("pk_rendered_documents")
        ),
    )


def downgrade() -> None:
    op.drop_table("rendered_documents")
