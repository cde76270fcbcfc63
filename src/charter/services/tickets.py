"""Importing tickets into the store, a batch per transaction, and reading them back.

Each batch of ``batch_size`` tickets is upserted by ``(source, source id)`` in its
own transaction, together with its progress in the import's ``import_runs`` row.
On PostgreSQL two batches are written at once, on two connections (the database
uses a core per connection); SQLite takes one writer at a time. An import
stopped part-way (an error, a kill, a lost connection) leaves each batch wholly
stored or not at all; importing the same files again finishes the job, since
unchanged tickets are not written. When the batches are in, the SLA state of
the tickets written (and of any whose clocks still run) is brought up to date.

One import runs at a time per database (``charter.store.import_runs``' lock, which
dies with its holder); a second one is refused at once with ``Conflict`` saying
since when the first runs. The next import, and the web app when it starts, marks
failed any run a killed import left ``running``.

>>> import tempfile, pathlib, datetime as dt
>>> from charter.store import Database
>>> from charter.tickets.synth import synthesize
>>> import polars as pl
>>> from charter.tickets.importing import ImportResult
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
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass

from charter import clock, figures
from charter.errors import Conflict, StoreError
from charter.excerpt import excerpt
from charter.services._import_checks import check_import
from charter.services.dashboard import refresh_dashboard
from charter.services.sla_state import SlaSummary, recompute_sla
from charter.store import Database
from charter.store import import_runs as runs
from charter.store import tickets as stored
from charter.store.import_runs import ImportLock
from charter.tickets.dataset import TicketData
from charter.tickets.importing import ImportResult

Progress = Callable[[int, int], None]


LOOKS = 20  # times a refused import looks for the running one's row, 0.1 s apart
WRITERS = 2  # batches written at once on PostgreSQL, each on its own connection
COUNTS = ("inserted", "updated", "unchanged", "events", "batches")


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
    One import runs at a time per database: ``Conflict`` (saying since when) when
    another is running, in this process or any other. Raises ``InvalidInput`` before
    writing anything when the source name or a value cannot be stored, ``UsageError``
    for a batch size below 1.
    """
    check_import(result.tickets, source, batch_size)
    prepared = stored.prepare(result.tickets, result.events)
    with _one_at_a_time(database):
        return _import(database, result, prepared, source, batch_size, progress, user_id)


def refuse_while_importing(database: Database) -> None:
    """``Conflict`` now when an import runs, so that an upload is refused before it is
    read; the import itself still takes the lock, which settles any race."""
    with _one_at_a_time(database):
        pass


def recover_imports(database: Database) -> int:
    """Mark failed the runs a killed import left ``running``, unless an import is
    running now; how many were marked. Called when the web app starts."""
    lock = ImportLock.take(database)
    if lock is None:
        return 0
    with lock, database.transaction() as session:
        return runs.fail_abandoned(session, _now())


def _one_at_a_time(database: Database) -> ImportLock:
    """The import lock, or ``Conflict`` naming the running import's start."""
    for _attempt in range(LOOKS):
        lock = ImportLock.take(database)
        if lock is not None:
            return lock
        with database.reading() as session:
            running = runs.running_import(session)
        if running is not None:
            raise _running(running)
        time.sleep(0.1)  # the holder is between taking the lock and writing its row
    raise Conflict("another import is starting; try again when it has finished")


def _running(running: runs.RunningImport) -> Conflict:
    since = figures.instant(running.started_at, dt.UTC, seconds=True)
    return Conflict(
        f"an import is running since {since} (import run {running.run_id}, source "
        f"{running.source!r}); try again when it has finished"
    )


def _import(
    database: Database,
    result: ImportResult,
    prepared: stored.Prepared,
    source: str,
    batch_size: int,
    progress: Progress | None,
    user_id: int | None,
) -> ImportSummary:
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
        except stored.WRITE_CONFLICT:  # another import of this source added a ticket meanwhile
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
        runs.add_progress(session, run_id, counts)
    return counts


def _start(database: Database, source: str, user_id: int | None, rejected: int) -> int:
    """The run's row, after marking failed any run a killed import left ``running``
    (the caller holds the lock, so no other import is alive)."""
    with database.transaction() as session:
        runs.fail_abandoned(session, _now())
        return runs.start_run(session, source, user_id, rejected, _now())


def _finish(database: Database, run_id: int, status: str) -> None:
    with database.transaction() as session:
        runs.finish_run(session, run_id, status, _now())


NO_TICKETS = "there are no tickets in the store yet; import some with `charter import`"


def read_ticket_data(database: Database) -> TicketData:
    """Every stored ticket and its events in the canonical frames (``id`` is the
    store's ticket id as text, unique across sources)."""
    with database.reading() as session:
        return stored.load(session).data


def _first_line(error: BaseException) -> str:
    return excerpt(str(getattr(error, "orig", None) or error).strip().splitlines()[0], 200)


def _now() -> dt.datetime:
    return clock.now()
