"""Import runs (the ``import_runs`` rows) and the lock that lets one import run at a time.

The lock dies with its holder, so a killed import never keeps it: on PostgreSQL it
is a session-level advisory lock held on a connection of its own for the import's
length (the server drops it when the connection closes, however the process ended);
on SQLite it is an OS lock (``flock``) on the file ``<database>.import-lock`` beside
the database, which the kernel drops when the process dies. An in-memory SQLite
database lives in one process and needs none.

Whoever holds the lock knows that no other import is alive, so any run still marked
``running`` was stopped part-way (a kill, a power cut): :func:`fail_abandoned` marks
those failed.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}")
>>> first = ImportLock.take(db)
>>> first is not None, ImportLock.take(db) is None
(True, True)
>>> first.release()
>>> again = ImportLock.take(db); again is not None
True
>>> again.release()
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType

from sqlalchemy import Connection, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from charter.store.database import Database
from charter.store.models import ImportRun

# The advisory lock's key; advisory locks are scoped to one database, so it only
# has to differ from other locks Charter takes in the same database.
LOCK_KEY = 4_242_001
RUNNING, DONE, FAILED = "running", "done", "failed"


class ImportLock:
    """The held import lock; :meth:`take` it, :meth:`release` it (or use ``with``)."""

    def __init__(self, connection: Connection | None = None, fd: int | None = None) -> None:
        self._connection = connection
        self._fd = fd

    @classmethod
    def take(cls, database: Database) -> ImportLock | None:
        """The lock, or None at once when another import (any process) holds it."""
        if database.dialect == "postgresql":
            return cls._take_advisory(database)
        path = make_url(database.url).database
        if not path or path == ":memory:":
            return cls()
        return cls._take_file(f"{path}.import-lock")

    @classmethod
    def _take_advisory(cls, database: Database) -> ImportLock | None:
        connection = database.engine.connect()
        try:
            query = text("SELECT pg_try_advisory_lock(:key)")
            got = bool(connection.execute(query, {"key": LOCK_KEY}).scalar())
            connection.commit()  # the lock outlives the transaction; no transaction stays open
        except BaseException:
            connection.close()
            raise
        if not got:
            connection.close()
            return None
        return cls(connection=connection)

    @classmethod
    def _take_file(cls, path: str) -> ImportLock | None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return cls(fd=fd)

    def release(self) -> None:
        """Let the next import run."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                connection.commit()
            except Exception:  # a lost connection has dropped the lock already
                connection.invalidate()
            finally:
                connection.close()
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the file drops its flock

    def __enter__(self) -> ImportLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


@dataclass(frozen=True)
class RunningImport:
    """The import that holds the lock, as its row tells."""

    run_id: int
    source: str
    started_at: dt.datetime


def start_run(
    session: Session, source: str, user_id: int | None, rejected: int, now: dt.datetime
) -> int:
    """A new ``running`` row; its id."""
    run = ImportRun(
        source=source, user_id=user_id, status=RUNNING, rejected=rejected, started_at=now
    )
    session.add(run)
    session.flush()
    return run.id


def add_progress(session: Session, run_id: int, counts: Mapping[str, int]) -> None:
    """Add a batch's counts (``inserted``, ``updated``, ``unchanged``, ``events``,
    ``batches``) to run ``run_id``'s, in the database, so concurrent batches add up."""
    growth = {name: getattr(ImportRun, name) + n for name, n in counts.items()}
    session.execute(update(ImportRun).where(ImportRun.id == run_id).values(growth))


def finish_run(session: Session, run_id: int, status: str, now: dt.datetime) -> None:
    """Mark run ``run_id`` ``done`` or ``failed``."""
    values = {"status": status, "finished_at": now}
    session.execute(update(ImportRun).where(ImportRun.id == run_id).values(values))


def fail_abandoned(session: Session, now: dt.datetime) -> int:
    """Mark every ``running`` row failed; only a holder of the lock may call this.
    The number of rows marked."""
    query = update(ImportRun).where(ImportRun.status == RUNNING)
    result = session.execute(query.values(status=FAILED, finished_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def running_import(session: Session) -> RunningImport | None:
    """The latest ``running`` row, or None."""
    query = (
        select(ImportRun.id, ImportRun.source, ImportRun.started_at)
        .where(ImportRun.status == RUNNING)
        .order_by(ImportRun.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    return RunningImport(row.id, row.source, row.started_at) if row else None
