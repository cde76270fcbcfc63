"""One object per database: the engine, transactions, and the migration check.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> db = Database(f"sqlite:///{folder / 'charter.db'}")
>>> db.pending_migrations()[:1]
['0001']
>>> db.upgrade()
>>> db.pending_migrations()
[]
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from charter.errors import NotMigrated, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"CHARTER_DATABASE_URL {url!r} is not a database URL; use e.g. "
            "sqlite:///var/charter.db or postgresql+psycopg://user:password@host/charter"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise StoreError(
        f"database {parsed.get_backend_name()!r} is not supported; use SQLite or PostgreSQL"
    )


class Database:
    """The store's database: sessions for services, and its migrations."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """A connection that commits each statement as it runs: for a record that must
        last whatever becomes of a transaction open beside it."""
        with self.engine.connect() as connection:
            yield connection.execution_options(isolation_level="AUTOCOMMIT")

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only."""
        with self._sessions() as session:
            yield session

    def _alembic(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["engine"] = self.engine
        return config

    def pending_migrations(self) -> list[str]:
        """Revisions the database still lacks, oldest first."""
        scripts = ScriptDirectory.from_config(self._alembic())
        try:
            with self.engine.connect() as connection:
                current = MigrationContext.configure(connection).get_current_heads()
        except OperationalError as error:
            raise StoreError(f"cannot open the database {self._safe_url}: {error.orig}") from None
        pending = scripts.iterate_revisions(tuple(scripts.get_heads()), current or None)
        return [script.revision for script in reversed(list(pending))]

    def upgrade(self, revision: str = "head") -> None:
        """Apply migrations up to ``revision``."""
        try:
            command.upgrade(self._alembic(), revision)
        except OperationalError as error:
            raise StoreError(f"cannot migrate {self._safe_url}: {error.orig}") from None

    def check_migrated(self) -> None:
        """Refuse a database whose schema is behind this Charter."""
        pending = self.pending_migrations()
        if pending:
            raise NotMigrated(
                f"the database {self._safe_url} is not up to date "
                f"({len(pending)} migration{'s' if len(pending) != 1 else ''} to apply). "
                "Run `charter db upgrade` first."
            )

    @property
    def _safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database's file, or None for another database (or one in memory)."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or not parsed.database:
            return None
        return Path(parsed.database) if parsed.database != ":memory:" else None

    def dispose(self) -> None:
        self.engine.dispose()
