"""Reading instants from exports, as whole-column Polars steps.

Text with an offset or ``Z`` is converted to UTC. Text without one is wall-clock time
in the timezone given (by the mapping or ``--timezone``); with no timezone it is
flagged, and the importer refuses the file. Integer columns are epoch seconds (the
Zendesk API writes some times that way).

Each column ``name`` yields ``name`` (UTC instants), ``name__problem`` (why a cell could
not be read, or null) and ``name__naive`` (the cell, where it is wall-clock time with no
timezone to read it in). Intermediate results are columns of their own, computed once.

>>> frame = pl.LazyFrame({"t": ["2026-03-01T09:00:00Z", "2026-03-01 09:00:00+05:30",
...                               "2026-03-01 09:00", "yesterday", None]})
>>> spec = TimeColumn("created_at", pl.col("t"), pl.String(), "column 't'")
>>> out = parse_times(frame, [spec], "Europe/Paris").collect()
>>> [f"{v:%d %H:%M}" if v else None for v in out["created_at"]]
['01 09:00', '01 03:30', '01 08:00', None, None]
>>> out["created_at__problem"][3]
"column 't': cannot read 'yesterday' as a date and time; write ISO 8601 ..."
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from charter.excerpt import excerpt
from charter.tickets.importing import quoted

UTC = pl.Datetime("us", "UTC")
LABEL = 120  # characters of a label quoted (a CSV's labels are excerpts already)

_AWARE = ("%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z")
_NAIVE = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d")
_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"


@dataclass(frozen=True)
class TimeColumn:
    """One column to parse: its output name, source expression and type, and how
    problems name it (``column 'Created at'``)."""

    name: str
    source: pl.Expr
    dtype: pl.DataType
    label: str


def parse_times(
    frame: pl.LazyFrame,
    columns: Sequence[TimeColumn],
    timezone: str | None,
    formats: Sequence[str] = (),
) -> pl.LazyFrame:
    """``frame`` with each column parsed (see the module docstring for what is added)."""
    texts = [c for c in columns if not _numeric(c.dtype)]
    frame = frame.with_columns(
        *[e for c in columns if _numeric(c.dtype) for e in _epoch(c)],
        *[_text(c.source).alias(_t(c)) for c in texts],
    )
    frame = frame.with_columns(
        pl.col(_t(c))
        .str.replace(" ", "T", literal=True)
        .str.replace(r"\s+([+-]\d{2}:?\d{2}|[zZ])$", "${1}")
        .alias(_t(c, "iso"))
        for c in texts
    )
    frame = frame.with_columns(
        pl.col(_t(c, "iso")).str.contains(_OFFSET).fill_null(False).alias(_t(c, "offset"))
        for c in texts
    )
    frame = frame.with_columns(
        *[pl.lit(None, UTC).alias(_t(c, "aware")) for c in texts],
        *[pl.lit(None, pl.Datetime("us")).alias(_t(c, "local")) for c in texts],
    )
    for attempt in _attempts(formats):  # each format reads only the cells still unread
        frame = frame.with_columns(attempt(c) for c in texts)
    frame = frame.with_columns(
        pl.coalesce(pl.col(_t(c, "aware")), _localise(pl.col(_t(c, "local")), timezone))
        .cast(UTC)
        .alias(c.name)
        for c in texts
    )
    frame = frame.with_columns(
        *[_problem(c, timezone).alias(f"{c.name}__problem") for c in texts],
        *[_naive(c, timezone).alias(f"{c.name}__naive") for c in texts],
    )
    temporaries = [_t(c, part) for c in texts for part in ("", "iso", "offset", "aware", "local")]
    return frame.drop(temporaries)


def _t(column: TimeColumn, part: str = "") -> str:
    return f"__{column.name}_{part}"


def _numeric(dtype: pl.DataType) -> bool:
    return dtype.is_integer() or dtype.is_float()


def _text(source: pl.Expr) -> pl.Expr:
    trimmed = source.cast(pl.String).str.strip_chars()
    return pl.when(trimmed != "").then(trimmed)


def _epoch(c: TimeColumn) -> list[pl.Expr]:
    value = pl.from_epoch(c.source.cast(pl.Int64, strict=False), "s").dt.replace_time_zone("UTC")
    unread = quoted(f"{excerpt(c.label, LABEL)}: cannot read ", c.source, " as epoch seconds")
    problem = pl.when(c.source.is_not_null() & value.is_null()).then(unread)
    return [
        value.cast(UTC).alias(c.name),
        problem.alias(f"{c.name}__problem"),
        pl.lit(None, pl.String).alias(f"{c.name}__naive"),
    ]


Attempt = Callable[[TimeColumn], pl.Expr]


def _attempts(formats: Sequence[str]) -> list[Attempt]:
    """One step per format: the user's formats on the cell as written, then ISO 8601."""
    own = [_attempt(f, _is_aware(f), iso=False) for f in formats]
    return [*own, *[_attempt(f, True, iso=True) for f in _AWARE],
            *[_attempt(f, False, iso=True) for f in _NAIVE]]  # fmt: skip


def _attempt(fmt: str, aware: bool, *, iso: bool) -> Attempt:
    def step(c: TimeColumn) -> pl.Expr:
        target = _t(c, "aware" if aware else "local")
        unread = pl.col(_t(c, "aware")).is_null() & pl.col(_t(c, "local")).is_null()
        if iso:
            offset = pl.col(_t(c, "offset"))
            unread = unread & (offset if aware else ~offset)
        cells = pl.when(unread).then(pl.col(_t(c, "iso" if iso else "")))
        parsed = _read(cells, fmt)
        parsed = parsed.dt.convert_time_zone("UTC") if aware else parsed
        return pl.coalesce(pl.col(target), parsed).alias(target)

    return step


def _problem(c: TimeColumn, timezone: str | None) -> pl.Expr:
    cell, local = pl.col(_t(c)), pl.col(_t(c, "local"))
    missing = cell.is_not_null() & pl.col(c.name).is_null()
    if timezone is None:
        missing = missing & local.is_null()  # naive cells are reported for the whole file
    gap = f" does not exist in {timezone} (the clocks went forward); correct it"
    unread = (
        " as a date and time; write ISO 8601 (2026-03-01T09:00:00Z)"
        " or add its format under timestamp_formats in the mapping file"
    )
    return (
        pl.when(missing & local.is_not_null())
        .then(quoted(f"{excerpt(c.label, LABEL)}: ", cell, gap))
        .when(missing)
        .then(quoted(f"{excerpt(c.label, LABEL)}: cannot read ", cell, unread))
    )


def _naive(c: TimeColumn, timezone: str | None) -> pl.Expr:
    if timezone is not None:
        return pl.lit(None, pl.String)
    naive = pl.col(_t(c, "aware")).is_null() & pl.col(_t(c, "local")).is_not_null()
    return pl.when(naive).then(quoted(f"{excerpt(c.label, LABEL)} holds ", pl.col(_t(c))))


def _is_aware(fmt: str) -> bool:
    return any(d in fmt for d in ("%z", "%#z", "%:z"))


def _read(text: pl.Expr, fmt: str) -> pl.Expr:
    return text.str.to_datetime(fmt, strict=False, time_unit="us")


def _localise(naive: pl.Expr, timezone: str | None) -> pl.Expr:
    if timezone is None:
        return pl.lit(None, UTC)
    zoned = naive.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
    return zoned.dt.convert_time_zone("UTC")
