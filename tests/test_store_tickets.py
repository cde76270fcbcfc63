"""Tickets into the store: upsert by source and id in batches, content hashes, round trips."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text

from charter.errors import InvalidInput, StoreError, UsageError
from charter.services.tickets import import_tickets, read_ticket_data
from charter.store import Database
from charter.store import tickets as stored
from charter.store.tickets import content_hashes, place_events
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform
from support.ticket_store import (
    event_counts,
    expected_event_counts,
    result_of,
    rows,
    scalar,
    synthetic,
)


def test_every_ticket_is_stored_once_with_all_its_events(database: Database) -> None:
    data = synthetic(120)
    summary = import_tickets(database, result_of(data), source="synth", batch_size=50)
    assert (summary.inserted, summary.updated, summary.unchanged) == (120, 0, 0)
    assert summary.batches == 3 and summary.events == data.events.height
    assert scalar(database, "SELECT count(*) FROM tickets") == 120
    assert event_counts(database, "synth") == expected_event_counts(data)


def test_the_stored_tickets_read_back_exactly_as_imported(database: Database) -> None:
    data = synthetic(80)
    tickets = data.tickets.with_columns(  # values the synthetic history lacks
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(['say "hi"', "a,b", "ü"]))
        .otherwise(pl.col("tags"))
        .alias("tags"),
        pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit('O\'Brien, "Pat"'))
        .otherwise(pl.col("assignee"))
        .alias("assignee"),
    )
    imported = TicketData(tickets, data.events)
    import_tickets(database, result_of(imported), source="synth", batch_size=30)
    stored = read_ticket_data(database)
    ids = dict(rows(database, "SELECT id, source_id FROM tickets"))
    back = stored.tickets.with_columns(pl.col("id").cast(pl.Int64).replace_strict(ids))
    assert back.sort("id").equals(tickets.sort("id"))
    # two writers may number batches out of order: compare per ticket, keeping event order
    events = stored.events.with_columns(pl.col("ticket_id").cast(pl.Int64).replace_strict(ids))
    events = events.sort("ticket_id", maintain_order=True)
    assert events.equals(data.events.sort("ticket_id", maintain_order=True))


def test_events_stored_as_any_json_of_their_shape_read_back_the_same(database: Database) -> None:
    # The import writes one compact form, read with string operations; the same JSON
    # written otherwise (by hand, or spaced and key-sorted as PostgreSQL's jsonb gave
    # it before migration 0005) must read back the same, in the same order.
    import_tickets(database, result_of(synthetic(60)), source="synth", batch_size=30)
    before = read_ticket_data(database).events
    odd = rows(database, "SELECT id, events FROM tickets WHERE id % 3 = 0 ORDER BY id")
    with database.transaction() as session:
        for ticket_id, events in odd:
            stored_json = events if isinstance(events, str) else json.dumps(events)
            value = json.loads(stored_json)
            spaced = json.dumps({key: value[key] for key in ("kind", "at_us", "status")})
            session.execute(
                text("UPDATE tickets SET events = :events WHERE id = :id"),
                {"events": spaced, "id": ticket_id},
            )
    rewritten = rows(database, f"SELECT events FROM tickets WHERE id = {odd[0][0]}")[0][0]
    assert str(rewritten).startswith('{"kind": [')
    after = read_ticket_data(database).events  # rows rewritten may now be read last
    by_ticket = {"by": "ticket_id", "maintain_order": True}
    assert after.sort(**by_ticket).equals(before.sort(**by_ticket))


def test_importing_the_same_export_again_changes_nothing(database: Database) -> None:
    data = synthetic(90)
    import_tickets(database, result_of(data), source="synth", batch_size=40)
    sql = "SELECT id, source_id, content_hash, imported_at, events FROM tickets ORDER BY id"
    before = rows(database, sql)
    again = import_tickets(database, result_of(data), source="synth", batch_size=40)
    assert (again.inserted, again.updated, again.unchanged, again.events) == (0, 0, 90, 0)
    assert rows(database, sql) == before


def test_a_changed_ticket_is_updated_and_its_events_replaced(database: Database) -> None:
    data = synthetic(60)
    import_tickets(database, result_of(data), source="synth", batch_size=25)
    first, second = data.tickets["id"][0], data.tickets["id"][1]
    tickets = data.tickets.with_columns(
        pl.when(pl.col("id") == first).then(pl.lit("urgent")).otherwise(pl.col("priority"))
        .cast(TICKET_SCHEMA["priority"]).alias("priority")
    )  # fmt: skip
    extra = conform(
        pl.DataFrame({"ticket_id": [second], "at": [dt.datetime(2026, 10, 31, 23, 59)],
                      "kind": ["customer_message"]}),
        EVENT_SCHEMA,
    )  # fmt: skip
    kept = data.events.filter(pl.col("ticket_id") != first)  # the first ticket loses its events
    events = pl.concat([kept, extra]).sort("ticket_id", maintain_order=True)
    sql = "SELECT source_id, imported_at FROM tickets WHERE source_id NOT IN (:a, :b)"
    untouched = sorted(rows(database, sql, a=first, b=second))
    summary = import_tickets(
        database, result_of(TicketData(tickets, events)), source="synth", batch_size=25
    )
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 2, 58)
    assert summary.events == events.filter(pl.col("ticket_id") == second).height
    priority = "SELECT priority FROM tickets WHERE source_id = :id"
    assert scalar(database, priority, id=first) == "urgent"
    counts = event_counts(database, "synth")
    assert counts[first] == 0
    assert counts[second] == data.events.filter(pl.col("ticket_id") == second).height + 1
    assert sorted(rows(database, sql, a=first, b=second)) == untouched


def test_a_batch_rolled_back_leaves_nothing_of_itself(database: Database) -> None:
    data = synthetic(30)
    batch = stored.prepare(data.tickets, data.events)
    with pytest.raises(RuntimeError), database.transaction() as session:
        assert stored.upsert(session, "synth", batch, dt.datetime.now(dt.UTC)).inserted == 30
        raise RuntimeError("the batch fails after its rows were sent")
    assert scalar(database, "SELECT count(*) FROM tickets") == 0


def test_a_batch_the_database_refuses_stops_the_import_with_how_to_finish_it(
    tmp_path: Path,
) -> None:
    database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
    database.upgrade()
    data = synthetic(60)
    refused = data.tickets["id"][25]  # in the second batch
    with database.engine.begin() as connection:  # as if a constraint refused one ticket
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON tickets "
                f"WHEN NEW.source_id = '{refused}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
    with pytest.raises(StoreError, match="Every batch before it is stored") as raised:
        import_tickets(database, result_of(data), source="synth", batch_size=20)
    assert "run the same import again to finish" in str(raised.value)
    assert scalar(database, "SELECT count(*) FROM tickets") == 20
    assert rows(database, "SELECT status, batches FROM import_runs") == [("failed", 1)]
    database.dispose()


def test_the_same_ids_from_two_sources_are_two_tickets(database: Database) -> None:
    data = synthetic(40)
    import_tickets(database, result_of(data), source="zendesk", batch_size=100)
    other = import_tickets(database, result_of(data), source="freshdesk", batch_size=100)
    assert other.inserted == 40
    found = rows(database, "SELECT source, count(*) FROM tickets GROUP BY source ORDER BY source")
    assert found == [("freshdesk", 40), ("zendesk", 40)]


def test_the_import_run_records_its_batches_counts_and_end(database: Database) -> None:
    data = synthetic(70)
    summary = import_tickets(database, result_of(data), source="synth", batch_size=30)
    run = rows(
        database,
        "SELECT status, inserted, updated, unchanged, events, batches, finished_at "
        "FROM import_runs WHERE id = :id",
        id=summary.run_id,
    )[0]
    assert run[:6] == ("done", 70, 0, 0, data.events.height, 3)
    assert run[6] is not None


def test_an_import_stopped_after_a_batch_keeps_whole_batches_and_is_marked_failed(
    database: Database,
) -> None:
    data = synthetic(150)

    def stop(done: int, total: int) -> None:
        if done >= 60:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_tickets(database, result_of(data), source="synth", batch_size=30, progress=stop)
    kept = scalar(database, "SELECT count(*) FROM tickets")
    # No batch is started once the stop is asked for; on PostgreSQL one more batch
    # may have been in flight beside the second, and then it is stored whole.
    assert kept == 60 or (database.dialect == "postgresql" and kept == 90)
    assert rows(database, "SELECT status, batches FROM import_runs") == [("failed", kept // 30)]
    counts = event_counts(database, "synth")
    expected = expected_event_counts(data)
    assert counts == {ticket: expected[ticket] for ticket in counts}
    finished = import_tickets(database, result_of(data), source="synth", batch_size=30)
    assert (finished.inserted, finished.unchanged) == (150 - kept, kept)


@pytest.mark.parametrize(
    ("change", "batch_size", "error", "words"),
    [
        ({"source": "Zendesk EU"}, 10, InvalidInput, "source 'Zendesk EU' cannot be stored"),
        ({}, 0, UsageError, "batch size must be at least 1"),
        ({"team": "t" * 65}, 10, InvalidInput, "team longer than the 64 characters"),
        ({"id": "9" * 65}, 10, InvalidInput, "id longer than the 64 characters"),
        ({"duplicate": True}, 10, InvalidInput, "appear more than once"),
        ({"team": "tier\x001"}, 10, InvalidInput, "team holds a NUL character"),
    ],
)
def test_values_the_store_cannot_keep_are_refused_before_anything_is_written(
    database: Database, change: dict[str, object], batch_size: int, error: type, words: str
) -> None:
    data = synthetic(20)
    tickets = data.tickets
    for column in ("team", "id"):
        if column in change:
            tickets = tickets.with_columns(
                pl.when(pl.int_range(pl.len()) == 5).then(pl.lit(change[column]))
                .otherwise(pl.col(column)).alias(column)
            )  # fmt: skip
    if change.get("duplicate"):
        tickets = pl.concat([tickets, tickets.head(1)])
    source = str(change.get("source", "synth"))
    with pytest.raises(error, match=words):
        import_tickets(database, result_of(TicketData(tickets, data.events)), source=source,
                       batch_size=batch_size)  # fmt: skip
    assert scalar(database, "SELECT count(*) FROM tickets") == 0
    assert scalar(database, "SELECT count(*) FROM import_runs") == 0


def test_the_content_hash_is_pinned_so_a_library_upgrade_cannot_change_it() -> None:
    ticket = {
        "id": ["T-1"], "created_at": [dt.datetime(2026, 1, 5, 9, 0, 0, 1)],
        "channel": ["email"], "priority": ["high"], "tags": [["vip", "refund"]],
        "status": ["solved"], "solved_at": [dt.datetime(2026, 1, 5, 10)], "csat": [5],
    }  # fmt: skip
    tickets = conform(pl.DataFrame(ticket), TICKET_SCHEMA)
    events = conform(
        pl.DataFrame({"ticket_id": ["T-1"] * 2, "at": [dt.datetime(2026, 1, 5, 9)] * 2,
                      "kind": ["customer_message", "status"], "status": [None, "solved"]}),
        EVENT_SCHEMA,
    )  # fmt: skip
    assert content_hashes(tickets, place_events(tickets, events)).to_list() == [
        "1c6052139f46aabc62feb8e4578564f0"
    ]


@pytest.mark.parametrize(
    "change",
    [
        pl.col("channel").str.replace("email", "e-mail"),
        pl.col("created_at") + pl.duration(microseconds=1),
        pl.col("csat").fill_null(3),
        pl.col("tags").list.concat(pl.lit(["extra"])),
        pl.col("assignee").fill_null(""),
    ],
    ids=["text", "one microsecond", "null to a value", "a tag more", "null to empty"],
)
def test_any_change_to_a_ticket_changes_its_hash(change: pl.Expr) -> None:
    data = synthetic(50)
    before = content_hashes(data.tickets, place_events(data.tickets, data.events))
    changed_tickets = data.tickets.with_columns(change)
    after = content_hashes(changed_tickets, place_events(changed_tickets, data.events))
    differs = changed_tickets.select(
        pl.any_horizontal(~pl.col(c).eq_missing(data.tickets[c]) for c in data.tickets.columns)
    ).to_series()
    assert differs.any()
    assert (before != after).to_list() == differs.to_list()


def test_a_change_in_a_tickets_events_or_their_order_changes_its_hash() -> None:
    data = synthetic(30)
    tickets = data.tickets
    before = content_hashes(tickets, place_events(tickets, data.events))
    swapped = data.events.reverse().sort("ticket_id", maintain_order=True)
    after = content_hashes(tickets, place_events(tickets, swapped))
    several = data.events.group_by("ticket_id").len().filter(pl.col("len") > 1)["ticket_id"]
    assert (before != after).to_list() == tickets["id"].is_in(several.implode()).to_list()


def test_a_batch_of_scattered_ids_finds_its_stored_tickets(database: Database) -> None:
    # Every seventh ticket again, one changed: the batch's id range holds far more
    # stored tickets than the batch, so its ids are looked up one by one.
    data = synthetic(140)
    import_tickets(database, result_of(data), source="synth", batch_size=200)
    picked = data.tickets.filter(pl.int_range(pl.len()) % 7 == 0)
    changed = picked.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("tier-9")).otherwise(pl.col("team"))
        .alias("team")
    )  # fmt: skip
    events = data.events.filter(pl.col("ticket_id").is_in(picked["id"].implode()))
    again = import_tickets(
        database, result_of(TicketData(changed, events)), source="synth", batch_size=200
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 19)
    team = "SELECT team FROM tickets WHERE source_id = :id"
    assert scalar(database, team, id=picked["id"][0]) == "tier-9"
    assert scalar(database, "SELECT count(*) FROM tickets") == 140
