"""Sync cursors (the ``sync_cursors`` rows): where each helpdesk sync stopped.

A sync writes a page's tickets and the cursor of the page after it in one
transaction (``charter.services.sync``), so the stored cursor always names the
first page whose tickets are not yet stored.

>>> import datetime as dt, tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
>>> with db.transaction() as session:
...     save_cursor(session, "zendesk", "MTU4MDc1", now)
...     save_cursor(session, "zendesk", "MTU4MDc2", now)
>>> with db.reading() as session:
...     stored = cursor_of(session, "zendesk")
>>> stored.cursor, stored.pages
('MTU4MDc2', 2)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from charter.store.models import SyncCursor


@dataclass(frozen=True)
class StoredCursor:
    """A source's cursor, the pages stored with it so far, and when it was written."""

    source: str
    cursor: str
    pages: int
    updated_at: dt.datetime


def cursor_of(session: Session, source: str) -> StoredCursor | None:
    """The stored cursor of ``source``, or None before its first page."""
    row = session.get(SyncCursor, source)
    if row is None:
        return None
    return StoredCursor(row.source, row.cursor, row.pages, row.updated_at)


def save_cursor(session: Session, source: str, cursor: str, now: dt.datetime) -> None:
    """Store ``cursor`` as where ``source`` resumes, counting one more page."""
    row = session.get(SyncCursor, source, with_for_update=True)
    if row is None:
        session.add(SyncCursor(source=source, cursor=cursor, pages=1, updated_at=now))
    else:
        row.cursor, row.pages, row.updated_at = cursor, row.pages + 1, now
    session.flush()


def forget_cursor(session: Session, source: str) -> None:
    """Drop ``source``'s cursor, so that its next sync starts from its start time."""
    session.execute(delete(SyncCursor).where(SyncCursor.source == source))
