"""Tickets' columns made cheaper to write in bulk on PostgreSQL.

- ``tags`` and ``events`` become ``text``: PostgreSQL's ``json`` type parses and checks
  every value written, about a tenth of a ticket import's ``COPY``; the values are
  written as JSON by Charter and never queried inside (``charter.store.models.JsonText``
  still reads and writes them as JSON).
- ``source`` and ``source_id`` compare byte by byte (``COLLATE "C"``): the unique key
  an import checks on every row no longer goes through the database's locale. Equality,
  the only thing the key is for, is unchanged.

SQLite is unchanged: its JSON is text already and it compares bytes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSON_COLUMNS = ("tags", "events")
KEYS = {"source": 32, "source_id": 64}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    changes = [f"ALTER COLUMN {c} TYPE text USING {c}::text" for c in JSON_COLUMNS]
    changes += [f'ALTER COLUMN {c} TYPE varchar({n}) COLLATE "C"' for c, n in KEYS.items()]
    op.execute(f"ALTER TABLE tickets {', '.join(changes)}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    changes = [f"ALTER COLUMN {c} TYPE json USING {c}::json" for c in JSON_COLUMNS]
    changes += [f'ALTER COLUMN {c} TYPE varchar({n}) COLLATE "default"' for c, n in KEYS.items()]
    op.execute(f"ALTER TABLE tickets {', '.join(changes)}")
