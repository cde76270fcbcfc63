"""Canonical frames as CSV files: the shape a helpdesk export takes, for ``charter import``.

Timestamps are ISO 8601 in UTC with a ``Z`` (fractional seconds only when there
are any), tags are joined with ``|``, a missing value is an empty field.

>>> import datetime as dt
>>> frame = pl.DataFrame({"at": [dt.datetime(2026, 1, 5, 9, 30)], "tags": [["vip", "refund"]]},
...     schema={"at": pl.Datetime("us", "UTC"), "tags": pl.List(pl.String)})
>>> print(csv_text(frame), end="")
at,tags
2026-01-05T09:30:00Z,vip|refund
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from charter.errors import UsageError
from charter.tickets.dataset import TicketData

TICKETS_CSV: Final = "tickets.csv"
EVENTS_CSV: Final = "events.csv"
TAG_SEPARATOR: Final = "|"
ISO_UTC: Final = "%Y-%m-%dT%H:%M:%S%.fZ"


def csv_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with timestamps as ISO 8601 text and lists joined with ``|``."""
    return frame.with_columns(
        pl.col(pl.Datetime).dt.convert_time_zone("UTC").dt.strftime(ISO_UTC),
        pl.col(pl.List(pl.String)).list.join(TAG_SEPARATOR),
    )


def csv_text(frame: pl.DataFrame) -> str:
    return csv_ready(frame).write_csv()


def write_csv(folder: Path, data: TicketData) -> list[Path]:
    """Write ``tickets.csv`` and ``events.csv`` into ``folder``; the files written."""
    files = [folder / TICKETS_CSV, folder / EVENTS_CSV]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, frame in zip(files, (data.tickets, data.events), strict=True):
            csv_ready(frame).write_csv(path)
    except OSError as error:
        raise UsageError(f"cannot write to {folder}: {error.strerror or error}") from None
    return files
