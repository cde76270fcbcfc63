"""``charter worker``: keep every clock current and every escalation moving.

Runs until stopped (Ctrl+C, or SIGTERM from systemd): each tick syncs what is due,
judges again the tickets whose state may have changed, fires the escalation levels
that are due (each once) and delivers the outbox. One line per tick that did
something; ``--once`` runs a single tick and exits.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape

from charter.cli._output import err, out, reporting
from charter.cli._store import open_store, settings


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    every: Annotated[
        float | None,
        typer.Option(help="Seconds between ticks (default: CHARTER_WORKER_EVERY, 15).", min=1),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one tick and exit.")] = False,
    name: Annotated[
        str | None, typer.Option(help="Name in /api/health (default: host:process id).")
    ] = None,
) -> None:
    """Run the worker: sync, judge, escalate and deliver, every few seconds.

    charter worker

    Several workers may run against one PostgreSQL database (on one host or several):
    they share the work and never fire a level twice. With SQLite, run one.
    Exit codes: 0 stopped cleanly, 1 an error before the first tick, 2 bad usage.
    """
    from charter.services.worker import Tick, run_worker, worker_name

    stop = threading.Event()

    def stopping(signum: int, _frame: FrameType | None) -> None:
        err.print(f"Stopping after this tick ({signal.Signals(signum).name}).")
        stop.set()

    def report(done: Tick) -> None:
        busy = done.judged is not None and done.judged.evaluated
        if once or busy or done.fired.fired or done.delivered.sent or done.errors:
            (err if done.errors else out).print(escape(f"{done.at:%H:%M:%S} {done.words()}"))

    with reporting():
        database = open_store()
        chosen = settings()
        signal.signal(signal.SIGTERM, stopping)
        signal.signal(signal.SIGINT, stopping)
        who = name or worker_name()
        err.print(f"Worker {escape(who)} ticking every {every or chosen.worker_every:g} s.")
        try:
            run_worker(
                database,
                chosen,
                every=every,
                stop=stop,
                ticks=1 if once else None,
                worker=who,
                report=report,
            )
        finally:
            database.dispose()
