"""The ticket list as CSV: exactly the tickets the list's filters keep, in its order,
streamed in batches (docs/tickets-view.md, "CSV export").

More than ``EXPORT_LIMIT`` tickets is refused before the first line, naming how many
the filters keep. Instants are UTC, ISO 8601; a cell a spreadsheet would run as a
formula is written as text (``charter.publish.spreadsheet``).

>>> line(["=1+2", "-", "@x", "plain", None, 7])
"'=1+2,'-,'@x,plain,,7\\r\\n"
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from charter.errors import InvalidInput
from charter.policy.service_level import METRICS
from charter.publish.spreadsheet import as_text
from charter.services.ticket_queries import TicketRow, batches_of, count_kept
from charter.store import Database
from charter.store import tickets as stored

EXPORT_LIMIT = 100_000  # tickets in one export; narrow the filters for more
CSV_COLUMNS = (
    "id", "source", "source_id", "created_at", "status", "priority", "channel", "team",
    "assignee", "sla", "next_due_at",
    *(f"{metric}_{part}" for metric in METRICS for part in ("status", "due_at")),
)  # fmt: skip


def export_csv(
    database: Database, chosen: stored.TicketFilter, *, order: str, descending: bool
) -> Iterator[str]:
    """The CSV lines of the tickets ``chosen`` keeps, in the list's order; more than
    ``EXPORT_LIMIT`` raises ``InvalidInput`` before any line."""
    total = count_kept(database, chosen)
    if total > EXPORT_LIMIT:
        raise InvalidInput(
            f"the filters keep {total:,} tickets; an export holds at most {EXPORT_LIMIT:,}: "
            "narrow it, for example by status, team or due within",
            [{"field": "filters", "problem": "too many rows"}],
        )
    batches = batches_of(database, chosen, order=order, descending=descending,
                         limit=EXPORT_LIMIT)  # fmt: skip
    return _lines(batches)


def _lines(batches: Iterable[list[TicketRow]]) -> Iterator[str]:
    yield line(CSV_COLUMNS)
    for batch in batches:
        for row in batch:
            yield line(_cells(row))


def _cells(row: TicketRow) -> list[Any]:
    metrics = [(row.sla.get(m), row.due.get(m)) for m in METRICS]
    return [
        row.id, row.source, row.source_id, row.created_at, row.status, row.priority,
        row.channel, row.team, row.assignee, row.worst, row.next_due,
        *(value for pair in metrics for value in pair),
    ]  # fmt: skip


def line(values: Iterable[Any]) -> str:
    """One CSV line (CRLF), instants in UTC, formula-like text written as text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return as_text(None if value is None else str(value))  # the one spreadsheet rule
