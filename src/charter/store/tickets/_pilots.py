"""Which stored tickets a pilot judges: its group's tickets created in its period.

A pilot is given as a ``PilotSpan``: the pilot version's id, the ticket column its
group is matched on (``team``, ``requester_email``, ...), the group's values and the
period. One SQL expression (``pilot_case``) says which pilot, if any, judges a ticket;
the stale-ticket search and ``pilot_tickets`` both use it, so a ticket judged under a
pilot is never found stale again for that reason. Pilots are few and their groups
bounded (``charter.policy.pilot_group``), so the group's values are written into the
statement as quoted literals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy.orm import Session

from charter.store.models import Ticket
from charter.store.tickets import _bulk as bulk


@dataclass(frozen=True)
class PilotSpan:
    """A pilot that judges tickets: those whose ``column`` holds one of ``values``,
    created from ``starts_at`` (included) to ``ends_at`` (excluded)."""

    version_id: int
    column: str
    values: tuple[str, ...]
    starts_at: dt.datetime
    ends_at: dt.datetime


Pilots = Sequence[PilotSpan]
"""The pilots that judge tickets, the first listed winning where two overlap."""


def has_ticket_column(column: str) -> bool:
    """Whether stored tickets have the column ``column`` (a pilot group's column)."""
    return column in Ticket.__table__.c


def pilot_case(pilots: Pilots, dialect: str) -> str:
    """``CASE WHEN <in pilot 1> THEN <its version id> ... END``: the pilot version that
    judges a row of ``tickets``, or NULL."""
    literal = instant_literal(dialect)
    cases = " ".join(f"WHEN {_condition(p, literal)} THEN {int(p.version_id)}" for p in pilots)
    return f"CASE {cases} END"


def pilot_tickets(session: Session, pilots: Pilots, id_range: tuple[int, int]) -> pl.DataFrame:
    """``id, version_id``: the tickets with ids in ``id_range`` (both ends included)
    that a pilot judges, and the pilot version that does; empty without pilots."""
    schema: dict[str, pl.DataType] = {"id": pl.Int64(), "version_id": pl.Int64()}
    if not pilots:
        return pl.DataFrame(schema=schema)
    case = pilot_case(pilots, bulk.dialect(session))
    lo, hi = int(id_range[0]), int(id_range[1])
    query = (
        f"SELECT id, version_id FROM (SELECT tickets.id AS id, {case} AS version_id "
        f"FROM tickets WHERE tickets.id BETWEEN {lo} AND {hi}) p WHERE version_id IS NOT NULL"
    )
    return bulk.fetch(session, query, schema)


def pilot_frame(
    session: Session, pilot: PilotSpan, until: dt.datetime, metrics: Sequence[str]
) -> pl.DataFrame:
    """The tickets created from the pilot's start to its end or ``until``, whichever is
    first, every group: ``id``, ``pilot`` (in its group), ``csat`` (the ticket's survey
    answer of kind csat where it has one, else the score imported with it), ``replied`` and
    ``solved`` (whether the first reply and the solve happened), and per metric of
    ``metrics`` its stored ``{metric}_status`` and ``{metric}_elapsed_seconds``. One
    query; the statistics compare the two groups in columns."""
    literal = instant_literal(bulk.dialect(session))
    stop = min(pilot.ends_at, until)
    schema: dict[str, pl.DataType] = {
        "id": pl.Int64(), "pilot": pl.Int64(), "csat": pl.Int64(),
        "replied": pl.Int64(), "solved": pl.Int64(),
    }  # fmt: skip
    picked = []
    for metric in metrics:
        schema[f"{metric}_status"] = pl.String()
        schema[f"{metric}_elapsed_seconds"] = pl.Float64()
        picked += [f"s.{metric}_status", f"s.{metric}_elapsed_seconds"]
    query = (
        f"SELECT tickets.id, CASE WHEN {_condition(pilot, literal)} THEN 1 ELSE 0 END, "
        "COALESCE(a.score, tickets.csat), "
        "CASE WHEN tickets.first_response_at IS NULL THEN 0 ELSE 1 END, "
        "CASE WHEN tickets.solved_at IS NULL THEN 0 ELSE 1 END, "
        f"{', '.join(picked)} FROM tickets LEFT JOIN sla_states s ON s.ticket_id = tickets.id "
        # At most one survey per ticket (its unique key): an answer overrides the import.
        "LEFT JOIN survey_invitations a ON a.ticket_id = tickets.id "
        "AND a.state = 'answered' AND a.kind = 'csat' "
        f"WHERE tickets.created_at >= {literal(pilot.starts_at)} "
        f"AND tickets.created_at < {literal(stop)}"
    )
    return bulk.fetch(session, query, schema)


def _condition(pilot: PilotSpan, literal: Callable[[dt.datetime], str]) -> str:
    if not has_ticket_column(pilot.column):  # never user input: the kinds' fixed columns
        raise ValueError(f"tickets have no column {pilot.column!r}")
    values = ", ".join(_quoted(v) for v in pilot.values)
    return (
        f"(tickets.created_at >= {literal(pilot.starts_at)} "
        f"AND tickets.created_at < {literal(pilot.ends_at)} "
        f"AND tickets.{pilot.column} IN ({values}))"
    )


def _quoted(value: str) -> str:
    """A string as an SQL literal (standard quoting: a quote doubled)."""
    return "'" + value.replace("'", "''") + "'"


def instant_literal(dialect: str) -> Callable[[dt.datetime], str]:
    """An instant as an SQL literal in the form the database stores."""

    def literal(at: dt.datetime) -> str:
        instant = bulk.to_text(pl.lit(at).dt.cast_time_unit("us"), dialect)
        return f"'{pl.select(instant).item()}'"

    return literal
