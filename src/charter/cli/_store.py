"""What commands that use the database share: settings and the opened store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from charter.config import Settings, load_settings
from charter.store import Database


def settings() -> Settings:
    """Settings from ``CHARTER_*`` variables (a bad one is a clear error)."""
    return load_settings()


def open_store(*, migrated: bool = True) -> Database:
    """The database of ``CHARTER_DATABASE_URL``, refused when it needs migrating."""
    database = Database(settings().resolved_database_url)
    if migrated:
        database.check_migrated()
    return database


@contextmanager
def opened_store() -> Iterator[Database]:
    """``open_store()`` for one command, its connections closed when it ends."""
    database = open_store()
    try:
        yield database
    finally:
        database.dispose()
