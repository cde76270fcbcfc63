"""Stored tickets for people: pages, filters, one ticket in full, and clear errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest
from sqlalchemy import event

from charter.errors import InvalidInput, NotFound
from charter.policy import load_policy_text
from charter.services.sla_state import recompute_sla
from charter.services.ticket_detail import get_ticket
from charter.services.ticket_queries import list_tickets
from charter.services.tickets import import_tickets
from charter.sla.evaluate import evaluate
from charter.store import Database
from charter.tickets.dataset import TicketData
from support import EXAMPLE_TEXT
from support.ticket_store import publish, result_of, rows, synthetic

NOW = dt.datetime(2026, 10, 30, 15, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Stored:
    database: Database
    data: TicketData
    ids: dict[str, int]  # source id -> store id
    states: pl.DataFrame  # the engine's targeted states, by source id


@pytest.fixture
def stored(database: Database) -> Stored:
    data = synthetic(120, seed=11)
    import_tickets(database, result_of(data), source="synth", batch_size=50)
    publish(database)
    recompute_sla(database, now=NOW)
    ids = {source_id: id_ for id_, source_id in rows(database, "SELECT id, source_id FROM tickets")}
    states = evaluate(load_policy_text(EXAMPLE_TEXT).policy, data, NOW).filter(
        pl.col("target_seconds").is_not_null() | pl.col("target_working_days").is_not_null()
    )
    return Stored(database, data, ids, states)


EVERY = pl.lit(True)


def newest_first(stored: Stored, keep: pl.Expr = EVERY) -> list[int]:
    """Store ids of the tickets ``keep`` selects, by creation then id, newest first."""
    frame = stored.data.tickets.filter(keep).with_columns(
        pl.col("id").replace_strict(stored.ids, return_dtype=pl.Int64).alias("store_id")
    )
    return frame.sort("created_at", "store_id", descending=True)["store_id"].to_list()


def test_pages_list_every_ticket_newest_first_and_count_them(stored: Stored) -> None:
    pages = [list_tickets(stored.database, page=n, per_page=50) for n in (1, 2, 3)]
    assert [len(p.items) for p in pages] == [50, 50, 20]
    assert {(p.total, p.pages) for p in pages} == {(120, 3)}
    assert [row.id for p in pages for row in p.items] == newest_first(stored)


def test_a_page_past_the_end_is_empty_but_keeps_the_total(stored: Stored) -> None:
    beyond = list_tickets(stored.database, page=9, per_page=50)
    assert (beyond.items, beyond.total) == ([], 120)


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"channel": "email"}, pl.col("channel") == "email"),
        ({"team": "tier-2"}, pl.col("team") == "tier-2"),
        (
            {"channel": "chat", "team": "tier-1"},
            (pl.col("channel") == "chat") & (pl.col("team") == "tier-1"),
        ),
    ],
)
def test_channel_and_team_filters_keep_exactly_their_tickets(
    stored: Stored, filters: dict[str, str], keep: pl.Expr
) -> None:
    page = list_tickets(stored.database, per_page=200, **filters)
    expected = newest_first(stored, keep)
    assert expected, "the synthetic history should hold such tickets"
    assert [row.id for row in page.items] == expected and page.total == len(expected)


@pytest.mark.parametrize("status", ["met", "breached", "pending", "none"])
def test_the_sla_filter_keeps_tickets_with_any_metric_in_that_status(
    stored: Stored, status: str
) -> None:
    having = stored.states.filter(pl.col("status") == status)["ticket_id"].unique()
    page = list_tickets(stored.database, sla_status=status, per_page=200)
    assert page.total == having.len() > 0
    assert [row.id for row in page.items] == newest_first(
        stored, pl.col("id").is_in(having.implode())
    )


def test_each_listed_ticket_carries_its_status_per_metric(stored: Stored) -> None:
    page = list_tickets(stored.database, per_page=200)
    by_id = {row.id: row.sla for row in page.items}
    for ticket_id, metric, status in stored.states.select(
        "ticket_id", "metric", "status"
    ).iter_rows():
        assert by_id[stored.ids[ticket_id]][metric] == status


def test_a_page_is_one_query_for_its_rows_and_one_count(stored: Stored) -> None:
    with counted(stored.database) as statements:
        list_tickets(stored.database, sla_status="breached", channel="email", per_page=10)
    assert len(statements) == 2, statements


@pytest.mark.parametrize(
    ("arguments", "field", "words"),
    [
        ({"per_page": 0}, "per_page", "ask for 1 to 200"),
        ({"per_page": 201}, "per_page", "ask for 1 to 200"),
        ({"page": 0}, "page", "numbered from 1"),
        ({"sla_status": "late"}, "sla_status", "use one of met, breached"),
    ],
)
def test_a_bad_page_or_filter_says_which_and_what_is_allowed(
    database: Database, arguments: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InvalidInput, match=words) as raised:
        list_tickets(database, **arguments)
    assert raised.value.details[0]["field"] == field


def test_one_ticket_comes_with_its_columns_events_and_state_per_metric(stored: Stored) -> None:
    source_id = stored.data.tickets["id"][7]
    detail = get_ticket(stored.database, stored.ids[source_id])
    row = stored.data.tickets.filter(pl.col("id") == source_id).row(0, named=True)
    assert (detail.source, detail.source_id) == ("synth", source_id)
    for column in ("created_at", "channel", "priority", "team", "solved_at", "csat", "nps"):
        assert getattr(detail, column) == row[column], column
    assert detail.tags == (row["tags"] or [])
    events = stored.data.events.filter(pl.col("ticket_id") == source_id)
    assert [(e.at, e.kind, e.status) for e in detail.events] == list(
        events.select("at", "kind", "status").iter_rows()
    )
    states = stored.states.filter(pl.col("ticket_id") == source_id).sort("metric")
    assert [(s.metric, s.status, s.rule_id) for s in detail.sla] == list(
        states.select("metric", "status", "rule_id").iter_rows()
    )


@pytest.mark.parametrize("ticket_id", [999_999, 0, -3, 2**70])
def test_an_unknown_ticket_is_not_found_and_the_message_says_whose_ids_these_are(
    database: Database, ticket_id: int
) -> None:
    with pytest.raises(NotFound, match=f"ticket {ticket_id} not found.*Charter's own numbers"):
        get_ticket(database, ticket_id)


class counted:
    """The SQL statements run on ``database`` inside the block (no mock: an event hook)."""

    def __init__(self, database: Database) -> None:
        self.engine = database.engine
        self.statements: list[str] = []

    def _record(self, *args: Any) -> None:
        self.statements.append(args[2])

    def __enter__(self) -> list[str]:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self.statements

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)
