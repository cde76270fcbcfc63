"""Reading and writing a ticket dataset: ``tickets.parquet``, ``events.parquet``,
``rejects.csv`` in one folder.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_dataset(folder, empty_tickets(), empty_events())
>>> sorted(p.name for p in folder.iterdir())
['events.parquet', 'tickets.parquet']
>>> read_dataset(folder).tickets.height
0
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from charter.errors import UsageError
from charter.tickets.schema import (
    EVENT_SCHEMA,
    TICKET_SCHEMA,
    check_events,
    check_tickets,
    conform,
)

TICKETS_FILE = "tickets.parquet"
EVENTS_FILE = "events.parquet"
REJECTS_FILE = "rejects.csv"


@dataclass(frozen=True)
class TicketData:
    """Tickets and their events in the canonical schema."""

    tickets: pl.DataFrame
    events: pl.DataFrame


def empty_tickets() -> pl.DataFrame:
    return pl.DataFrame(schema=TICKET_SCHEMA)


def empty_events() -> pl.DataFrame:
    return pl.DataFrame(schema=EVENT_SCHEMA)


def write_dataset(
    folder: Path, tickets: pl.DataFrame, events: pl.DataFrame, rejects: pl.DataFrame | None = None
) -> None:
    """Write the canonical frames (and the rejects, when given) into ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        conform(tickets, TICKET_SCHEMA).write_parquet(folder / TICKETS_FILE)
        conform(events, EVENT_SCHEMA).write_parquet(folder / EVENTS_FILE)
        if rejects is not None:
            rejects.write_csv(folder / REJECTS_FILE)
    except OSError as error:
        raise UsageError(f"cannot write to {folder}: {error.strerror or error}") from None


def read_dataset(path: Path, events: Path | None = None) -> TicketData:
    """Tickets (and events) from a dataset folder, or from canonical Parquet/CSV files.

    A folder must hold ``tickets.parquet``; ``events.parquet`` is optional (tickets
    without events fall back to their first-response and solve times). Parquet rows
    are checked as an import checks them (``check_tickets``, ``check_events``: an event
    before its ticket's creation, a status on an event that is not a status event...):
    a bad row is a ``UsageError`` naming the file, the row (from 1) and the reason.
    """
    if path.is_dir():
        tickets_file, events_file = path / TICKETS_FILE, path / EVENTS_FILE
        if not tickets_file.exists():
            raise UsageError(
                f"{path} has no {TICKETS_FILE}; create one with `charter import` or `charter synth`"
            )
        events = events or (events_file if events_file.exists() else None)
        path = tickets_file
    files = [p for p in (path, events) if p is not None]
    for file in files:
        if not file.exists():
            raise UsageError(f"{file}: no such file")
    if any(file.suffix == ".csv" for file in files):
        return _read_csv(files)
    tickets = conform(_read_parquet(path), TICKET_SCHEMA)
    event_frame = conform(_read_parquet(events), EVENT_SCHEMA) if events else empty_events()
    _refuse(check_tickets(tickets, str(path)).rejects)
    # One creation per id, however many rows repeat it: the earliest.
    created = tickets.group_by("id").agg(pl.col("created_at").min())
    _refuse(check_events(event_frame, str(events or path), created=created).rejects)
    return TicketData(tickets, event_frame)


def _refuse(rejects: pl.DataFrame) -> None:
    """A Parquet dataset is used whole or not at all: name its first bad rows."""
    if rejects.height == 0:
        return
    shown = "; ".join(f"row {r['row']}: {r['reason']}" for r in rejects.head(3).to_dicts())
    count = f"{rejects.height} bad row{'s' if rejects.height != 1 else ''}"
    raise UsageError(
        f"{rejects['file'][0]}: {count} ({shown}); fix them, or import the source with "
        "`charter import`, which sets bad rows aside in rejects.csv"
    )


def _read_parquet(path: Path) -> pl.DataFrame:
    if path.suffix != ".parquet":
        raise UsageError(f"{path}: expected a .parquet or .csv file of canonical columns")
    try:
        return pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise UsageError(f"{path}: cannot be read ({error})") from None


def _read_csv(files: list[Path]) -> TicketData:
    """Canonical CSV goes through the CSV importer: its checks, its reasons."""
    from charter.tickets.generic import import_generic  # the importer builds on this module

    result = import_generic(files)
    if result.rejected:
        shown = "; ".join(
            f"{r['file']} row {r['row']}: {r['reason']}" for r in result.rejects.head(3).to_dicts()
        )
        raise UsageError(
            f"{result.rejected} rows could not be read ({shown}); "
            "`charter import csv` lists them all in rejects.csv"
        )
    return TicketData(result.tickets, result.events)
