"""Databases for tests: a migrated SQLite file per test, and PostgreSQL when reachable.

PostgreSQL comes from ``CHARTER_TEST_DATABASE_URL``. Without it the PostgreSQL
half of each store test skips with a reason; with ``CHARTER_REQUIRE_SERVICES=1``
(as in CI) it fails instead. When the suite runs in several processes (``make test``
runs two, ``pytest -n 2``), each process works in its own database, named after the
given one and the process (``charter_test_gw0``), created when missing.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

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
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _own_database(url, worker) if worker else url


def _own_database(url: str, worker: str) -> str:
    """This test process's own database beside ``url``'s, created when missing."""
    given = make_url(url)
    own = given.set(database=f"{given.database}_{worker}")
    engine = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    except ProgrammingError as error:
        unavailable(
            f"test process {worker} needs its own database {own.database}: create it, or "
            f"let the role create databases (ALTER ROLE ... CREATEDB): {error.orig}"
        )
    except OperationalError:
        pass  # not reachable: the caller's connection reports it
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


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
