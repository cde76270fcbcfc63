"""The worker's tick outlives what it meets, and a worker stopped on purpose leaves
the list of running workers."""

from __future__ import annotations

import threading
from pathlib import Path

from charter import clock
from charter.config import Settings
from charter.services.worker import Tick, run_worker, tick
from charter.store import Database
from support.smtp import free_port
from support.ticket_store import rows


def test_a_tick_with_the_database_gone_says_so_for_each_step_and_does_not_raise(
    tmp_path: Path,
) -> None:
    # Nothing listens on this port: every step, and recording the tick, fails.
    gone = Database(f"postgresql+psycopg://charter:x@127.0.0.1:{free_port()}/none")
    done = tick(gone, Settings(data_dir=tmp_path), worker="w1", started_at=clock.now())
    failed = [error.split(":")[0] for error in done.errors]
    assert failed == [
        "sync",
        "publishing",
        "judging",
        "escalations",
        "training and review",
        "surveys",
        "complaints",
        "delivery",
        "documents",
        "recording the tick",
    ]
    gone.dispose()


def test_a_worker_stopped_on_purpose_is_no_longer_listed_but_one_run_once_is(
    database: Database, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path)
    stop = threading.Event()

    def after_first(done: Tick) -> None:
        stop.set()  # as SIGTERM does: finish this tick, then stop

    ran = run_worker(database, settings, every=60, stop=stop, worker="steady", report=after_first)
    assert ran == 1
    assert rows(database, "SELECT worker FROM worker_ticks") == []
    # One tick on demand (--once, from a timer say) stays listed with its tick.
    assert run_worker(database, settings, ticks=1, worker="once") == 1
    assert rows(database, "SELECT worker, ticks FROM worker_ticks") == [("once", 1)]
