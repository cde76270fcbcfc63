"""Proof that each due escalation message is delivered exactly once, by real workers.

``charter worker`` processes (8 on PostgreSQL, one on SQLite) run against one database
and one SMTP server (aiosmtpd on loopback, recording every message as it arrives) while
the breach instants of 20,000 open tickets pass. One worker is SIGKILLed while the
messages flow (on SQLite the only one, and a new one started in its place). Then:

- every ticket still waiting for its first response got its breach message exactly once
  (by ``Message-ID``, which is the outbox row's, and by ticket);
- none arrived before its ticket's breach instant;
- the 1,000 tickets answered before their breach (levels withdrawn) got none, and no
  ``breach + 1h`` level (not due during the test) sent anything.

Each ticket's first response is promised within 1 hour around the clock; ticket ``n``
is written so that its breach falls ``LEAD`` seconds plus a spread after the tickets
are stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import polars as pl
from aiosmtpd.controller import Controller

from charter.services.tickets import import_tickets
from charter.store import Database
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform
from support.smtp import HOST, free_port
from support.ticket_store import publish, result_of, scalar

TICKETS = 20_000
ANSWERED = 1_000  # answered before their breach: their levels are withdrawn
LEAD = 25.0  # seconds from storing the tickets to the first breach
SPREAD = 20.0  # breaches spread over this many seconds
POLICY = """\
organisation: {name: Acme, mission: Delight}
service_levels:
  rules:
    - id: sl-all
      targets: {first_response: {within: 1h, clock: 24x7}}
escalation:
  - {id: breached, metric: first_response, level: 1, at: breach, notify: [ops@acme.example]}
  - {id: later, metric: first_response, level: 2, at: breach + 1h, notify: [ops@acme.example]}
"""


@dataclass
class Arrival:
    message_id: str
    subject: str
    at: float  # time.time() when the server accepted it


@dataclass
class Recorder:
    """Records each message the server accepts. Past ``hold_after`` messages it holds
    the next one before answering, and then every message from the connections named
    in ``held_ports`` (the same worker's other lanes): their senders wait for the reply
    until ``release`` is set. A held message whose sender is gone by then is never
    accepted (SMTP accepts a message with its reply), and is listed in ``dropped``."""

    hold_after: int
    arrivals: list[Arrival] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    first_held: int | None = None  # the client port of the first message held
    held_ports: set[int] = field(default_factory=set)
    # Once the victim is chosen, any connection it opens later (a new lane, the next
    # tick) is held too: a port list taken at one moment would let such a message be
    # accepted and the worker killed before recording it, a duplicate the product cannot
    # prevent over SMTP and the test must not provoke.
    victim_pid: int | None = None
    server_port: int = 0
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = BytesHeaderParser().parsebytes(envelope.original_content)
        port = int(session.peer[1])
        with self.lock:
            if self.first_held is None and len(self.arrivals) >= self.hold_after:
                self.first_held = port
                self.holding.set()
            held = port == self.first_held or port in self.held_ports
            victim = self.victim_pid
        if not held and victim is not None:
            with suppress(OSError):  # the victim is gone: its connections are too
                held = port in client_ports(victim, self.server_port)
        if held:
            try:
                while not self.release.is_set():
                    await asyncio.sleep(0.01)
            except asyncio.CancelledError:  # the sender's connection was lost meanwhile
                self.dropped.append(str(parsed["Message-ID"]))
                raise
        with self.lock:
            self.arrivals.append(
                Arrival(str(parsed["Message-ID"]), str(parsed["Subject"]), time.time())
            )
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)


def client_ports(pid: int, server_port: int) -> set[int]:
    """The local ports of process ``pid``'s TCP connections to ``server_port``."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    ports = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if inode in inodes and int(remote.split(":")[1], 16) == server_port:
            ports.add(int(local.split(":")[1], 16))
    return ports


def tickets(start: dt.datetime) -> tuple[TicketData, dict[str, dt.datetime]]:
    """The tickets, and each one's breach instant (created 1 hour before it)."""
    breach = {
        f"T{n}": start + dt.timedelta(seconds=LEAD + SPREAD * n / TICKETS) for n in range(TICKETS)
    }
    rows = [
        {"id": ticket, "created_at": at - dt.timedelta(hours=1), "channel": "email",
         "priority": "normal", "status": "open"}
        for ticket, at in breach.items()
    ]  # fmt: skip
    frame = conform(pl.DataFrame(rows), TICKET_SCHEMA)
    events = conform(
        pl.DataFrame(schema={"ticket_id": pl.String, "at": pl.Datetime("us", "UTC"),
                             "kind": pl.String, "status": pl.String}),
        EVENT_SCHEMA,
    )  # fmt: skip
    return TicketData(frame, events), breach


def answer(database: Database, data: TicketData, chosen: list[str], at: dt.datetime) -> None:
    """Store a first response at ``at`` on the ``chosen`` tickets (as a sync would)."""
    answered = data.tickets.filter(pl.col("id").is_in(chosen)).with_columns(
        pl.lit(at).dt.cast_time_unit("us").alias("first_response_at")
    )
    update = TicketData(conform(answered, TICKET_SCHEMA), data.events)
    import_tickets(database, result_of(update), source="helpdesk", batch_size=5_000)


def start_worker(url: str, port: int, name: str, logs: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CHARTER_DATABASE_URL": url,
        "CHARTER_SMTP_HOST": HOST,
        "CHARTER_SMTP_PORT": str(port),
        "CHARTER_SMTP_TLS": "none",
        "CHARTER_SMTP_FROM_ADDRESS": "charter@acme.example",
        "CHARTER_WORKER_DOCUMENTS": "false",  # rendering PDFs is not what this test follows
    }
    command = [sys.executable, "-m", "charter.cli", "worker", "--every", "1", "--name", name]
    log = (logs / f"{name}.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def test_every_due_message_arrives_once_with_a_worker_killed_mid_tick(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    workers = 8 if database.dialect == "postgresql" else 1
    publish(database, POLICY)
    start = dt.datetime.now(dt.UTC)
    data, breach = tickets(start)
    import_tickets(database, result_of(data), source="helpdesk", batch_size=5_000)
    # The last ANSWERED tickets (breaching last) were answered 5 s after the start, before
    # any breach; on a slow machine some breaches may pass before the workers start,
    # which changes nothing: a level is due from its breach on, whenever it is found.
    withdrawn = [f"T{n}" for n in range(TICKETS - ANSWERED, TICKETS)]
    answer(database, data, withdrawn, start + dt.timedelta(seconds=5))

    due = TICKETS - ANSWERED
    recorder = Recorder(hold_after=due // 4)
    port = free_port()
    recorder.server_port = port
    server = Controller(recorder, hostname=HOST, port=port)
    server.start()
    running = [start_worker(database_url, port, f"w{i}", tmp_path) for i in range(workers)]
    try:
        # Kill one worker mid-tick, while it delivers: the server holds its reply to one
        # of the worker's messages and then to every message of the worker's other
        # lanes; when none of them can be between a reply and its record (half a second
        # on), the worker is SIGKILLed. Its held messages were never accepted; each must
        # come, once, through another worker.
        deadline = time.time() + LEAD + SPREAD + 400
        assert recorder.holding.wait(timeout=LEAD + SPREAD + 200), "no message was held"
        assert recorder.first_held is not None
        victim = next(
            p for p in running if recorder.first_held in client_ports(p.pid, port)
        )  # fmt: skip
        with recorder.lock:
            recorder.held_ports |= client_ports(victim.pid, port)
            recorder.victim_pid = victim.pid
        time.sleep(0.5)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        # The server learns the connection is gone on its own time: wait for it to drop
        # the held message before letting the others through.
        gone_by = time.time() + 10
        while not recorder.dropped and time.time() < gone_by:
            time.sleep(0.01)
        recorder.release.set()
        if workers == 1:  # SQLite: start the one worker again
            running.append(start_worker(database_url, port, "w-again", tmp_path))
        while recorder.count() < due and time.time() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # long enough for a duplicate to show
    finally:
        recorder.release.set()
        for process in running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        server.stop()

    assert recorder.dropped, "the killed worker had no message on the wire"
    arrivals = recorder.arrivals
    by_id = Counter(a.message_id for a in arrivals)
    assert [i for i, n in by_id.items() if n > 1] == []
    # "Ticket T123: first response overdue by ..." / "due now": one per ticket, level 1.
    by_ticket = Counter(a.subject.split(":")[0].removeprefix("Ticket ") for a in arrivals)
    expected = {f"T{n}" for n in range(TICKETS - ANSWERED)}
    logs = "".join(p.read_text()[-600:] for p in sorted(tmp_path.glob("*.log")))
    assert set(by_ticket) == expected, (
        f"missing {len(expected - set(by_ticket))}, unexpected "
        f"{len(set(by_ticket) - expected)}; the workers said:\n{logs}"
    )
    assert max(by_ticket.values()) == 1
    assert all("(level 1, breach)" in a.subject for a in arrivals)
    early = [
        a for a in arrivals
        if a.at < breach[a.subject.split(":")[0].removeprefix("Ticket ")].timestamp()
    ]  # fmt: skip
    assert early == []
    # The database agrees: one firing per ticket, every e-mail sent, none pending.
    assert scalar(database, "SELECT count(*) FROM escalation_firings") == due
    assert scalar(database, "SELECT count(*) FROM outbox WHERE state = 'sent'") == due
    assert scalar(database, "SELECT count(*) FROM outbox WHERE state <> 'sent'") == 0
    withdrawn_rows = scalar(
        database, "SELECT count(*) FROM ticket_audit WHERE kind = 'escalation withdrawn'"
    )
    assert withdrawn_rows == 2 * ANSWERED  # both levels of each answered ticket
