"""SLA state kept in the store: what the engine computes from files, current after imports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select, text

from charter.policy import Policy, load_policy_text
from charter.policy.service_level import METRICS
from charter.services import sla_state
from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.sla.evaluate import evaluate, ticket_columns
from charter.store import Database
from charter.store.models import SlaState, Ticket
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, conform
from support import EXAMPLE_TEXT
from support.ticket_store import publish, result_of, rows, scalar, synthetic

NOW = dt.datetime(2026, 10, 30, 15, tzinfo=dt.UTC)
POLICY = load_policy_text(EXAMPLE_TEXT).policy
Key = tuple[str, str]


def stored_states(database: Database) -> dict[Key, dict[str, Any]]:
    """Every stored state by (source id, metric), read from the table's rows: four
    columns per metric, null where the ticket's rule sets no target for it."""
    table = SlaState.__table__
    query = select(Ticket.source_id, table).join(Ticket, Ticket.id == table.c.ticket_id)
    with database.reading() as session:
        found = [row._mapping for row in session.execute(query)]
    return {
        (row["source_id"], metric): {
            "rule_id": row["rule_id"], "status": row[f"{metric}_status"],
            "due_at": row[f"{metric}_due_at"], "elapsed_seconds": row[f"{metric}_elapsed_seconds"],
            "target_seconds": row[f"{metric}_target_seconds"], "computed_at": row["computed_at"],
        }
        for row in found
        for metric in METRICS
        if row[f"{metric}_status"] is not None
    }  # fmt: skip


def engine_states(
    data: TicketData, now: dt.datetime, policy: Policy = POLICY
) -> dict[Key, dict[str, Any]]:
    """What ``evaluate`` says on the files, for the metrics each ticket's rule targets."""
    result = evaluate(policy, data, now).filter(
        pl.col("target_seconds").is_not_null() | pl.col("target_working_days").is_not_null()
    )
    return {
        (row["ticket_id"], row["metric"]): {
            "rule_id": row["rule_id"], "status": row["status"], "due_at": row["due_at"],
            "elapsed_seconds": row["elapsed_seconds"],
            "target_seconds": _target(row),
        }
        for row in result.iter_rows(named=True)
    }  # fmt: skip


def _target(row: dict[str, Any]) -> float | None:
    if row["target_business_seconds"] is not None:
        return float(row["target_business_seconds"])
    return None if row["target_seconds"] is None else float(row["target_seconds"])


def without(states: dict[Key, dict[str, Any]], field: str) -> dict[Key, dict[str, Any]]:
    return {key: {k: v for k, v in value.items() if k != field} for key, value in states.items()}


def test_without_a_published_policy_nothing_is_computed_and_the_summary_says_why(
    database: Database,
) -> None:
    import_tickets(database, result_of(synthetic(30)), source="synth", batch_size=50)
    summary = recompute_sla(database, now=NOW)
    assert not summary.computed
    assert "no policy is published" in summary.note
    assert scalar(database, "SELECT count(*) FROM sla_states") == 0


def test_stored_state_is_what_the_engine_computes_from_the_files(database: Database) -> None:
    data = synthetic(150)
    import_tickets(database, result_of(data), source="synth", batch_size=60)
    version_id = publish(database)
    summary = recompute_sla(database, now=NOW)
    expected = engine_states(data, NOW)
    assert without(stored_states(database), "computed_at") == expected
    assert summary.states == len(expected) == summary.written
    statuses = [state["status"] for state in expected.values()]
    assert summary.statuses == {s: statuses.count(s) for s in set(statuses)}
    assert rows(database, "SELECT DISTINCT version_id FROM sla_states") == [(version_id,)]


def test_rules_on_tags_and_categories_see_the_stored_tags_and_categories(
    database: Database,
) -> None:
    # The store reads only the columns the rules name: a rule on tags or on a category
    # must still see them (the example's rules name priority, segment and channel).
    text_ = EXAMPLE_TEXT.replace("segment: [us]", "tags: [refund, vip]").replace(
        "channel: [phone]", "category: [delivery]"
    )
    policy = load_policy_text(text_).policy
    assert set(ticket_columns(policy)) >= {"tags", "category"}
    data = synthetic(150)
    import_tickets(database, result_of(data), source="synth", batch_size=60)
    publish(database, text_)
    recompute_sla(database, now=NOW)
    expected = engine_states(data, NOW, policy)
    rules = {state["rule_id"] for state in expected.values()}
    assert {"sl-us", "sl-phone"} <= rules  # the renamed rules matched some tickets
    assert without(stored_states(database), "computed_at") == expected


def test_an_import_recomputes_the_state_of_the_tickets_it_wrote(database: Database) -> None:
    publish(database)
    data = synthetic(80)
    summary = import_tickets(database, result_of(data), source="synth", batch_size=30)
    assert summary.sla.computed and summary.sla.tickets == summary.sla.evaluated == 80
    late = [key for key, s in stored_states(database).items()
            if key[1] == "first_response" and s["status"] != "met"]  # fmt: skip
    ticket = late[0][0]
    created = data.tickets.filter(pl.col("id") == ticket)["created_at"][0]
    reply = conform(
        pl.DataFrame({"ticket_id": [ticket] * 2, "kind": ["customer_message", "agent_reply"],
                      "at": [created, created + dt.timedelta(minutes=1)]}),
        EVENT_SCHEMA,
    )  # fmt: skip
    events = pl.concat([data.events.filter(pl.col("ticket_id") != ticket), reply])
    again = import_tickets(
        database, result_of(TicketData(data.tickets, events)), source="synth", batch_size=30
    )
    assert again.updated == 1 and 1 <= again.sla.evaluated < 80
    assert stored_states(database)[(ticket, "first_response")]["status"] == "met"


def test_a_later_recompute_evaluates_only_unsettled_tickets_and_matches_a_full_one(
    database: Database,
) -> None:
    data = synthetic(200)
    import_tickets(database, result_of(data), source="synth", batch_size=100)
    publish(database)
    first = recompute_sla(database, now=NOW)
    assert first.evaluated == 200 and first.written == first.states
    later = NOW + dt.timedelta(hours=3)
    summary = recompute_sla(database, now=later)
    old, new = engine_states(data, NOW), engine_states(data, later)
    moved = {ticket for (ticket, _), state in new.items() if state != old.get((ticket, _))}
    assert moved, "three hours on, some running clock should have moved"
    stored = stored_states(database)
    assert without(stored, "computed_at") == new  # as if every ticket had been evaluated
    rewritten = {ticket for (ticket, _), s in stored.items() if s["computed_at"] == later}
    assert moved <= rewritten
    assert len(rewritten) == summary.evaluated < 200  # settled tickets were left alone


def test_recomputing_at_the_same_instant_changes_nothing(database: Database) -> None:
    import_tickets(database, result_of(synthetic(60)), source="synth", batch_size=60)
    publish(database)
    recompute_sla(database, now=NOW)
    before = stored_states(database)
    again = recompute_sla(database, now=NOW)
    assert again.evaluated < 60 and again.states == len(before)
    assert stored_states(database) == before


def test_everything_evaluates_every_ticket_again(database: Database) -> None:
    data = synthetic(50)
    import_tickets(database, result_of(data), source="synth", batch_size=50)
    publish(database)
    recompute_sla(database, now=NOW)
    later = NOW + dt.timedelta(days=30)
    summary = recompute_sla(database, now=later, everything=True)
    assert summary.evaluated == summary.tickets == 50
    stored = stored_states(database)
    assert {s["computed_at"] for s in stored.values()} == {later}
    assert without(stored, "computed_at") == engine_states(data, later)


def _status_counts(states: dict[Key, dict[str, Any]]) -> dict[str, int]:
    statuses = [state["status"] for state in states.values()]
    return {s: statuses.count(s) for s in set(statuses)}


@pytest.mark.parametrize("kept_every", [1, 3])  # every ticket; one in three (sparse ids)
def test_many_small_chunks_store_what_one_evaluation_gives(
    database: Database, monkeypatch: pytest.MonkeyPatch, kept_every: int
) -> None:
    monkeypatch.setattr(sla_state, "CHUNK", 16)
    data = synthetic(240)
    import_tickets(database, result_of(data), source="synth", batch_size=100)
    with database.transaction() as session:  # gaps in the ids, as rolled-back batches leave
        session.execute(text(f"DELETE FROM tickets WHERE id % {kept_every} <> 0"))
    kept = [source for (source,) in rows(database, "SELECT source_id FROM tickets")]
    data = TicketData(
        data.tickets.filter(pl.col("id").is_in(kept)),
        data.events.filter(pl.col("ticket_id").is_in(kept)),
    )
    publish(database)
    first = recompute_sla(database, now=NOW)
    assert first.evaluated == first.tickets == len(kept)
    assert without(stored_states(database), "computed_at") == engine_states(data, NOW)
    assert first.statuses == _status_counts(engine_states(data, NOW))
    later = NOW + dt.timedelta(hours=3)
    second = recompute_sla(database, now=later)
    assert 0 < second.evaluated < len(kept)
    assert without(stored_states(database), "computed_at") == engine_states(data, later)
    assert second.statuses == _status_counts(engine_states(data, later))
