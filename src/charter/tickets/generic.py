"""Import tickets (and events) from CSV or Parquet files, with a mapping file.

Without a mapping the columns are the canonical ones (``id``, ``created_at``, ...). A
file whose columns are ``ticket_id``, ``at`` and ``kind`` holds events. Files stream
through Polars in column batches; nothing is done row by row in Python.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "t.csv").write_text(
...     "Key,Opened,Via,Urgency,State\\n"
...     "1234567890123,2026-03-02 09:00,Email,P2,Waiting\\n"
...     "8,2026-03-02 10:00,Chat,P1,Unknown\\n")
>>> mapping = load_mapping_text('''
... timezone: Europe/London
... columns: {id: Key, created_at: Opened, channel: Via, priority: Urgency, status: State}
... values: {priority: {P1: urgent, P2: normal}, status: {Waiting: pending}}
... ''')
>>> result = import_generic([folder / "t.csv"], mapping)
>>> result.tickets.select("id", "status", "priority").rows()
[('1234567890123', 'pending', 'normal')]
>>> result.rejects["reason"].to_list()
["column 'State': unknown value 'Unknown'; map it under values.status in the mapping file"]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from charter.errors import UsageError
from charter.excerpt import excerpt
from charter.tickets._pages import sniff
from charter.tickets._tables import CANONICAL_STATUS
from charter.tickets._tabular import GENERIC, Preset, plan, stage
from charter.tickets._timestamps import TimeColumn, parse_times
from charter.tickets.importing import (
    ImportResult,
    Lookup,
    empty_staged_events,
    finish,
    lookups,
    problems,
    text,
)
from charter.tickets.mapping import Mapping, load_mapping_text
from charter.tickets.schema import EVENT_KINDS

__all__ = ["import_generic", "import_table", "load_mapping_text", "scan_table"]

Progress = Callable[[Path], None]
EVENT_COLUMNS = ("ticket_id", "at", "kind")


def import_generic(
    paths: Sequence[Path],
    mapping: Mapping | None = None,
    *,
    timezone: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import CSV or Parquet ticket (and event) files; ``timezone`` overrides the mapping's."""
    mapping = mapping or Mapping()
    tickets, events = [], [empty_staged_events()]
    for path in paths:
        frame = scan_table(path)
        if set(EVENT_COLUMNS) <= set(frame.collect_schema().names()):
            events.append(_events(frame, mapping, timezone, str(path)))
        else:
            tickets.append(import_table(frame, GENERIC, mapping, timezone, str(path)))
        if progress:
            progress(path)
    staged = pl.concat(tickets, how="diagonal_relaxed") if tickets else pl.DataFrame()
    return finish(staged, pl.concat(events, how="diagonal_relaxed"))


def scan_table(path: Path) -> pl.LazyFrame:
    """A CSV or Parquet file as a lazy frame of text cells with ``_file`` and ``_row``
    (the 1-based record number, counting data rows only)."""
    kind = sniff(path)
    if kind == "json":
        raise UsageError(
            f"{path}: a JSON file; import JSON pages with `charter import zendesk` or "
            "`charter import freshdesk`, and CSV or Parquet files with `charter import csv`"
        )
    try:
        if kind == "parquet":
            frame = pl.scan_parquet(path).with_row_index("_row", offset=1)
            names = frame.collect_schema()
            frame = frame.select(
                pl.col(n).list.join(",") if isinstance(t, pl.List) else pl.col(n).cast(pl.String)
                for n, t in names.items()
            )
        else:
            frame = pl.scan_csv(
                path, infer_schema=False, row_index_name="_row", row_index_offset=1,
                encoding="utf8-lossy",
            )  # fmt: skip
        frame.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as error:
        raise UsageError(f"{path}: cannot be read as {kind.upper()} ({excerpt(error)})") from None
    return frame.with_columns(pl.lit(str(path)).alias("_file"))


def import_table(
    frame: pl.LazyFrame, preset: Preset, mapping: Mapping, timezone: str | None, file: str
) -> pl.DataFrame:
    """Stage one table of tickets; ``UsageError`` for a missing column or naive times
    without a timezone."""
    names = [n for n in frame.collect_schema().names() if n not in ("_row", "_file")]
    chosen = plan(names, preset, mapping, timezone, file)
    return _collect(stage(frame, chosen), file)


def _collect(frame: pl.LazyFrame, file: str) -> pl.DataFrame:
    try:
        staged = frame.collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError) as error:
        message = excerpt(str(error).strip().splitlines()[0])
        raise UsageError(f"{file}: cannot be read ({message}); check it is a CSV export") from None
    naive = staged.filter(pl.col("_naive").is_not_null())
    if naive.height:
        raise UsageError(
            f"{file}: {naive['_naive'][0]} (row {naive['_row'][0]}), a time without a UTC "
            "offset, and no timezone says where it was written. Fix: give the export's "
            "timezone with --timezone Europe/Paris or 'timezone:' in the mapping file"
        )
    return staged.drop("_naive")


def _events(frame: pl.LazyFrame, mapping: Mapping, timezone: str | None, file: str) -> pl.DataFrame:
    """Stage a canonical events table: ticket_id, at, kind (and status for status events)."""
    names = frame.collect_schema().names()
    at = TimeColumn("at", pl.col("at"), pl.String(), "column 'at'")
    frame = parse_times(frame, [at], timezone or mapping.timezone, mapping.timestamp_formats)
    status = pl.col("status") if "status" in names else pl.lit(None, pl.String)
    frame = lookups(frame, [
        Lookup("kind", pl.col("kind"), {k: k for k in EVENT_KINDS}, "column 'kind'",
               f"use one of: {', '.join(EVENT_KINDS)}", codes=False),
        Lookup("status", status, {**CANONICAL_STATUS, "hold": "on_hold"}, "column 'status'",
               "use a canonical status (open, pending, ...)", codes=False),
    ])  # fmt: skip
    staged = frame.select(
        text(pl.col("ticket_id")).alias("ticket_id"),
        pl.col("at", "kind", "status", "_file"),
        pl.col("_row").cast(pl.String),
        problems(*[pl.col(f"{n}__problem") for n in ("at", "kind", "status")]).alias("_problem"),
        pl.col("at__naive").alias("_naive"),
    )
    return _collect(staged, file)
