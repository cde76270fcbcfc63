"""Rendered documents (the ``rendered_documents`` rows): PDFs kept per version.

A row is written whole in one transaction, so a reader finds either nothing or the
complete bytes. Two processes that render the same document at once both insert it;
the second insert does nothing and ``keep`` answers the bytes stored first, so every
caller sends one complete file.

>>> import datetime as dt, tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> key = DocumentKey(version_id=1, kind="charter", content_hash="ab12", renderer="r1")
>>> with db.reading() as session:
...     kept_body(session, key) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from charter.store.database import Database
from charter.store.models import RenderedDocument

__all__ = ["KINDS", "DocumentKey", "keep", "kept_body", "kept_keys", "rendering_claim"]

KINDS = ("charter", "handbook")  # the charter alone; the charter and the staff handbook
# A row by another renderer is left this long before it is dropped, so that two
# releases serving side by side during a deployment do not undo each other's work.
SUPERSEDED_AFTER = dt.timedelta(days=1)
# The advisory lock one worker holds while it renders ahead (distinct from the import's
# and the SLA parts' keys in the same database).
RENDERING_KEY = 4_242_002


@dataclass(frozen=True)
class DocumentKey:
    """What a rendering depends on: the version and its text, the kind, the code."""

    version_id: int
    kind: str
    content_hash: str
    renderer: str


def kept_body(session: Session, key: DocumentKey) -> bytes | None:
    """The bytes kept under ``key``, or None when it was never rendered."""
    query = select(RenderedDocument.body).where(
        RenderedDocument.version_id == key.version_id,
        RenderedDocument.kind == key.kind,
        RenderedDocument.content_hash == key.content_hash,
        RenderedDocument.renderer == key.renderer,
    )
    body = session.scalars(query).first()
    return bytes(body) if body is not None else None


def kept_keys(session: Session, version_id: int) -> list[DocumentKey]:
    """The keys kept for one version."""
    query = select(
        RenderedDocument.version_id, RenderedDocument.kind, RenderedDocument.content_hash,
        RenderedDocument.renderer,
    ).where(RenderedDocument.version_id == version_id)  # fmt: skip
    return [DocumentKey(*row) for row in session.execute(query)]


def keep(session: Session, key: DocumentKey, body: bytes, now: dt.datetime) -> bytes:
    """Store ``body`` under ``key`` unless a rendering is already kept there; the bytes
    kept. Renderings of the same version and kind by another renderer, older than a
    day, are dropped."""
    build = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"version_id": key.version_id, "kind": key.kind, "content_hash": key.content_hash,
              "renderer": key.renderer, "body": body, "rendered_at": now}  # fmt: skip
    session.execute(build(RenderedDocument).values(**values).on_conflict_do_nothing())
    session.execute(
        delete(RenderedDocument).where(
            RenderedDocument.version_id == key.version_id,
            RenderedDocument.kind == key.kind,
            RenderedDocument.renderer != key.renderer,
            RenderedDocument.rendered_at < now - SUPERSEDED_AFTER,
        )
    )
    kept = kept_body(session, key)
    return body if kept is None else kept


@contextmanager
def rendering_claim(database: Database) -> Iterator[bool]:
    """Whether this process may render ahead now: on PostgreSQL, True for one process
    at a time (a transaction-scoped advisory lock held until the block ends), False at
    once for the others; SQLite runs one worker, so always True."""
    if database.dialect != "postgresql":
        yield True
        return
    with database.engine.connect() as connection, connection.begin():
        query = text("SELECT pg_try_advisory_xact_lock(:key)")
        yield bool(connection.execute(query, {"key": RENDERING_KEY}).scalar())
