"""Frames written in PostgreSQL's binary COPY format read back as they were.

The encoder is checked against PostgreSQL itself: whatever it writes, the server
must take and give back unchanged (nulls, empty and multi-byte text, extreme
numbers, instants to the microsecond across a century either side of 2000).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, Table, text
from sqlalchemy import types as sa

from charter.store import Database
from charter.store import _pg_binary as pg_binary
from charter.store.tickets import _bulk as bulk

pytestmark = pytest.mark.postgres

COLUMNS: dict[str, tuple[sa.TypeEngine[Any], pl.DataType]] = {
    "small": (sa.SmallInteger(), pl.Int16()),
    "whole": (sa.Integer(), pl.Int32()),
    "big": (sa.BigInteger(), pl.Int64()),
    "ratio": (sa.Double(), pl.Float64()),
    "flag": (sa.Boolean(), pl.Boolean()),
    "label": (sa.String(40), pl.String()),
    "note": (sa.Text(), pl.String()),
    "moment": (sa.DateTime(timezone=True), pl.Datetime("us", "UTC")),
}
UTC = dt.UTC
MOMENTS = st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2199, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)
TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=12)


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), values)


ROW = st.fixed_dictionaries(
    {
        "small": _maybe(st.integers(-(2**15), 2**15 - 1)),
        "whole": _maybe(st.integers(-(2**31), 2**31 - 1)),
        "big": _maybe(st.integers(-(2**63), 2**63 - 1)),
        "ratio": _maybe(st.floats(allow_nan=True, allow_infinity=True)),
        "flag": _maybe(st.booleans()),
        "label": _maybe(st.text(max_size=40).filter(lambda s: "\x00" not in s) | TEXT),
        "note": _maybe(TEXT),
        "moment": _maybe(MOMENTS),
    }
)


@pytest.fixture
def pg(postgres: str) -> Database:
    return Database(postgres)


def _table() -> Table:
    return Table(
        "binary_round_trip",
        MetaData(),
        *(Column(name, kind) for name, (kind, _) in COLUMNS.items()),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )


def _round_trip(database: Database, frame: pl.DataFrame) -> list[dict[str, Any]]:
    table = _table()
    with database.transaction() as session:
        table.create(session.connection())
        bulk.copy_binary(session, table, frame)
        names = ", ".join(COLUMNS)
        found = session.execute(text(f"SELECT {names} FROM {table.name} ORDER BY big NULLS LAST"))
        return [dict(row._mapping) for row in found]


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    """Rows by ``big``, ties broken by every other value: hypothesis may give two rows
    the same ``big``, and the server returns ties in any order."""
    return (row["big"], *(_sortable(row[name]) for name in COLUMNS))


def _sortable(value: Any) -> tuple[int, str]:
    if isinstance(value, dt.datetime):
        return 1, value.astimezone(UTC).isoformat()
    return (0, "") if value is None else (1, repr(value))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b) and type(a) is type(b) if a is not None else b is None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, max_size=30))
def test_every_type_reads_back_from_postgresql_as_written(
    pg: Database, rows: list[dict[str, Any]]
) -> None:
    rows = [
        {**row, "big": index if row["big"] is None else row["big"]}
        for index, row in enumerate(rows)
    ]
    frame = pl.DataFrame(rows, schema={name: dtype for name, (_, dtype) in COLUMNS.items()})
    back = sorted(_round_trip(pg, frame), key=_order)
    expected = sorted(rows, key=_order)
    assert len(back) == len(expected)
    for got, wanted in zip(back, expected, strict=True):
        for name in COLUMNS:
            assert _same(wanted[name], got[name]), (name, wanted[name], got[name])


def test_an_empty_frame_writes_nothing(pg: Database) -> None:
    frame = pl.DataFrame(schema={name: dtype for name, (_, dtype) in COLUMNS.items()})
    assert _round_trip(pg, frame) == []


def test_a_column_of_a_type_it_cannot_write_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="column when: no binary encoding for 'interval'"):
        pg_binary.encode(pl.DataFrame({"when": [1]}), {"when": "interval"})
    with pytest.raises(TypeError, match="no binary COPY encoding"):
        bulk.pg_binary_type(sa.Interval())
