"""Shared fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from charter.store import Database
from charter.web.app import create_app
from support import EXAMPLE_TEXT
from support.db import postgres_url, reset_postgres, truncate, unavailable
from support.web import make_settings


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(EXAMPLE_TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating each time is slower)."""
    path = tmp_path_factory.mktemp("template") / "charter.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres() -> str:
    """The URL of a PostgreSQL database migrated from empty for this test run."""
    url = postgres_url()
    try:
        reset_postgres(url)
    except OperationalError as error:
        unavailable(f"PostgreSQL at {_host(url)} is not reachable: {error.orig}")
    return url


def _host(url: str) -> str:
    return url.rsplit("@", 1)[-1]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database: a SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "charter.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres")
    cleaner = Database(url)
    truncate(cleaner)
    yield url
    cleaner.dispose()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def client(database_url: str, database: Database) -> Iterator[TestClient]:
    """The web app on the test database, as a client that keeps cookies."""
    app = create_app(make_settings(database_url), database)
    with TestClient(app) as client:
        yield client
