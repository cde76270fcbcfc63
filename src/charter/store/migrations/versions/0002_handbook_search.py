"""Handbook full-text search: the clauses of published versions, indexed per dialect.

``handbook_clauses`` holds one row per clause of each indexed version. SQLite
searches it through the FTS5 table ``handbook_search`` (external content, kept in
step by triggers, so a version deleted with its clauses leaves nothing behind);
PostgreSQL through a GIN index on the weighted tsvector of heading, clause id and
body, the same expression the search query uses.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The expression the PostgreSQL index covers, as this revision knows it: each text
# with punctuation made a space, heading and clause id weighing more than the body.
TSVECTOR = " || ".join(
    f"setweight(to_tsvector('english', regexp_replace({column}, '[^[:alnum:]]+', ' ', 'g')), "
    f"'{weight}')"
    for column, weight in (("heading", "A"), ("clause_id", "A"), ("body", "B"))
)
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE handbook_search USING fts5(heading, clause_id, body, "
    "content='handbook_clauses', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER handbook_clauses_ai AFTER INSERT ON handbook_clauses BEGIN "
    "INSERT INTO handbook_search(rowid, heading, clause_id, body) "
    "VALUES (new.id, new.heading, new.clause_id, new.body); END",
    "CREATE TRIGGER handbook_clauses_ad AFTER DELETE ON handbook_clauses BEGIN "
    "INSERT INTO handbook_search(handbook_search, rowid, heading, clause_id, body) "
    "VALUES ('delete', old.id, old.heading, old.clause_id, old.body); END",
    "CREATE TRIGGER handbook_clauses_au AFTER UPDATE ON handbook_clauses BEGIN "
    "INSERT INTO handbook_search(handbook_search, rowid, heading, clause_id, body) "
    "VALUES ('delete', old.id, old.heading, old.clause_id, old.body); "
    "INSERT INTO handbook_search(rowid, heading, clause_id, body) "
    "VALUES (new.id, new.heading, new.clause_id, new.body); END",
]


def upgrade() -> None:
    op.create_table(
        "handbook_clauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(length=300), nullable=False),
        sa.Column("section", sa.String(length=100), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_handbook_clauses_version_id_policy_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handbook_clauses")),
        sa.UniqueConstraint("version_id", "clause_id", name="uq_handbook_clauses_clause"),
    )
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(
            f"CREATE INDEX ix_handbook_clauses_search ON handbook_clauses USING gin (({TSVECTOR}))"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for name in ("handbook_clauses_au", "handbook_clauses_ad", "handbook_clauses_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS handbook_search")
    op.drop_table("handbook_clauses")
