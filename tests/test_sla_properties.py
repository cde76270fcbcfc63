"""A verdict, once a clock has stopped, is final: evaluating later changes nothing.

For tickets whose events all come before ``now``, evaluating at any later ``now'``
gives every clock that had stopped by ``now`` the same verdict, due instant and
elapsed time. Stories are drawn at random: status changes (with reopens), customer
messages, agent replies, and the ``first_response_at`` / ``solved_at`` columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.sla.evaluate import evaluate
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform
from support.sla import make_ticket, sla_policy

START = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)  # Monday 09:00 in London (GMT)
STATUSES = ("open", "pending", "on_hold", "solved", "closed")
KINDS = ("customer_message", "agent_reply", "status")
POLICY = sla_policy(
    "first_response: {within: 2h, clock: office}, next_response: {within: 3h, clock: desk}, "
    "periodic_update: {within: 4h, clock: nights}, requester_wait: {within: 8h, clock: 24x7}, "
    "agent_work: {within: 6h, clock: office}, resolution: {within: 1wd, clock: office}"
)
FINAL = ("status", "due_at", "elapsed_seconds", "stop_at")

event = st.tuples(
    st.integers(0, 5 * 24 * 60),  # minutes after the ticket's creation
    st.sampled_from(KINDS),
    st.sampled_from(STATUSES),
)
story = st.tuples(
    st.lists(event, max_size=8),
    st.none() | st.integers(0, 5 * 24 * 60),  # first_response_at column
    st.none() | st.integers(0, 5 * 24 * 60),  # solved_at column
)


def _tickets(stories: list[Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    tickets, events = [], []
    for n, (happenings, first, solved) in enumerate(stories):
        ticket_id = f"t{n}"
        created = START + dt.timedelta(hours=7 * n)
        statuses = [s for _, kind, s in sorted(happenings) if kind == "status"]
        tickets.append(make_ticket(
            id=ticket_id, created_at=created, status=statuses[-1] if statuses else "open",
            first_response_at=None if first is None else created + dt.timedelta(minutes=first),
            solved_at=None if solved is None else created + dt.timedelta(minutes=solved),
        ))  # fmt: skip
        for minutes, kind, status in happenings:
            at = created + dt.timedelta(minutes=minutes)
            events.append((ticket_id, at, kind, status if kind == "status" else None))
    return tickets, events


def _frame(tickets: list[dict[str, Any]], events: list[Any]) -> TicketData:
    schema = {"ticket_id": pl.String, "at": pl.Datetime("us", "UTC"), "kind": pl.String,
              "status": pl.String}  # fmt: skip
    rows = pl.DataFrame(events, schema=schema, orient="row")
    return TicketData(conform(pl.DataFrame(tickets), TICKET_SCHEMA), conform(rows, EVENT_SCHEMA))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(story, min_size=1, max_size=4), st.integers(1, 10 * 24 * 60))
def test_a_stopped_clock_keeps_its_verdict_due_and_elapsed_at_any_later_now(
    stories: list[Any], later_minutes: int
) -> None:
    tickets, events = _tickets(stories)
    d = _frame(tickets, events)
    instants = [t["created_at"] for t in tickets] + [e[1] for e in events]
    instants += [t[c] for t in tickets for c in ("first_response_at", "solved_at") if t[c]]
    now = max(instants) + dt.timedelta(minutes=1)
    first = evaluate(POLICY, d, now)
    again = evaluate(POLICY, d, now + dt.timedelta(minutes=later_minutes))
    stopped = first.filter(pl.col("stop_at").is_not_null())
    keys = ["ticket_id", "metric"]
    joined = stopped.select(*keys, *FINAL).join(again.select(*keys, *FINAL), on=keys)
    assert joined.height == stopped.height
    for column in FINAL:
        assert joined[column].equals(joined[f"{column}_right"], null_equal=True), column
