"""Importing tickets into the store, a batch per transaction, and reading them back.

Each batch of ``batch_size`` tickets is upserted by ``(source, source id)`` in its
own transaction, together with its progress in the import's ``import_runs`` row.
On PostgreSQL two batches are written at once, on two connections (the database
uses a core per connection); SQLite takes one writer at a time. An import
stopped part-way (an error, a kill, a lost connection) leaves each batch wholly
stored or not at all; importing the same files again finishes the job, since
unchanged tickets are not written. When the batches are in, the SLA state of
the tickets written (and of any whose clocks still run) is brought up to date.

>>> import tempfile, pathlib, datetime as dt
>>> from charter.store import Database
>>> from charter.tickets.synth import synthesize
>>> from charter.tickets._importing import ImportResult
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> data = synthesize(50, 7, seed=1)
>>> result = ImportResult(data.tickets, data.events, pl.DataFrame())
>>> first = import_tickets(db, result, source="synth", batch_size=20)
>>> first.inserted, first.batches, first.sla.computed
(50, 3, False)
>>> again = import_tickets(db, result, source="synth", batch_size=20)
>>> again.inserted, again.updated, again.unchanged
(0, 0, 50)
>>> read_ticket_data(db).tickets.height
50
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass

import polars as pl
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from charter.errors import InvalidInput, StoreError, UsageError
from charter.excerpt import excerpt
from charter.services.dashboard import refresh_dashboard
from charter.services.sla_state import SlaSummary, recompute_sla
from charter.store import Database
from charter.store import tickets as stored
from charter.store.models import ImportRun, Ticket
from charter.tickets._importing import ImportResult
from charter.tickets.dataset import TicketData

Progress = Callable[[int, int], None]


def _length(column: str) -> int:
    length = getattr(Ticket.__table__.c[column].type, "length", None)
    assert isinstance(length, int)
    return length


SOURCE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")
SHOWN = 3  # offending tickets named in an error message
WRITERS = 2  # batches written at once on PostgreSQL, each on its own connection
COUNTS = ("inserted", "updated", "unchanged", "events", "batches")
TEXT_COLUMNS = ("channel", "segment", "team", "assignee", "category")
LIMITS = {
    "id": _length("source_id"),
    **{c: _length(c) for c in TEXT_COLUMNS},
}


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: ticket counts, events written, rejects, and the SLA recompute."""

    run_id: int
    source: str
    tickets: int
    inserted: int
    updated: int
    unchanged: int
    events: int
    rejected: int
    superseded: int
    batches: int
    sla: SlaSummary


def import_tickets(
    database: Database,
    result: ImportResult,
    *,
    source: str,
    batch_size: int,
    progress: Progress | None = None,
    user_id: int | None = None,
) -> ImportSummary:
    """Upsert ``result``'s tickets and events under ``source``, then recompute their SLA.

    ``progress`` is called after each committed batch with (tickets done, total).
    Raises ``InvalidInput`` before writing anything when the source name or a value
    cannot be stored, ``UsageError`` for a batch size below 1.
    """
    check_import(result.tickets, source, batch_size)
    prepared = stored.prepare(result.tickets, result.events)
    run_id = _start(database, source, user_id, result.rejected)
    try:
        totals = _write(database, prepared, source, run_id, batch_size, progress)
    except BaseException as error:
        with suppress(Exception):  # the database may be what failed; keep the first error
            _finish(database, run_id, "failed")
        if isinstance(error, stored.DATABASE_ERRORS):
            raise StoreError(
                f"the import stopped: the database refused a batch ({_first_line(error)}). "
                f"Every batch before it is stored (import run {run_id}); once the database "
                "is back, run the same import again to finish: stored tickets are skipped"
            ) from None
        raise
    _finish(database, run_id, "done")
    if totals["inserted"] + totals["updated"]:
        sla = recompute_sla(database)
        if sla.computed_at is not None:
            refresh_dashboard(database, sla.computed_at)
    else:
        sla = SlaSummary.skipped("no ticket was inserted or updated, so no SLA state changed")
    return ImportSummary(
        run_id=run_id, source=source, tickets=prepared.height, rejected=result.rejected,
        superseded=result.superseded, sla=sla, **totals,
    )  # fmt: skip


def _write(
    database: Database,
    prepared: stored.Prepared,
    source: str,
    run_id: int,
    batch_size: int,
    progress: Progress | None,
) -> dict[str, int]:
    """Every batch in its own transaction, two at a time on PostgreSQL; the totals."""

    def write(batch: stored.Prepared) -> dict[str, int]:
        try:
            return _write_batch(database, batch, source, run_id)
        except IntegrityError:  # another import of this source added a ticket meanwhile
            return _write_batch(database, batch, source, run_id)

    totals = dict.fromkeys(COUNTS, 0)
    workers = WRITERS if database.dialect == "postgresql" else 1
    running: set[Future[dict[str, int]]] = set()

    def collect(finished: set[Future[dict[str, int]]]) -> None:
        nonlocal totals
        for future in finished:
            counts = future.result()  # a failed batch stops the import here
            totals = {name: totals[name] + counts[name] for name in COUNTS}
            if progress is not None:
                progress(totals["inserted"] + totals["updated"] + totals["unchanged"],
                         prepared.height)  # fmt: skip

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for batch in prepared.batches(batch_size):
            if len(running) == workers:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                collect(finished)
            running.add(pool.submit(write, batch))
        collect(wait(running).done)
    return totals


def _write_batch(
    database: Database, batch: stored.Prepared, source: str, run_id: int
) -> dict[str, int]:
    with database.transaction() as session:
        upserted = stored.upsert(session, source, batch, _now())
        counts = {
            "inserted": upserted.inserted, "updated": upserted.updated,
            "unchanged": upserted.unchanged, "events": upserted.events, "batches": 1,
        }  # fmt: skip
        # Last in the transaction: the row stays locked only until the commit.
        growth = {name: getattr(ImportRun, name) + n for name, n in counts.items()}
        session.execute(update(ImportRun).where(ImportRun.id == run_id).values(growth))
    return counts


def check_import(tickets: pl.DataFrame, source: str, batch_size: int) -> None:
    """Refuse, before anything is written, what the store cannot keep."""
    if batch_size < 1:
        raise UsageError(f"the batch size must be at least 1, got {batch_size}")
    if not SOURCE.match(source):
        raise InvalidInput(
            f"source {excerpt(source)!r} cannot be stored: use 1-32 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit (e.g. 'zendesk')",
            [{"field": "source", "problem": "not a source name"}],
        )
    repeated = tickets.filter(pl.col("id").is_duplicated())["id"].unique(maintain_order=True)
    if repeated.len():
        shown = ", ".join(excerpt(t, 20) for t in repeated.head(SHOWN).to_list())
        raise InvalidInput(f"ticket ids appear more than once ({shown}); keep one row per ticket")
    for column, limit in LIMITS.items():
        _check_length(tickets, column, limit)
    _check_text(tickets)


def _check_text(tickets: pl.DataFrame) -> None:
    """PostgreSQL cannot store a NUL character in text; say where one is."""
    for column in ("id", *TEXT_COLUMNS):
        found = tickets.filter(pl.col(column).str.contains("\x00", literal=True))
        if found.height:
            raise InvalidInput(
                f"ticket {found['id'][0][:20]!r}: {column} holds a NUL character, which the "
                "store cannot keep; remove it from the export",
                [{"field": column, "problem": "NUL character"}],
            )


def _check_length(tickets: pl.DataFrame, column: str, limit: int) -> None:
    long = tickets.filter(pl.col(column).str.len_chars() > limit)
    if long.height:
        first = long.head(SHOWN)
        shown = "; ".join(
            f"ticket {ticket[:20]}: {len(value)} characters"
            for ticket, value in zip(first["id"], first[column], strict=True)
        )
        raise InvalidInput(
            f"{long.height} ticket(s) have a {column} longer than the {limit} characters the "
            f"store keeps ({shown}); shorten it in the export or map it to a shorter value",
            [{"field": column, "problem": f"longer than {limit} characters"}],
        )


def _start(database: Database, source: str, user_id: int | None, rejected: int) -> int:
    with database.transaction() as session:
        run = ImportRun(source=source, user_id=user_id, status="running", rejected=rejected,
                        started_at=_now())  # fmt: skip
        session.add(run)
        session.flush()
        return run.id


def _finish(database: Database, run_id: int, status: str) -> None:
    with database.transaction() as session:
        session.execute(
            update(ImportRun)
            .where(ImportRun.id == run_id)
            .values(status=status, finished_at=_now())
        )


def read_ticket_data(database: Database) -> TicketData:
    """Every stored ticket and its events in the canonical frames (``id`` is the
    store's ticket id as text, unique across sources)."""
    with database.reading() as session:
        return stored.load(session).data


def _first_line(error: BaseException) -> str:
    return excerpt(str(getattr(error, "orig", None) or error).strip().splitlines()[0], 200)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
