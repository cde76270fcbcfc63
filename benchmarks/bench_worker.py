"""The worker's speed: planning and due detection at a million open tickets, delivery
to a loopback SMTP server, and a Zendesk sync of 100,000 changed tickets.

1. **Planning.** A million open, unanswered tickets (hand-built: created over the last
   five days, channels, priorities and segments spread over the example policy's rules)
   are judged (``evaluate``, timed on its own), their escalation levels planned
   (``fresh_plan``; the example policy's chain: 2 metrics x 2 levels), compared with the
   plan stored a minute before (``replan``) and the levels due now picked out. With
   PostgreSQL, the plan's rows are copied into ``escalation_plans`` and one batch of due
   levels claimed (``store.tickets.claim_due``, as ``fire_due`` claims them).
2. **Delivery** (PostgreSQL). The example policy (e-mail only: its actions are taken
   out) is published, open tickets whose breach has passed are stored, SLA state is
   recomputed and the due levels fired (``fire_due``), filling the outbox by the real
   path; then ``deliver_due`` sends every message to an aiosmtpd server running in a
   separate process, and is timed end to end, with the worker's CPU per message.
3. **Sync** (SQLite). A Zendesk replay server in a separate process (asyncio, bodies
   built from the path) serves the incremental export, each ticket's audits and the
   ticket events export; ``sync_zendesk`` stores the tickets with their events, once
   reading each ticket's audits (8 connections at once; on a sample, extrapolated),
   once reading the ticket events export.

    python benchmarks/bench_worker.py [--tickets 1000000] [--messages 20000]
        [--sync 100000] [--sync-sample 10000] [--postgres URL]

PostgreSQL comes from ``--postgres`` or ``CHARTER_TEST_DATABASE_URL``; without either
its rows are skipped with a message. Only the ``charter_bench_worker`` schema is touched.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import io
import multiprocessing as mp
import os
import re
import resource
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from _timing import best
from charter.config import Settings
from charter.policy import load_policy_text
from charter.services import sync as sync_service
from charter.services.escalations import deliver_due, fire_due
from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.sla.escalation import level_table
from charter.sla.evaluate import evaluate
from charter.sla.replan import STORED_COLUMNS, fresh_plan, replan
from charter.store import Database
from charter.store import tickets as stored
from charter.store.models import PolicyRecord, PolicyVersion
from charter.sync import ZendeskReader
from charter.tickets.dataset import TicketData
from charter.tickets.importing import ImportResult
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA

SCHEMA = "charter_bench_worker"
NOW = dt.datetime(2026, 11, 4, 15, 0, tzinfo=dt.UTC)  # a Wednesday afternoon
console = Console(width=150)
EXAMPLE = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")


@dataclass(frozen=True)
class Row:
    part: str
    step: str
    count: int
    unit: str
    seconds: float
    target: str = ""
    met: str = ""
    note: str = ""


# 1. Planning and due detection -------------------------------------------------------


def open_tickets(count: int, seed: int = 7) -> TicketData:
    """``count`` open tickets with no reply yet, created over the five days before NOW."""
    rng = np.random.default_rng(seed)
    created = NOW - dt.timedelta(days=5)
    offsets = np.sort(rng.integers(0, 5 * 86_400, count)).astype("timedelta64[s]")
    at = pl.Series(
        (np.datetime64(created.replace(tzinfo=None), "s") + offsets).astype("datetime64[us]")
    )
    pick = lambda values: pl.Series(rng.choice(values, count))  # noqa: E731
    tickets = pl.DataFrame({
        "id": pl.int_range(1, count + 1, eager=True).cast(pl.String),
        "created_at": at.cast(pl.Datetime("us")).dt.replace_time_zone("UTC"),
        "channel": pick(["email", "email", "chat", "phone"]),
        "priority": pick(["low", "normal", "normal", "high", "urgent"]),
        "segment": pick(["consumer", "business", "us"]),
        "status": pick(["new", "open", "open"]),
    })  # fmt: skip
    tickets = tickets.with_columns(pl.col("created_at").alias("updated_at"))
    missing = [pl.lit(None, dtype).alias(n) for n, dtype in TICKET_SCHEMA.items()
               if n not in tickets.columns]  # fmt: skip
    tickets = tickets.with_columns(missing).select(
        pl.col(n).cast(dtype) for n, dtype in TICKET_SCHEMA.items()
    )
    return TicketData(tickets, pl.DataFrame(schema=EVENT_SCHEMA))


def planning(count: int, postgres: str | None) -> list[Row]:
    policy = load_policy_text(EXAMPLE).policy
    data = open_tickets(count)
    data = TicketData(data.tickets.with_columns(pl.col("id").cast(pl.Int64)),
                      data.events.with_columns(pl.col("ticket_id").cast(pl.Int64)))  # fmt: skip
    chain = level_table(policy)
    console.print(f"[bold]planning[/bold]: {count:,} open tickets, {chain.height} levels")
    judge_s, states = best(lambda: evaluate(policy, data, NOW), runs=2)

    def plan(moment: dt.datetime) -> pl.DataFrame:
        fresh = fresh_plan(policy, evaluate(policy, data, moment) if moment != NOW else states,
                           moment)  # fmt: skip
        return fresh.with_columns(pl.lit(1, pl.Int64).alias("version_id"))

    before = plan(NOW - dt.timedelta(minutes=1)).select(STORED_COLUMNS)
    fired = pl.DataFrame(schema={"ticket_id": pl.Int64, "metric": pl.String,
                                 "level_id": pl.String})  # fmt: skip

    def tick() -> tuple[pl.DataFrame, Any, pl.DataFrame]:
        fresh = fresh_plan(policy, states, NOW).with_columns(
            pl.lit(1, pl.Int64).alias("version_id")
        )
        result = replan(before, fresh, chain, fired)
        due = result.live.filter(pl.col("deliver_at") <= NOW)
        return fresh, result, due

    plan_s, _ = best(lambda: fresh_plan(policy, states, NOW))
    tick_s, (fresh, result, due) = best(tick)
    replan_s, _ = best(lambda: replan(before, fresh, chain, fired))
    due_s, _ = best(lambda: result.live.filter(pl.col("deliver_at") <= NOW))
    levels = result.live.height
    rows = [
        Row("planning", "evaluate (judging, not in the target)", count, "tickets", judge_s,
            note=f"{states.height:,} ticket x metric states"),
        Row("planning", "fresh_plan", count, "tickets", plan_s, note=f"{fresh.height:,} levels"),
        Row("planning", "replan against the stored plan", count, "tickets", replan_s,
            note=f"{levels:,} live, {result.planned.height:,} new, "
                 f"{result.withdrawn.height:,} withdrawn"),
        Row("planning", "due detection (deliver_at <= now)", levels, "levels", due_s,
            note=f"{due.height:,} due"),
        Row("planning", "one tick: fresh_plan + replan + due", count, "tickets", tick_s,
            "< 2 s", "yes" if tick_s < 2 else "no"),
    ]  # fmt: skip
    if postgres:
        rows += claim_rows(postgres, result.live, due.height)
    return rows


def claim_rows(url: str, live: pl.DataFrame, due: int) -> list[Row]:
    """``claim_due`` of one batch over ``live`` copied into ``escalation_plans``."""
    database = Database(scoped(url))
    database.upgrade()
    buffer = io.BytesIO()
    live.select(STORED_COLUMNS).write_csv(buffer, include_header=False)
    start = time.perf_counter()
    with database.engine.begin() as connection:
        raw: Any = connection.connection.driver_connection
        with raw.cursor() as cursor:
            columns = ", ".join(STORED_COLUMNS)
            with cursor.copy(f"COPY escalation_plans ({columns}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(buffer.getvalue())
        connection.execute(text("ANALYZE escalation_plans"))
    load_s = time.perf_counter() - start

    def claim() -> int:
        with database.transaction() as session:
            return len(stored.claim_due(session, NOW, 500))

    claim_s, claimed = best(claim, runs=5)

    def count_due() -> int:
        with database.reading() as session:
            query = text("SELECT count(*) FROM escalation_plans WHERE deliver_at <= :now")
            return int(session.execute(query, {"now": NOW}).scalar_one())

    count_s, counted = best(count_due)
    assert counted == due, (counted, due)
    database.dispose()
    return [
        Row("planning", "PostgreSQL: COPY the plan into escalation_plans", live.height,
            "levels", load_s, note="setup; index on deliver_at"),
        Row("planning", "PostgreSQL: claim_due, one batch of 500", claimed, "levels", claim_s,
            note=f"FOR UPDATE SKIP LOCKED over {live.height:,} rows"),
        Row("planning", "PostgreSQL: count the due levels", counted, "levels", count_s,
            note="deliver_at <= now, by its index"),
    ]  # fmt: skip


def scoped(url: str, schema: str = SCHEMA) -> str:
    """A URL whose connections see only ``schema``, emptied first."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


# 2. Delivery ---------------------------------------------------------------------------


def smtp_process(port: int, received: Any, ready: Any, stop: Any) -> None:
    """An aiosmtpd server on 127.0.0.1:``port`` that accepts every message and counts it."""
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            with received.get_lock():
                received.value += 1
            return "250 Message accepted for delivery"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def publish(database: Database, policy_text: str) -> None:
    since = NOW - dt.timedelta(days=30)
    with database.transaction() as session:
        record = PolicyRecord(slug="example", name="Example")
        session.add(record)
        session.flush()
        session.add(PolicyVersion(policy_id=record.id, number=1, status="published",
                                  text=policy_text, content_hash="example",
                                  published_at=since, effective_at=since))  # fmt: skip


def delivery(url: str, messages: int, folder: Path) -> list[Row]:
    """Fill the outbox by the real path, then time ``deliver_due`` to a loopback server."""
    database = Database(scoped(url))
    database.upgrade()
    publish(database, re.sub(r"\n    action: .*", "", EXAMPLE))
    # Unanswered e-mail tickets three working days old: both levels of both metrics are
    # past (first response within 8 h, resolution within 40 h): 5 messages a ticket.
    count = max(messages // 5, 1)
    data = open_tickets(count)
    tickets = data.tickets.with_columns(
        pl.lit("email").alias("channel"), pl.lit("normal").cast(TICKET_SCHEMA["priority"]),
        pl.lit("consumer").alias("segment"),
        (pl.lit(NOW) - pl.duration(days=6) + pl.duration(seconds=pl.int_range(pl.len()) % 3600))
        .alias("created_at"),
    ).with_columns(pl.col("created_at").alias("updated_at"))  # fmt: skip
    import_tickets(database, ImportResult(tickets, data.events, pl.DataFrame()),
                   source="bench", batch_size=20_000)  # fmt: skip
    port = free_port()
    settings = Settings(data_dir=folder, smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none",
                        smtp_from_address="charter@larkfield.example")  # fmt: skip
    context = mp.get_context("spawn")
    received, ready, stop = context.Value("i", 0), context.Event(), context.Event()
    server = context.Process(target=smtp_process, args=(port, received, ready, stop))
    server.start()
    try:
        ready.wait(30)
        recompute_s, _ = best(lambda: recompute_sla(database, now=NOW), runs=1)
        fire_s, fired = best(lambda: fire_due(database, settings, worker="bench", now=NOW), 1)
        console.print(f"  {count:,} tickets; fired {fired.fired:,} levels; delivering")
        before = resource.getrusage(resource.RUSAGE_SELF)
        deliver_s, delivered = best(lambda: deliver_due(database, settings, now=NOW), runs=1)
        after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        stop.set()
        server.join(30)
    sent = delivered.sent
    rate = sent / deliver_s
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu_ms = 1000 * used / max(sent, 1)
    database.dispose()
    return [
        Row("delivery", "recompute_sla (setup)", count, "tickets", recompute_s),
        Row("delivery", "fire_due: levels fired, messages into the outbox", fired.fired,
            "levels", fire_s),
        Row("delivery", "deliver_due to aiosmtpd (another process)", sent, "messages",
            deliver_s, ">= 500/s", "yes" if rate >= 500 else "no",
            f"server received {received.value:,}; failed {delivered.failed}, "
            f"dead {delivered.dead}; the worker's CPU {cpu_ms:.2f} ms a message"),
    ]  # fmt: skip


# 3. Sync -------------------------------------------------------------------------------

PAGE = 1_000  # tickets per export page, events per events page (Zendesk's sizes)
BASE = int(dt.datetime(2026, 3, 2, tzinfo=dt.UTC).timestamp())
EXPORT_PATH = "/api/v2/incremental/tickets/cursor.json"
EVENTS_PATH = "/api/v2/incremental/ticket_events.json"


def iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ticket_json(n: int) -> str:
    """Ticket ``n``: created at BASE + 10 n s by requester 9001, answered 5 s later."""
    return (f'{{"id":{n},"created_at":"{iso(BASE + 10 * n)}","updated_at":'
            f'"{iso(BASE + 10 * n + 5)}","status":"open","priority":"normal",'
            f'"requester_id":9001,"assignee_id":500,"group_id":77,"via":{{"channel":"email"}},'
            f'"tags":[]}}')  # fmt: skip


def audits_of(n: int) -> list[tuple[int, int, int, str]]:
    """(id, epoch, author, events JSON) of ticket ``n``'s two audits."""
    created = (
        '[{"type":"Create","field_name":"status","value":"new"},'
        '{"type":"Comment","author_id":9001,"public":true,"body":"..."}]'
    )
    replied = (
        '[{"type":"Comment","author_id":500,"public":true,"body":"..."},'
        '{"type":"Change","field_name":"status","value":"open","previous_value":"new"}]'
    )
    return [(2 * n, BASE + 10 * n, 9001, created), (2 * n + 1, BASE + 10 * n + 5, 500, replied)]


def exported_event(n: int, audit: tuple[int, int, int, str]) -> str:
    number, epoch, author, _ = audit
    if number % 2 == 0:
        children = (
            '[{"id":1,"event_type":"Create","status":"new","priority":"normal"},'
            '{"id":2,"event_type":"Comment","type":"Comment","author_id":9001,'
            '"public":true,"body":"..."}]'
        )
    else:
        children = (
            '[{"id":3,"event_type":"Comment","type":"Comment","author_id":500,'
            '"public":true,"body":"..."},{"id":4,"event_type":"Change",'
            '"status":"open","previous_value":"new"}]'
        )
    return (f'{{"id":{number},"ticket_id":{n},"timestamp":{epoch},"created_at":"{iso(epoch)}",'
            f'"updater_id":{author},"event_type":"Audit","child_events":{children}}}')  # fmt: skip


def answer(target: str, tickets: int) -> bytes:
    path, _, query = target.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    if path == EXPORT_PATH:
        page = int(params.get("cursor", "p0")[1:])
        first, last = page * PAGE + 1, min((page + 1) * PAGE, tickets)
        end = last >= tickets
        return (
            f'{{"tickets":[{",".join(ticket_json(n) for n in range(first, last + 1))}],'
            f'"after_cursor":"p{page + 1}","end_of_stream":{str(end).lower()}}}'
        ).encode()
    found = re.fullmatch(r"/api/v2/tickets/(\d+)/audits.json", path)
    if found:
        n = int(found.group(1))
        audits = ",".join(
            f'{{"id":{i},"ticket_id":{n},"created_at":"{iso(e)}","author_id":{a},"events":{ev}}}'
            for i, e, a, ev in audits_of(n)
        )
        return f'{{"audits":[{audits}],"next_page":null}}'.encode()
    if path == EVENTS_PATH:
        start = int(params["start_time"])
        # Audit k (0, 1, 2 ...) is ticket k // 2 + 1's, at BASE + 10 + 5 k.
        index = max(0, -(-(start - BASE - 10) // 5))
        items = []
        while len(items) < PAGE and index < 2 * tickets:
            n = index // 2 + 1
            items.append(exported_event(n, audits_of(n)[index % 2]))
            index += 1
        last = index >= 2 * tickets
        end_time = int(re.findall(r'"timestamp":(\d+)', items[-1])[0]) if items else start
        return (
            f'{{"ticket_events":[{",".join(items)}],"count":{len(items)},'
            f'"end_time":{end_time},"end_of_stream":{str(last).lower()}}}'
        ).encode()
    return b""


def replay_process(port: int, tickets: int, ready: Any) -> None:
    """A Zendesk replay server: HTTP/1.1 keep-alive, bodies built from the path."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].decode()
                body = answer(target, tickets)
                status = b"200 OK" if body else b"404 Not Found"
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n" % len(body) + body)  # fmt: skip
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=256)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def sync_run(tickets: int, folder: Path, events_export: bool,
             connections: int = 8) -> tuple[float, Any]:  # fmt: skip
    """Seconds and summary of one sync of ``tickets`` tickets into a fresh SQLite file."""
    port = free_port()
    context = mp.get_context("spawn")
    ready = context.Event()
    server = context.Process(target=replay_process, args=(port, tickets, ready), daemon=True)
    server.start()
    ready.wait(30)
    path = folder / f"sync-{events_export}-{connections}-{tickets}.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    settings = Settings(data_dir=folder, database_url=database.url, zendesk_email="a@b.example",
                        zendesk_api_token="t", zendesk_base_url=f"http://127.0.0.1:{port}",
                        zendesk_events_export=events_export)  # fmt: skip
    original = sync_service.ZendeskReader
    sync_service.ZendeskReader = functools.partial(ZendeskReader, connections=connections)  # type: ignore[misc]
    try:
        start = time.perf_counter()
        summary = sync_service.sync_zendesk(database, settings)
        seconds = time.perf_counter() - start
    finally:
        sync_service.ZendeskReader = original  # type: ignore[misc]
        server.terminate()
        server.join(10)
        database.dispose()
    assert summary.inserted == tickets and summary.events == 4 * tickets, summary
    return seconds, summary


def syncing(tickets: int, sample: int, folder: Path) -> list[Row]:
    rows = []
    console.print(f"[bold]sync[/bold]: {tickets:,} tickets by the events export")
    seconds, summary = sync_run(tickets, folder, events_export=True)
    rows.append(Row("sync", "events export", tickets, "tickets", seconds, "< 30 s",
                    "yes" if seconds < 30 else "no",
                    f"{summary.requests:,} requests, {summary.events:,} events; SLA "
                    "not recomputed (no policy)"))  # fmt: skip
    for connections in (8, 1):
        console.print(f"  audits, {connections} connection(s), on {sample:,} tickets")
        seconds, summary = sync_run(sample, folder, False, connections)
        rows.append(Row("sync", f"audits endpoint, {connections} connection(s)", tickets,
                        "tickets", seconds * tickets / sample, "", "",
                        f"{sample:,} tickets measured ({seconds:.1f} s, {summary.requests:,}"
                        " requests), extrapolated"))  # fmt: skip
    return rows


# Report --------------------------------------------------------------------------------


def report(rows: list[Row]) -> None:
    table = Table(title="Worker: planning, delivery, sync")
    for column in ("part", "step", "count", "wall", "per second", "target", "met", "notes"):
        table.add_column(column, justify="right" if column in ("count", "wall", "per second")
                         else "left")  # fmt: skip
    for row in rows:
        wall = f"{row.seconds * 1000:,.0f} ms" if row.seconds < 10 else f"{row.seconds:,.1f} s"
        rate = f"{row.count / row.seconds:,.0f} {row.unit}" if row.seconds else ""
        table.add_row(row.part, row.step, f"{row.count:,}", wall, rate, row.target, row.met,
                      row.note)  # fmt: skip
    console.print(table)
    syncs = {r.step: r for r in rows if r.part == "sync"}
    if len(syncs) == 3:
        fast = syncs["events export"].seconds
        for name in ("audits endpoint, 8 connection(s)", "audits endpoint, 1 connection(s)"):
            console.print(f"sync: the events export takes 1/{syncs[name].seconds / fast:,.1f} "
                          f"of the time of the {name.replace('endpoint, ', '')}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--sync", type=int, default=100_000)
    parser.add_argument("--sync-sample", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("CHARTER_TEST_DATABASE_URL"))
    parser.add_argument("--skip", action="append", default=[],
                        choices=["planning", "delivery", "sync"])  # fmt: skip
    args = parser.parse_args()
    if not args.postgres:
        console.print("PostgreSQL skipped: give --postgres URL or set CHARTER_TEST_DATABASE_URL")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if "planning" not in args.skip:
            rows += planning(args.tickets, args.postgres)
        if "delivery" not in args.skip and args.postgres:
            rows += delivery(args.postgres, args.messages, folder)
        if "sync" not in args.skip:
            rows += syncing(args.sync, args.sync_sample, folder)
    report(rows)


if __name__ == "__main__":
    main()
