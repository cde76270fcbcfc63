"""Builders for hand-computed tickets: London wall times, tickets and events."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

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
