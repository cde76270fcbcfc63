"""Moving whole frames in and out of the database, the fastest way each one offers.

In: PostgreSQL ``COPY ... FROM STDIN`` with CSV that Polars writes; SQLite
``executemany`` on the driver's cursor. Out: the driver's cursor on both, a slice
of rows at a time into Polars. Everything runs inside the session's transaction,
so it commits or rolls back with the rest of its work.

Instants go in as text in the form each database reads (``to_text``) and come
out as integers (PostgreSQL's binary ``timestamptz``) or the stored text
(SQLite), see ``from_sql``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import polars as pl
from psycopg.types.numeric import Int8BinaryLoader
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Double,
    Float,
    FromClause,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator, TypeEngine

from charter.store import _pg_binary as pg_binary

COPY_CHUNK = 1 << 20  # bytes per write to the COPY stream
FETCH_ROWS = 200_000
SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S%.6f"  # SQLAlchemy's own form for SQLite datetimes
PG_EPOCH_US = 946_684_800_000_000  # PostgreSQL's epoch, 2000-01-01, in Unix microseconds


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def driver(session: Session) -> Any:
    """The DB-API connection under the session's current transaction."""
    return session.connection().connection.driver_connection


def to_text(expr: pl.Expr, dialect_name: str) -> pl.Expr:
    """An instant column as the text the database stores or parses.

    SQLite keeps SQLAlchemy's own form (``2026-01-05 09:00:00.000000``, UTC);
    PostgreSQL parses the same with an explicit ``+00``.
    """
    suffix = "+00" if dialect_name == "postgresql" else ""
    return expr.dt.convert_time_zone("UTC").dt.strftime(f"{SQLITE_FORMAT}{suffix}")


def instant_type(dialect_name: str) -> pl.DataType:
    """How ``fetch`` hands over an instant column: PostgreSQL's binary ``timestamptz``
    as the integer it is on the wire (microseconds since 2000-01-01 UTC), SQLite's
    stored text as text."""
    return pl.Int64() if dialect_name == "postgresql" else pl.String()


def from_sql(column: str, dialect_name: str) -> pl.Expr:
    """An instant column as ``fetch`` read it (``instant_type``), as UTC datetimes."""
    if dialect_name == "postgresql":
        instant = pl.from_epoch(pl.col(column) + PG_EPOCH_US, time_unit="us")
    else:
        instant = pl.col(column).str.to_datetime(SQLITE_FORMAT, time_unit="us")
    return instant.dt.replace_time_zone("UTC").alias(column)


def temporary(session: Session, name: str, like: FromClause, columns: Sequence[str]) -> Table:
    """A fresh temporary table ``name`` with ``columns`` typed as in ``like``.

    PostgreSQL drops it when the transaction ends; SQLite when it is dropped or
    the connection closes, so an old one from a failed run is dropped first.
    """
    table = Table(
        name,
        MetaData(),
        *(Column(c, like.c[c].type) for c in columns),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )
    connection = session.connection()
    table.drop(connection, checkfirst=True)
    table.create(connection)
    return table


def copy_in(session: Session, table: str, frame: pl.DataFrame) -> None:
    """Append every row of ``frame`` to ``table`` (columns by name, values as given)."""
    if frame.height == 0:
        return
    names = ", ".join(frame.columns)
    connection = driver(session)
    if dialect(session) == "postgresql":
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False)
        data = buffer.getbuffer()
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy,
        ):
            for start in range(0, len(data), COPY_CHUNK):
                copy.write(data[start : start + COPY_CHUNK])
        return
    marks = ", ".join("?" * frame.width)
    cursor = connection.cursor()
    try:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", frame.iter_rows())
    finally:
        cursor.close()


def insert_frame(session: Session, table: Table, frame: pl.DataFrame) -> None:
    """Append every row of ``frame`` (columns by name, instants as UTC datetimes) to
    ``table``: PostgreSQL's binary ``COPY``; on SQLite, instants in SQLAlchemy's text
    form through ``copy_in``."""
    if dialect(session) == "postgresql":
        copy_binary(session, table, frame)
        return
    instants = [c for c, dtype in frame.schema.items() if isinstance(dtype, pl.Datetime)]
    copy_in(session, table.name, frame.with_columns(to_text(pl.col(c), "sqlite") for c in instants))


def copy_binary(session: Session, table: Table, frame: pl.DataFrame) -> None:
    """Append every row of ``frame`` to ``table`` on PostgreSQL in the binary ``COPY``
    format (``_pg_binary``): instants as datetimes, numbers as numbers, none parsed."""
    if frame.height == 0:
        return
    types = {name: pg_binary_type(table.c[name].type) for name in frame.columns}
    data = pg_binary.encode(frame, types)
    names = ", ".join(frame.columns)
    with (
        driver(session).cursor() as cursor,
        cursor.copy(f"COPY {table.name} ({names}) FROM STDIN (FORMAT binary)") as copy,
    ):
        for start in range(0, len(data), COPY_CHUNK):
            copy.write(data[start : start + COPY_CHUNK])


def pg_binary_type(column_type: TypeEngine[Any]) -> str:
    """The PostgreSQL type a column of this SQLAlchemy type holds, as ``_pg_binary``
    names it."""
    kind = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    for base, name in _BINARY_TYPES:
        if isinstance(kind, base):
            if name == "timestamptz" and not getattr(kind, "timezone", False):
                break
            return name
    raise TypeError(f"no binary COPY encoding for a column of type {column_type!r}")


_BINARY_TYPES: tuple[tuple[type[Any], str], ...] = (
    (BigInteger, "int8"), (SmallInteger, "int2"), (Integer, "int4"), (Double, "float8"),
    (Float, "float8"), (Boolean, "bool"), (String, "text"), (DateTime, "timestamptz"),
)  # fmt: skip


def fetch(session: Session, query: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The rows of ``query`` (a literal SELECT, no parameters) as a frame of ``schema``.

    Rows come through the driver's cursor (its C loaders measured faster than
    ``COPY ... TO`` on PostgreSQL, which psycopg hands over one row at a time) and
    become Polars columns a slice at a time, so no more than ``FETCH_ROWS`` rows are
    Python tuples at once.
    """
    connection = driver(session)
    if dialect(session) == "postgresql":
        cursor = connection.cursor(binary=True)
        # A binary timestamptz is a big-endian int64 of microseconds since 2000: read
        # it as one, with psycopg's own loader, instead of building datetime objects.
        cursor.adapters.register_loader("timestamptz", Int8BinaryLoader)
    else:
        cursor = connection.cursor()
    parts = []
    try:
        cursor.execute(query)
        while rows := cursor.fetchmany(FETCH_ROWS):
            parts.append(pl.DataFrame(rows, schema=schema, orient="row"))
    finally:
        cursor.close()
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)
