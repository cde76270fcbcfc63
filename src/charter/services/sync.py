"""Syncing tickets live from a helpdesk into the store, a page per transaction.

Each page (of Zendesk's incremental export, of Freshdesk's ``updated_since``
listing) is read by that helpdesk's file importer (the API's JSON is the shape an
exported page has) and upserted by ``(source, source id)`` together with the cursor
of the next page, in one transaction. A sync
stopped part-way (an error, a kill, a lost connection) has stored every page before
it, and its cursor names the first page it did not store: the next sync starts
there, so nothing is lost, and a page read twice changes nothing.

A sync takes the import lock (``charter.store.import_runs``): one import or sync
writes at a time, and a second is refused at once with ``Conflict``.

Deleted tickets (Zendesk's status ``deleted``; Freshdesk's listing leaves them out)
are not stored; one stored before it
was deleted is kept as last synced (its verdicts were given and published) and the
summary names it. When the pages are in, SLA state is brought up to date.

The worker calls :func:`run_due_syncs` each tick: it syncs the tickets webhooks queued
(``charter.services.hooks``) and, every ``CHARTER_SYNC_EVERY`` seconds, runs the
incremental sync; it leaves SLA state to the worker and never raises for a helpdesk
that fails, reporting it in its :class:`DueSyncs` instead.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from charter import clock
from charter.config import Settings
from charter.errors import CharterError, ConfigError, Conflict, InvalidInput, UsageError
from charter.services._import_checks import check_import
from charter.services.dashboard import refresh_dashboard
from charter.services.sla_state import SlaSummary, recompute_sla
from charter.store import Database
from charter.store import sync_cursors as cursors
from charter.store import sync_requests as queue
from charter.store import tickets as stored
from charter.store.import_runs import ImportLock
from charter.sync import (
    FreshdeskAccess,
    FreshdeskReader,
    Page,
    Reader,
    ZendeskAccess,
    ZendeskReader,
)
from charter.tickets.freshdesk import import_freshdesk
from charter.tickets.importing import ImportResult
from charter.tickets.zendesk import import_zendesk

ZENDESK, FRESHDESK = "zendesk", "freshdesk"
SOURCES = (ZENDESK, FRESHDESK)
Importer = Callable[[list[Path]], ImportResult]
REJECT_SAMPLES = 10  # rejected rows a summary quotes


@dataclass
class SyncSummary:
    """What a sync did: pages stored, ticket counts, deleted and rejected tickets."""

    source: str
    resumed: bool
    pages: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    deleted: list[str] = field(default_factory=list)
    rejects: list[tuple[str, str, str]] = field(default_factory=list)
    rejected: int = 0
    requests: int = 0
    sla: SlaSummary = field(default_factory=lambda: SlaSummary.skipped("not run"))

    @property
    def tickets(self) -> int:
        return self.inserted + self.updated + self.unchanged


Progress = Callable[[SyncSummary], None]


def sync_helpdesk(
    database: Database,
    settings: Settings,
    source: str,
    *,
    start_time: int = 0,
    progress: Progress | None = None,
    sleep: Callable[[float], None] | None = None,
) -> SyncSummary:
    """Store the tickets of ``source`` (``zendesk`` or ``freshdesk``) changed since its
    stored cursor (on the first sync, since ``start_time``, epoch seconds), then
    recompute SLA state.

    ``progress`` is called after each committed page with the summary so far.
    ``ConfigError`` names a missing setting; ``HelpdeskError`` says what the helpdesk
    refused or kept failing; ``Conflict`` when an import or sync is running.
    """
    reader, importer = _reader(settings, source, sleep)
    try:
        lock = ImportLock.take(database)
        if lock is None:
            raise Conflict("an import or another sync is writing tickets; try again when it ends")
        with lock:
            summary = _sync(database, source, reader, importer, start_time, progress)
    finally:
        reader.close()
    if summary.inserted + summary.updated:
        summary.sla = recompute_sla(database)
        if summary.sla.computed_at is not None:
            refresh_dashboard(database, summary.sla.computed_at)
    else:
        summary.sla = SlaSummary.skipped("no ticket was inserted or updated")
    return summary


def sync_zendesk(
    database: Database,
    settings: Settings,
    *,
    start_time: int = 0,
    progress: Progress | None = None,
    sleep: Callable[[float], None] | None = None,
) -> SyncSummary:
    """:func:`sync_helpdesk` for Zendesk."""
    return sync_helpdesk(
        database, settings, ZENDESK, start_time=start_time, progress=progress, sleep=sleep
    )


def _reader(
    settings: Settings, source: str, sleep: Callable[[float], None] | None
) -> tuple[Reader, Importer]:
    tries = settings.sync_tries
    if source == ZENDESK:
        zendesk = ZendeskAccess.of(
            settings.zendesk_subdomain, settings.zendesk_email, settings.zendesk_api_token,
            settings.zendesk_base_url,
        )  # fmt: skip
        reader = ZendeskReader(
            zendesk, tries=tries, sleep=sleep, events_export=settings.zendesk_events_export
        )
        return reader, import_zendesk
    if source == FRESHDESK:
        freshdesk = FreshdeskAccess.of(
            settings.freshdesk_domain, settings.freshdesk_api_key, settings.freshdesk_base_url
        )
        return FreshdeskReader(freshdesk, tries=tries, sleep=sleep), import_freshdesk
    raise UsageError(f"no sync for {source!r}; choose one of {', '.join(SOURCES)}")


def _sync(
    database: Database,
    source: str,
    reader: Reader,
    importer: Importer,
    start_time: int,
    progress: Progress | None,
) -> SyncSummary:
    with database.reading() as session:
        resume = cursors.cursor_of(session, source)
    summary = SyncSummary(source, resumed=resume is not None)
    cursor = resume.cursor if resume else None
    for page in reader.pages(cursor=cursor, start_time=start_time):
        _store_page(database, source, page, importer, summary)
        summary.requests = reader.requests
        if progress is not None:
            progress(summary)
    return summary


def _store_page(
    database: Database, source: str, page: Page, importer: Importer, summary: SyncSummary,
    done: Sequence[queue.Waiting] = (),
) -> None:  # fmt: skip
    number = summary.pages + 1
    result = _read_page(page, number, importer)
    check_import(result.tickets, source, 1)
    prepared = stored.prepare(result.tickets, result.events)
    now = clock.now()
    with database.transaction() as session:
        if prepared.height:
            upserted = stored.upsert(session, source, prepared, now)
            summary.inserted += upserted.inserted
            summary.updated += upserted.updated
            summary.unchanged += upserted.unchanged
            summary.events += upserted.events
        if page.after_cursor:
            cursors.save_cursor(session, source, page.after_cursor, now)
        queue.done(session, done)
    summary.pages = number
    summary.deleted += page.deleted
    _count_rejects(result.rejects, summary)


def _read_page(page: Page, number: int, importer: Importer) -> ImportResult:
    """The page read by the helpdesk's file importer, from files named after the page."""
    with tempfile.TemporaryDirectory(prefix="charter-sync-") as folder:
        paths = [
            _write(Path(folder), f"page-{number}-{name}.json", body)
            for name, body in page.files.items()
            if body
        ]
        result = importer(paths)
        rejects = result.rejects.with_columns(
            pl.col(result.rejects.columns[0]).str.replace(f"{folder}/", "", literal=True)
        )
    return ImportResult(result.tickets, result.events, rejects, result.superseded)


def _write(folder: Path, name: str, body: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def _count_rejects(rejects: pl.DataFrame, summary: SyncSummary) -> None:
    """Rejected rows other than deleted tickets (those are listed by id)."""
    reasons = rejects.columns[-1]
    kept = rejects.filter(~pl.col(reasons).str.contains("deleted in Zendesk"))
    summary.rejected += kept.height
    room = REJECT_SAMPLES - len(summary.rejects)
    summary.rejects += [tuple(map(str, row)) for row in kept.head(max(room, 0)).rows()]  # type: ignore[misc]


def forget_sync(database: Database, source: str) -> bool:
    """Drop ``source``'s stored cursor (the next sync starts from its start time);
    whether there was one."""
    with database.transaction() as session:
        had = cursors.cursor_of(session, source) is not None
        cursors.forget_cursor(session, source)
    return had


QUEUE_BATCH = 100  # queued tickets fetched and stored together (Zendesk's show_many cap)
QUEUE_BATCHES = 10  # batches per helpdesk per tick, so one tick stays bounded


@dataclass
class DueSyncs:
    """What one tick's syncs did, per helpdesk: the queued tickets synced, the periodic
    incremental sync, why requests wait, and what failed."""

    queued: dict[str, SyncSummary] = field(default_factory=dict)
    periodic: dict[str, SyncSummary] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    skipped: str | None = None

    @property
    def changed(self) -> bool:
        """Whether a ticket was inserted or updated (SLA state is then out of date)."""
        runs = [*self.queued.values(), *self.periodic.values()]
        return any(run.inserted + run.updated for run in runs)

    def lines(self) -> list[str]:
        """One line per thing done or not done, for the worker's log."""
        if self.skipped:
            return [f"syncs skipped: {self.skipped}"]
        done = [f"{s}: {_counts(r, 'queued ticket(s)')}" for s, r in self.queued.items()]
        done += [f"{s}: incremental sync, {_counts(r, 'ticket(s)')}"
                 for s, r in self.periodic.items()]  # fmt: skip
        done += [f"{s}: {why}" for s, why in self.waiting.items()]
        return done + [f"{s}: failed: {why}" for s, why in self.failures.items()]


def _counts(run: SyncSummary, what: str) -> str:
    gone = f", {len(run.deleted)} gone from the helpdesk" if run.deleted else ""
    return f"{run.tickets} {what} ({run.inserted} new, {run.updated} changed){gone}"


def run_due_syncs(
    database: Database,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] | None = None,
) -> DueSyncs:
    """Sync what is due: each helpdesk's queued tickets, then its incremental sync when
    ``settings.sync_every`` seconds have passed since the last one stored a page.

    Takes the import lock for the whole run (one writer of tickets at a time); when
    another import or sync holds it, nothing is done and ``skipped`` says so. A
    helpdesk without credentials keeps its requests queued (``waiting`` says why); one
    that fails is reported in ``failures``, its requests kept for the next tick.
    SLA state is not recomputed here: the worker does it when ``changed``.
    """
    moment = clock.utc_moment(now)
    due = DueSyncs()
    lock = ImportLock.take(database)
    if lock is None:
        due.skipped = "another sync or import is running"
        return due
    with lock:
        for source in SOURCES:
            _run_source(database, settings, source, moment, sleep, due)
    return due


def _run_source(
    database: Database, settings: Settings, source: str, moment: dt.datetime,
    sleep: Callable[[float], None] | None, due: DueSyncs,
) -> None:  # fmt: skip
    with database.reading() as session:
        queued = queue.queued(session).get(source, 0)
        last = cursors.cursor_of(session, source)
    every = settings.sync_every
    periodic = every is not None and (
        last is None or (moment - last.updated_at).total_seconds() >= every)  # fmt: skip
    if not queued and not periodic:
        return
    try:
        reader, importer = _reader(settings, source, sleep)
    except ConfigError as error:
        if queued:
            due.waiting[source] = f"{queued} queued ticket(s) wait: {error}"
        return
    try:
        if queued:
            due.queued[source] = _sync_queued(database, source, reader, importer)
        if periodic:
            due.periodic[source] = _sync(database, source, reader, importer, 0, None)
    except CharterError as error:  # an outage is the worker's news, not its end
        due.failures[source] = str(error)
    finally:
        reader.close()


def _sync_queued(
    database: Database, source: str, reader: Reader, importer: Importer
) -> SyncSummary:
    """Fetch and store the queued tickets a batch at a time, deleting each batch's
    requests in the transaction that stores its tickets."""
    summary = SyncSummary(source, resumed=False)
    for _ in range(QUEUE_BATCHES):
        with database.transaction() as session:
            batch = queue.waiting(session, source, QUEUE_BATCH)
        if not batch:
            break
        page = reader.tickets([request.source_id for request in batch])
        try:
            _store_page(database, source, page, importer, summary, done=batch)
        except InvalidInput as error:  # the store cannot take a ticket: drop the batch's
            with database.transaction() as session:  # requests, or it blocks every tick
                queue.done(session, batch)
            raise InvalidInput(
                f"{len(batch)} queued ticket(s) dropped from the queue, not stored: {error}"
            ) from error
        summary.requests = reader.requests
        if len(batch) < QUEUE_BATCH:
            break
    return summary
