"""Frames in PostgreSQL's binary ``COPY`` format, built a column at a time in numpy.

PostgreSQL reads binary ``COPY`` values as they lie in memory: an instant is the
integer of microseconds since 2000-01-01, a number its eight bytes, so nothing is
parsed from text on the server (a state row's five instants and twelve numbers as
CSV cost it more than the rest of the row). psycopg writes this format only a row at
a time from Python objects; here every column of a frame is laid into one buffer
with whole-array operations: the row and field offsets are cumulative sums of the
fields' sizes, and each column's bytes are scattered to its offsets at once.

The format (PostgreSQL's documentation, "COPY", "Binary Format"): a signature and
two zero words, then per row the number of fields (int16) and per field its length
in bytes (int32, -1 for null) followed by the value in network byte order; an int16
-1 ends the data.

>>> import polars as pl
>>> data = encode(pl.DataFrame({"n": [1, None]}), {"n": "int4"})
>>> data[:11] == SIGNATURE, len(data) == 19 + (2 + 4 + 4) + (2 + 4) + 2
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl
from numpy.typing import NDArray

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
HEADER = SIGNATURE + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"  # no flags, no extension
TRAILER = b"\xff\xff"
PG_EPOCH_US = 946_684_800_000_000  # PostgreSQL's epoch, 2000-01-01, in Unix microseconds
# Fixed-width types: their width and how a Polars column becomes their big-endian bytes.
FIXED: dict[str, tuple[int, str]] = {
    "int2": (2, ">i2"),
    "int4": (4, ">i4"),
    "int8": (8, ">i8"),
    "float8": (8, ">f8"),
    "timestamptz": (8, ">i8"),
    "bool": (1, "u1"),
}
TEXT = ("text",)


def encode(frame: pl.DataFrame, types: Mapping[str, str]) -> memoryview:
    """``frame``'s rows in binary ``COPY`` format, each column as the PostgreSQL type
    ``types`` names for it (``int2``, ``int4``, ``int8``, ``float8``, ``timestamptz``,
    ``bool`` or ``text``; an instant column must be a UTC or naive-UTC datetime)."""
    fields = [_Field.of(frame[name], types[name]) for name in frame.columns]
    rows = frame.height
    row_sizes = np.full(rows, 2, dtype=np.int64)  # the field count
    for field in fields:
        row_sizes += field.sizes
    starts = len(HEADER) + np.concatenate(([0], np.cumsum(row_sizes)[:-1])).astype(np.int64)
    out = np.empty(len(HEADER) + int(row_sizes.sum()) + len(TRAILER), dtype=np.uint8)
    out[: len(HEADER)] = np.frombuffer(HEADER, dtype=np.uint8)
    out[len(out) - len(TRAILER) :] = np.frombuffer(TRAILER, dtype=np.uint8)
    _scatter(out, starts, np.full(rows, len(fields), dtype=">i2").view(np.uint8), 2)
    at = starts + 2
    for field in fields:
        _scatter(out, at, field.lengths.astype(">i4").view(np.uint8), 4)
        at = at + 4
        field.write(out, at)
        at = at + field.sizes - 4
    return out.data  # no copy: the buffer goes to the server as it is


class _Field:
    """One column's lengths (-1 for null), sizes in the row, and how to write it."""

    def __init__(self, lengths: NDArray[np.int64], present: NDArray[np.bool_]) -> None:
        self.lengths = lengths
        self.present = present
        self.sizes = 4 + np.maximum(lengths, 0)

    @staticmethod
    def of(column: pl.Series, pg_type: str) -> _Field:
        present = column.is_not_null().to_numpy()
        if pg_type in TEXT:
            return _Text(column, present)
        if pg_type not in FIXED:
            raise ValueError(f"column {column.name}: no binary encoding for {pg_type!r}")
        return _Fixed(column, present, pg_type)

    def write(self, out: NDArray[np.uint8], at: NDArray[np.int64]) -> None:
        raise NotImplementedError


class _Fixed(_Field):
    def __init__(self, column: pl.Series, present: NDArray[np.bool_], pg_type: str) -> None:
        width, order = FIXED[pg_type]
        super().__init__(np.where(present, width, -1).astype(np.int64), present)
        values = column.filter(column.is_not_null())
        if pg_type == "timestamptz":
            if not isinstance(column.dtype, pl.Datetime):
                raise ValueError(f"column {column.name}: timestamptz needs instants")
            values = values.dt.epoch("us") - PG_EPOCH_US
        elif pg_type == "bool":
            values = values.cast(pl.UInt8)
        self.width = width
        self.bytes = values.to_numpy().astype(order).view(np.uint8)

    def write(self, out: NDArray[np.uint8], at: NDArray[np.int64]) -> None:
        _scatter(out, at[self.present], self.bytes, self.width)


class _Text(_Field):
    def __init__(self, column: pl.Series, present: NDArray[np.bool_]) -> None:
        strings = column.cast(pl.String)
        lengths = strings.str.len_bytes().fill_null(-1).to_numpy().astype(np.int64)
        super().__init__(lengths, present)
        joined = strings.drop_nulls().str.join("").item()
        self.bytes = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)

    def write(self, out: NDArray[np.uint8], at: NDArray[np.int64]) -> None:
        lengths = self.lengths[self.present]
        if not len(self.bytes):
            return
        # Each byte goes to its string's offset plus its place within the string.
        firsts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        within = np.arange(len(self.bytes), dtype=np.int64) - np.repeat(firsts, lengths)
        out[np.repeat(at[self.present], lengths) + within] = self.bytes


def _scatter(
    out: NDArray[np.uint8], at: NDArray[np.int64], data: NDArray[np.uint8], width: int
) -> None:
    """Write ``data`` (``width`` bytes per entry) to ``out`` at the offsets ``at``."""
    lanes = np.ascontiguousarray(data.reshape(-1, width).T)
    for byte in range(width):  # a byte lane at a time: a 2-D index costs more
        out[byte:][at] = lanes[byte]
