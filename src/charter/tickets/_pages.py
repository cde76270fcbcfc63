"""Reading export files: what a file is (JSON page, CSV, Parquet), and a JSON page's
records as a frame, read natively by Polars — no Python object per record.

A JSON page is either an object wrapping lists (``{"tickets": [...], "next_page": ...}``)
or a bare array of records (Freshdesk's list endpoints). Each record keeps a JSON pointer
to where it stood (``/tickets/3``, ``/3``) for rejects.

>>> import tempfile, pathlib
>>> page = pathlib.Path(tempfile.mkdtemp()) / "p.json"
>>> _ = page.write_text('{"tickets": [{"id": 1234567890123}, {"id": 2}], "count": 2}')
>>> frame = read_json(page).frame
>>> list_keys(frame)
['tickets']
>>> records(frame, "tickets").select("id", "_row").rows()
[(1234567890123, '/tickets/0'), (2, '/tickets/1')]
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl

from charter.errors import UsageError
from charter.excerpt import excerpt

Kind = Literal["json", "csv", "parquet"]


class MalformedJson(Exception):
    """The file starts like JSON but is not valid JSON."""


def sniff(path: Path) -> Kind:
    """What ``path`` holds, from its first bytes; ``UsageError`` when it cannot be read."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder; give the export files themselves") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read it ({error.strerror})") from None
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "json"
    if _binary(head):
        raise UsageError(f"{path}: a binary file, not a JSON, CSV or Parquet export")
    return "csv"


def _binary(head: bytes) -> bool:
    """NUL bytes in a head that is not UTF-8 text, or many of them (UTF-16): a binary
    file. A NUL in a cell of UTF-8 text is one bad row, which the importer rejects."""
    if b"\x00" not in head:
        return False
    if head.count(b"\x00") > len(head) // 8:
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return True
    return False


@dataclass(frozen=True)
class Page:
    """A JSON page: one row for an object page, one row per record for a bare array."""

    frame: pl.DataFrame
    array: bool


def read_json(path: Path) -> Page:
    """Read a JSON page natively; ``MalformedJson`` when it is not valid JSON."""
    try:
        with path.open("rb") as handle:
            array = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"["
        frame = pl.read_json(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise MalformedJson(excerpt(first)) from None
    return Page(frame, array)


def list_keys(frame: pl.DataFrame) -> list[str]:
    """Top-level keys of an object page whose values are lists of records."""
    if frame.height != 1:
        return []
    return [
        name
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct | pl.Null)
    ]


def records(frame: pl.DataFrame, key: str | None) -> pl.DataFrame:
    """The records under ``key`` (or of a bare array when ``key`` is None), one per row,
    with ``_row`` holding each record's JSON pointer."""
    if key is None:
        return (
            frame.with_row_index("_i").with_columns(pl.format("/{}", "_i").alias("_row")).drop("_i")
        )
    column = frame.schema[key]
    if not isinstance(column, pl.List) or not isinstance(column.inner, pl.Struct):
        return pl.DataFrame({"_row": []}, schema={"_row": pl.String()})
    exploded = frame.select(pl.col(key)).explode(key).with_row_index("_i")
    return exploded.filter(pl.col(key).is_not_null()).select(
        pl.col(key).struct.unnest(), pl.format(f"/{key}/{{}}", "_i").alias("_row")
    )


def field(frame: pl.DataFrame, dotted: str) -> pl.Expr:
    """The text of column (or struct field, ``via.channel``) ``dotted`` of ``frame``, or
    nulls when the records never carry it."""
    expr, dtype = raw_field(frame, dotted)
    return as_text(expr, dtype)


def raw_field(frame: pl.DataFrame, dotted: str) -> tuple[pl.Expr, pl.DataType]:
    """``dotted`` as Polars read it, and its type (a null literal when absent)."""
    head, *rest = dotted.split(".")
    if head not in frame.columns:
        return pl.lit(None), pl.Null()
    expr, current = pl.col(head), as_instance(frame.schema[head])
    for part in rest:
        inner = {f.name: f.dtype for f in current.fields} if isinstance(current, pl.Struct) else {}
        if part not in inner:
            return pl.lit(None), pl.Null()
        expr, current = expr.struct.field(part), as_instance(inner[part])
    return expr, current


def as_instance(dtype: Any) -> pl.DataType:
    """A data type instance (Polars' schemas may hold a class, such as ``pl.String``)."""
    return dtype() if isinstance(dtype, type) else dtype  # type: ignore[no-any-return]


def as_text(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Text of a JSON value whatever type Polars inferred: a list (a multi-select, or a
    scalar promoted to a list because other records held lists) is joined with commas."""
    if isinstance(dtype, pl.List):
        return expr.cast(pl.List(pl.String), strict=False).list.join(",")
    if isinstance(dtype, pl.Struct | pl.Null):
        return pl.lit(None, pl.String)
    return expr.cast(pl.String, strict=False)
