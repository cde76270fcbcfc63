"""Databases for tests: a migrated SQLite file per test, and PostgreSQL when reachable.

PostgreSQL comes from ``CHARTER_TEST_DATABASE_URL``. Without it the PostgreSQL
half of each store test skips with a reason; with ``CHARTER_REQUIRE_SERVICES=1``
(as in CI) it fails instead.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from charter.store import Database
from charter.store.models import Base

PG_ENV = "CHARTER_TEST_DATABASE_URL"


def services_required() -> bool:
    return os.environ.get("CHARTER_REQUIRE_SERVICES") == "1"


def unavailable(reason: str) -> None:
    """Skip, or fail when the services are required."""
    if services_required():
        pytest.fail(f"{reason} (CHARTER_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def postgres_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        unavailable(f"PostgreSQL not configured: set {PG_ENV}")
    assert url is not None
    return url


def reset_postgres(url: str) -> None:
    """Drop every table of Charter's (and Alembic's), then migrate from empty."""
    database = Database(url)
    try:
        with database.engine.begin() as connection:
            # CASCADE: a database left by an older schema may hold constraints the
            # current models no longer know.
            for table in [*Base.metadata.tables, "alembic_version"]:
                connection.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
        database.upgrade()
    finally:
        database.dispose()


def truncate(database: Database) -> None:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
