"""Builders for hand-computed tickets: London wall times, tickets and events."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from charter.policy import load_policy_text
from charter.sla.evaluate import evaluate
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform

LONDON = ZoneInfo("Europe/London")
H = 3600.0
WEEKDAYS = ", ".join(f"{d}: [09:00-17:00]" for d in ("mon", "tue", "wed", "thu", "fri"))
NIGHTS = ", ".join(f"{d}: [22:00-06:00]" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


def at(text: str) -> dt.datetime:
    """London wall time → aware UTC datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(dt.UTC)


def make_ticket(**overrides: Any) -> dict[str, Any]:
    ticket = {"id": "t1", "created_at": at("2026-01-05 09:00"), "channel": "email",
              "priority": "normal", "status": "open"}  # fmt: skip
    ticket.update(overrides)
    return ticket


def data(
    tickets: list[dict[str, Any]], events: list[tuple[str, str, str, str | None]] = ()
) -> TicketData:  # type: ignore[assignment]
    frame = conform(pl.DataFrame(tickets), TICKET_SCHEMA)
    rows = [{"ticket_id": t, "at": at(when), "kind": k, "status": s} for t, when, k, s in events]
    event_frame = conform(pl.DataFrame(rows, schema={
        "ticket_id": pl.String, "at": pl.Datetime("us", "UTC"), "kind": pl.String,
        "status": pl.String}), EVENT_SCHEMA)  # fmt: skip
    return TicketData(frame, event_frame)


DESK = ", ".join(f"{d}: [09:00-17:30]" for d in ("mon", "tue", "wed", "thu", "fri"))


def sla_policy(targets: str, *, rules_before: str = "", pauses: str = "") -> Any:
    """A policy whose last rule ``main`` sets ``targets``, on three calendars: ``office``
    (Mon-Fri 09:00-17:00, England's bank holidays), ``desk`` (Mon-Fri 09:00-17:30) and
    ``nights`` (every night 22:00-06:00), all Europe/London."""
    text = f"""
organisation: {{name: A, mission: M}}
calendars:
  - {{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}},
      holidays: {{country: GB, subdivision: ENG}}}}
  - {{id: desk, timezone: Europe/London, weekly: {{{DESK}}}}}
  - {{id: nights, timezone: Europe/London, weekly: {{{NIGHTS}}}}}
service_levels:
  {pauses}
  rules:
{rules_before}    - {{id: main, targets: {{{targets}}}}}
"""
    return load_policy_text(text).policy


def sla_row(
    policy: Any, tickets: TicketData, now: str, metric: str, ticket: str = "t1"
) -> dict[str, Any]:
    """The one evaluated row of ``ticket`` and ``metric`` at London wall time ``now``."""
    frame = evaluate(policy, tickets, now=at(now))
    rows = frame.filter((pl.col("ticket_id") == ticket) & (pl.col("metric") == metric))
    assert rows.height == 1, rows
    return rows.row(0, named=True)
