"""The worker: keeps every clock current and every escalation moving, a tick at a time.

Each tick, in order: runs the syncs that are due (tickets webhooks queued, and the
periodic incremental sync), runs the publish jobs the policy editor queued
(``run_publish_jobs``), judges again the tickets whose state may have changed
(new events, a running clock, a version that took effect; ``recompute_sla``, which also
keeps their escalation plans), fires the levels whose delivery instant has come, writes
the training and review reminders and notices that are due, schedules and queues the
surveys after a solve (``send_surveys``), opens complaint cases and writes their
reminders and overdue notices (``run_complaints``), and delivers the outbox's due messages. Then
it renders the PDFs of the version in force if they are not kept yet
(``keep_documents``), and records its tick, for ``/api/health``.

Several workers may run against PostgreSQL: due levels and messages are claimed with
``FOR UPDATE SKIP LOCKED``, each part of the re-judging with a transaction-scoped
advisory lock, and a level's firing key makes a second firing a no-op. SQLite runs one
worker: a second is refused while the first holds the database's worker lock.

A step that fails (a helpdesk down, the SMTP relay refusing) is logged and recorded
as the tick's error; the worker goes on with the next step and the next tick.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from charter import clock
from charter.config import Settings
from charter.errors import CharterError, Conflict
from charter.excerpt import excerpt
from charter.figures import duration
from charter.services.complaint_notices import ComplaintRun, run_complaints
from charter.services.documents import keep_documents
from charter.services.escalations import Delivered, Fired, deliver_due, fire_due
from charter.services.publish_jobs import run_publish_jobs
from charter.services.review import send_review_reminders
from charter.services.sla_state import SlaSummary, recompute_sla
from charter.services.surveys import SurveyRun, send_surveys
from charter.services.sync import run_due_syncs
from charter.services.training import send_reminders
from charter.store import Database
from charter.store import outbox as store_outbox
from charter.store.tickets import DATABASE_ERRORS

log = logging.getLogger("charter.worker")


def worker_name() -> str:
    """This process's name among workers: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Tick:
    """What one tick did, and what failed."""

    at: dt.datetime
    synced: str = ""
    published: int = 0  # publish jobs run (done or failed)
    judged: SlaSummary | None = None
    fired: Fired = field(default_factory=Fired)
    reminded: int = 0  # training and review reminders and notices written to the outbox
    surveyed: SurveyRun = field(default_factory=SurveyRun)
    complaints: ComplaintRun = field(default_factory=ComplaintRun)
    delivered: Delivered = field(default_factory=Delivered)
    rendered: int = 0  # PDFs of the version in force rendered and kept
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def words(self) -> str:
        """One line for the log."""
        parts = [
            f"judged {self.judged.evaluated if self.judged else 0}",
            f"fired {self.fired.fired}",
            f"sent {self.delivered.sent}",
        ]
        if self.published:
            parts.append(f"publish jobs {self.published}")
        if self.reminded:
            parts.append(f"reminders {self.reminded}")
        if self.surveyed.total:
            s = self.surveyed
            parts.append(f"surveys scheduled {s.scheduled}, sent {s.sent}, withdrawn "
                         f"{s.withdrawn}, expired {s.expired}")  # fmt: skip
        if self.complaints.total:
            c = self.complaints
            parts.append(f"complaints opened {c.opened}, reminders {c.reminders}, "
                         f"overdue {c.overdue}")  # fmt: skip
        if self.fired.withdrawn or self.delivered.withdrawn:
            parts.append(f"withdrawn {self.fired.withdrawn + self.delivered.withdrawn}")
        if self.delivered.failed or self.delivered.dead:
            parts.append(f"failed {self.delivered.failed}, dead-lettered {self.delivered.dead}")
        if self.synced:
            parts.append(self.synced)
        text = ", ".join(parts) + f" in {duration(self.seconds)}"
        return text + (f"; errors: {'; '.join(self.errors)}" if self.errors else "")


def tick(
    database: Database,
    settings: Settings,
    *,
    worker: str,
    started_at: dt.datetime,
    now: dt.datetime | None = None,
    syncing: bool = True,
) -> Tick:
    """Run one tick at ``now`` (default: the clock) and record it."""
    began = time.perf_counter()
    moment = clock.utc_moment(now)
    done = Tick(at=moment)

    def step(name: str, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception as error:  # noqa: BLE001 - a worker outlives what one step meets
            done.errors.append(f"{name}: {excerpt(str(error), 300)}")
            known = isinstance(error, (CharterError, OSError, *DATABASE_ERRORS))
            log.warning("worker %s: %s failed: %s", worker, name, error, exc_info=not known)

    def synced() -> None:
        if syncing:
            result = run_due_syncs(database, settings, now=moment)
            done.synced = "; ".join(result.lines())
            done.errors.extend(f"sync {s}: {why}" for s, why in result.failures.items())

    def published() -> None:
        done.published = run_publish_jobs(database, now=moment)

    def judged() -> None:
        done.judged = recompute_sla(database, now=moment)

    def fired() -> None:
        done.fired = fire_due(database, settings, worker=worker, now=moment)

    def reminded() -> None:
        done.reminded = send_reminders(database, settings, moment).total
        done.reminded += send_review_reminders(database, settings, moment)

    def surveyed() -> None:
        done.surveyed = send_surveys(database, settings, moment)

    def complained() -> None:
        done.complaints = run_complaints(database, settings, moment)

    def delivered() -> None:
        done.delivered = deliver_due(database, settings, now=moment)

    def documents() -> None:
        if settings.worker_documents:
            done.rendered = keep_documents(database, now=moment)

    step("sync", synced)
    step("publishing", published)
    step("judging", judged)
    step("escalations", fired)
    step("training and review", reminded)
    step("surveys", surveyed)
    step("complaints", complained)
    step("delivery", delivered)
    step("documents", documents)
    done.seconds = time.perf_counter() - began
    step("recording the tick", lambda: _beat(database, worker, started_at, done))
    return done


def _beat(database: Database, worker: str, started_at: dt.datetime, done: Tick) -> None:
    with database.transaction() as session:
        store_outbox.beat(
            session,
            worker,
            started_at=started_at,
            at=done.at,
            seconds=done.seconds,
            error="; ".join(done.errors) or None,
        )


@contextmanager
def alone_on_sqlite(database: Database, worker: str) -> Iterator[None]:
    """On SQLite, hold the database's worker lock (a file beside it, locked with
    ``flock``) while working; ``Conflict`` naming the holder when another worker has
    it. The kernel releases the lock when its process ends, however it ends, so a
    killed worker's replacement starts at once."""
    path = database.sqlite_file
    if path is None:
        yield
        return
    lock = path.with_name(f"{path.name}.worker-lock")
    with lock.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another worker"
            raise Conflict(
                f"worker {holder} is running on {path.name}, and SQLite runs one worker; "
                "stop it first, or use PostgreSQL (CHARTER_DATABASE_URL) for several"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(worker)
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_worker(
    database: Database,
    settings: Settings,
    *,
    every: float | None = None,
    stop: threading.Event | None = None,
    ticks: int | None = None,
    worker: str | None = None,
    syncing: bool = True,
    report: Callable[[Tick], None] | None = None,
) -> int:
    """Tick every ``every`` seconds (default ``settings.worker_every``) until ``stop`` is
    set or ``ticks`` ticks ran; the number of ticks run."""
    name = worker or worker_name()
    pause = every if every is not None else settings.worker_every
    stop = stop or threading.Event()
    started = clock.now()
    count = 0
    with alone_on_sqlite(database, name):
        while not stop.is_set() and (ticks is None or count < ticks):
            began = time.monotonic()
            done = tick(database, settings, worker=name, started_at=started, syncing=syncing)
            count += 1
            if report is not None:
                report(done)
            if ticks is None or count < ticks:
                stop.wait(max(0.0, pause - (time.monotonic() - began)))
    if ticks is None:  # stopped on purpose: leave the list of running workers
        step_quietly(lambda: _forget(database, name))
    return count


def _forget(database: Database, worker: str) -> None:
    with database.transaction() as session:
        store_outbox.forget_worker(session, worker)


def step_quietly(work: Callable[[], None]) -> None:
    """Run ``work``, logging instead of raising what it meets (the database gone)."""
    try:
        work()
    except Exception as error:  # noqa: BLE001 - stopping must not fail on the way out
        log.warning("worker: %s", error)
