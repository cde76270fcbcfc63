"""A ticket's content hash: its columns and its events, computed over whole columns.

The hash is stored, so it must not change between runs, machines or library
versions; it is built here from fixed arithmetic rather than Polars' own
``hash``, whose values may change with a Polars release. Text is hashed once
per distinct value with BLAKE2b; instants and numbers are mixed with
SplitMix64's finaliser in numpy; two independent 64-bit lanes give 32 hex
characters. The ticket's own id is not part of it: the id is the key.

>>> import datetime as dt
>>> from charter.tickets.schema import TICKET_SCHEMA, EVENT_SCHEMA, conform
>>> ticket = {"id": ["1"], "created_at": [dt.datetime(2026, 1, 5, 9)], "channel": ["email"],
...     "priority": ["low"], "status": ["open"]}
>>> tickets = conform(pl.DataFrame(ticket), TICKET_SCHEMA)
>>> events = conform(pl.DataFrame({"ticket_id": ["1"], "at": [dt.datetime(2026, 1, 5, 9)],
...     "kind": ["customer_message"]}), EVENT_SCHEMA)
>>> plain = content_hashes(tickets, place_events(tickets, events.clear()))[0]
>>> len(plain), plain == content_hashes(tickets, place_events(tickets, events))[0]
(32, False)
>>> other_id = tickets.with_columns(id=pl.lit("2"))
>>> plain == content_hashes(other_id, place_events(other_id, events.clear()))[0]
True
"""

from __future__ import annotations

import hashlib
from typing import Final

import numpy as np
import polars as pl
from numpy.typing import NDArray

U64 = NDArray[np.uint64]
SEEDS: Final = (0x243F6A8885A308D3, 0x13198A2E03707344)
NULL: Final = np.uint64(0x9E3779B97F4A7C15)
ODD: Final = np.uint64(0xD6E8FEB86659FD93)
# Each byte as its two lower-case hex characters, read as one 16-bit value.
_HEX: Final = np.frombuffer(b"".join(f"{i:02x}".encode() for i in range(256)), dtype=np.uint16)
TAG_SEPARATOR: Final = "\x1f"
# Columns added later: mixed in only where a ticket has a value, so the hash of every
# ticket without one stays what it was before they existed (no re-import rewrites it).
LATER: Final = ("requester_email", "csat_comment")
ROW, PLACE = "_row", "_place"


def place_events(tickets: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """``events`` of ``tickets`` with ``_row`` (the ticket's row in ``tickets``) and
    ``_place`` (0, 1, ... within the ticket), sorted by row, each ticket's events in
    their given order. Events of other tickets are dropped."""
    rows = tickets.select(pl.col("id").alias("ticket_id")).with_row_index(ROW)
    placed = events.with_row_index("_order").join(rows, on="ticket_id").sort(ROW, "_order")
    place = _places(placed[ROW].to_numpy())
    return placed.drop("_order").with_columns(pl.Series(PLACE, place))


def content_hashes(tickets: pl.DataFrame, placed: pl.DataFrame) -> pl.Series:
    """32 hex characters per row of ``tickets`` (canonical columns), in row order.

    ``placed`` are the tickets' events from :func:`place_events`; their order
    within a ticket counts, as it does for SLA evaluation.
    """
    names = [name for name in tickets.columns if name != "id" and name not in LATER]
    columns = [_column(tickets[name]) for name in names]
    later = [
        (_column(tickets[name]), tickets[name].is_not_null().to_numpy())
        for name in LATER
        if name in tickets.columns
    ]
    event_lanes = _event_sums(tickets.height, placed)
    lanes = []
    for lane, seed in enumerate(SEEDS):
        h = np.full(tickets.height, np.uint64(seed))
        for values in columns:
            h = _mix(h ^ values[lane])
        for values, present in later:
            h = np.where(present, _mix(h ^ values[lane]), h)
        lanes.append(_mix(h ^ event_lanes[lane]))
    return _hex(lanes[0], lanes[1]).alias("content_hash")


def _column(series: pl.Series) -> tuple[U64, U64]:
    """Two lanes of 64-bit values standing for each row's value of ``series``."""
    if isinstance(series.dtype, pl.List):
        series = series.list.join(TAG_SEPARATOR)
    if series.dtype == pl.String or isinstance(series.dtype, pl.Enum):
        return _text(series)
    numbers = series.to_physical().cast(pl.Int64)
    raw = numbers.fill_null(0).to_numpy().view(np.uint64)
    value = np.where(numbers.is_null().to_numpy(), NULL, raw)
    return value, value * ODD


def _text(series: pl.Series) -> tuple[U64, U64]:
    """Hash each distinct text once (a few hundred values, not one per ticket)."""
    if isinstance(series.dtype, pl.Enum):
        keys = series.dtype.categories.to_list()
        codes = series.to_physical()
    else:
        keys = series.drop_nulls().unique().to_list()
        codes = series.cast(pl.Enum(keys)).to_physical()
    digests = [hashlib.blake2b(k.encode(), digest_size=16).digest() for k in keys]
    table = np.frombuffer(b"".join(digests), dtype="<u8").reshape(-1, 2)
    table = np.vstack([table, [[NULL, NULL]]])  # the last row stands for a missing value
    index = codes.cast(pl.Int64).fill_null(len(keys)).to_numpy()
    return table[index, 0], table[index, 1]


def _event_sums(height: int, placed: pl.DataFrame) -> tuple[U64, U64]:
    """Per ticket, a sum of its events' values, each mixed with its place in the ticket."""
    target = placed[ROW].to_numpy().astype(np.int64)
    at = _column(placed["at"])[0]
    kind = pl.concat_str("kind", "status", separator="/", ignore_nulls=True)
    what = _text(placed.select(kind).to_series())
    place = placed[PLACE].to_numpy().astype(np.uint64) * ODD
    count = _mix(np.bincount(target, minlength=height).astype(np.uint64))
    sums = []
    for lane, seed in enumerate(SEEDS):
        h = _mix(_mix(np.uint64(seed) ^ at) ^ what[lane] ^ place)
        total = np.zeros(height, dtype=np.uint64)
        np.add.at(total, target, h)  # wraps around: a sum modulo 2**64
        sums.append(total ^ count)
    return sums[0], sums[1]


def _places(sorted_rows: NDArray[np.generic]) -> NDArray[np.uint32]:
    """0, 1, 2, ... within each run of equal values of ``sorted_rows``."""
    index = np.arange(sorted_rows.size)
    starts = np.flatnonzero(np.diff(sorted_rows.astype(np.int64), prepend=-1))
    run_start = np.repeat(starts, np.diff(np.append(starts, sorted_rows.size)))
    return (index - run_start).astype(np.uint32)


def _mix(x: U64) -> U64:
    """SplitMix64's finaliser: every input bit reaches every output bit."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _hex(high: U64, low: U64) -> pl.Series:
    """Two 64-bit lanes as 32 lower-case hex characters per row."""
    if high.size == 0:
        return pl.Series(dtype=pl.String)
    both = np.stack([high, low], axis=1).astype(">u8").view(np.uint8)
    text = np.ascontiguousarray(_HEX[both]).view("S32").ravel()
    return pl.Series(text).cast(pl.String)
