"""SLA state kept in the store: what the engine computes from files, current after imports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import select

from charter.policy import load_policy_text
from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.sla.evaluate import evaluate
from charter.store import Database
from charter.store.models import SlaState, Ticket
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, conform
from support import EXAMPLE_TEXT
from ticket_store_support import publish, result_of, rows, scalar, synthetic

NOW = dt.datetime(2026, 10, 30, 15, tzinfo=dt.UTC)
POLICY = load_policy_text(EXAMPLE_TEXT).policy
Key = tuple[str, str]


def stored_states(database: Database) -> dict[Key, dict[str, Any]]:
    """Every stored state by (source id, metric), read through the models."""
    query = select(Ticket.source_id, SlaState).join(Ticket, Ticket.id == SlaState.ticket_id)
    with database.reading() as session:
        found = session.execute(query).all()
    return {
        (source_id, s.metric): {"rule_id": s.rule_id, "status": s.status, "due_at": s.due_at,
                                "elapsed_seconds": s.elapsed_seconds,
                                "target_seconds": s.target_seconds, "computed_at": s.computed_at}
        for source_id, s in found
    }  # fmt: skip


def engine_states(data: TicketData, now: dt.datetime) -> dict[Key, dict[str, Any]]:
    """What ``evaluate`` says on the files, for the metrics each ticket's rule targets."""
    result = evaluate(POLICY, data, now).filter(
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


def test_an_import_recomputes_the_state_of_the_tickets_it_wrote(database: Database) -> None:
    publish(database)
    data = synthetic(80)
    summary = import_tickets(database, result_of(data), source="synth", batch_size=30)
    assert summary.sla.computed and summary.sla.tickets == 80
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
    assert (again.updated, again.sla.tickets) == (1, 1)
    assert stored_states(database)[(ticket, "first_response")]["status"] == "met"


def test_recomputing_at_the_same_instant_rewrites_nothing(database: Database) -> None:
    import_tickets(database, result_of(synthetic(60)), source="synth", batch_size=60)
    publish(database)
    recompute_sla(database, now=NOW)
    before = stored_states(database)
    again = recompute_sla(database, now=NOW)
    assert again.written == 0 and again.states == len(before)
    assert stored_states(database) == before  # computed_at included: no row was touched


def test_a_later_recompute_rewrites_exactly_the_states_that_moved(database: Database) -> None:
    data = synthetic(200)
    import_tickets(database, result_of(data), source="synth", batch_size=100)
    publish(database)
    recompute_sla(database, now=NOW)
    later = NOW + dt.timedelta(hours=3)
    summary = recompute_sla(database, now=later)
    old, new = engine_states(data, NOW), engine_states(data, later)
    moved = {key for key in new if new[key] != old.get(key)}
    assert moved, "three hours on, some running clock should have moved"
    assert summary.written == len(moved)
    stored = stored_states(database)
    assert {k for k, s in stored.items() if s["computed_at"] == later} == moved
    assert without(stored, "computed_at") == new


def test_recomputing_some_tickets_leaves_the_others_as_they_were(database: Database) -> None:
    import_tickets(database, result_of(synthetic(50)), source="synth", batch_size=50)
    publish(database)
    recompute_sla(database, now=NOW)
    before = stored_states(database)
    picked = rows(database, "SELECT id, source_id FROM tickets ORDER BY id LIMIT 5")
    chosen, sources = [r[0] for r in picked], {r[1] for r in picked}
    later = NOW + dt.timedelta(days=30)
    summary = recompute_sla(database, now=later, ticket_ids=pl.Series(chosen))
    assert summary.tickets == 5
    after = stored_states(database)
    assert {k: v for k, v in after.items() if k[0] not in sources} == {
        k: v for k, v in before.items() if k[0] not in sources
    }
