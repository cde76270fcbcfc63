"""The system of record: SQLAlchemy models, the database object, Alembic migrations.

Only ``charter.services`` uses the store; the web layer and the CLI call services.
"""

from charter.store.database import Database

__all__ = ["Database"]
