"""Refilling the dashboard's aggregates from the tickets and their SLA state.

Each figure comes from an ``INSERT ... SELECT ... GROUP BY`` over ``tickets`` joined to
``sla_states`` (one for ``ticket_daily``, one per measure for ``ticket_daily_times``,
whose rows are then summed for the levels a single filter reads):
the database does the counting, nothing runs per ticket in Python. Both tables are
emptied and refilled in one transaction, so a page reads either the old figures or the
new ones.

Durations go into the histogram buckets of ``_histogram`` (``EDGES``, ``bucket_sql``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from charter.policy.service_level import METRICS
from charter.store.dashboard._histogram import bucket_sql
from charter.store.models import (
    DAILY_COUNTS,
    DAILY_KEYS,
    DAILY_STATUSES,
    SPLIT_BITS,
    UtcDateTime,
)

TIME_COLUMNS = "split, channel, priority, team, day, measure, bucket, tickets, seconds"
FINEST = sum(SPLIT_BITS.values())  # split by channel, priority and team
# The coarser levels kept, each summed from the rows of another: no filter, or one.
SPLITS = {SPLIT_BITS["channel"]: FINEST, SPLIT_BITS["priority"]: FINEST,
          SPLIT_BITS["team"]: FINEST, 0: SPLIT_BITS["channel"]}  # fmt: skip
MEASURES = (
    "first_response_time.business", "first_response_time.calendar",
    "resolution_time.business", "resolution_time.calendar",
)  # fmt: skip
REPLY = '"agent_reply"'  # how an agent reply's kind reads in tickets.events
# A group is one whatever its case ("Tier-1", "tier-1"), as the ticket list's filters
# match it, so a card's count is its list's.
DIMENSIONS = (
    "lower(coalesce(t.channel, '')) AS channel, lower(coalesce(t.priority, '')) AS priority, "
    "lower(coalesce(t.team, '')) AS team"
)


def refresh_aggregates(session: Session, as_of: dt.datetime) -> None:
    """Replace both aggregate tables with figures from the stored tickets now."""
    dialect = session.get_bind().dialect.name
    session.execute(text("DELETE FROM ticket_daily"))
    session.execute(text("DELETE FROM ticket_daily_times"))
    daily = text(daily_sql(dialect)).bindparams(bindparam("as_of", type_=UtcDateTime()))
    session.execute(daily, {"as_of": as_of})
    for statement in times_sql(dialect):
        session.execute(text(statement))


def _day(column: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'UTC') AS date)"
    return f"substr({column}, 1, 10)"  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC


def _seconds(start: str, stop: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"EXTRACT(EPOCH FROM ({stop} - {start}))"
    return f"((julianday({stop}) - julianday({start})) * 86400.0)"


def _events(dialect: str) -> str:
    return "CAST(t.events AS text)" if dialect == "postgresql" else "t.events"


# A ticket's scores: its survey answer of that kind where it has one (``a``, joined by
# ``ANSWERS``), else the score imported from the helpdesk (docs/feedback.md).
CSAT = "coalesce(CASE WHEN a.kind = 'csat' THEN a.score END, t.csat)"
NPS = "coalesce(CASE WHEN a.kind = 'nps' THEN a.score END, t.nps)"
ANSWERS = "LEFT JOIN survey_invitations a ON a.ticket_id = t.id AND a.state = 'answered' "


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def _any_status(status: str) -> str:
    return "(" + " OR ".join(f"coalesce(s.{m}_status, '') = '{status}'" for m in METRICS) + ")"


def _created_flags(dialect: str) -> dict[str, str]:
    """Each count's 0/1 value for one ticket, on the day it was created."""
    events = _events(dialect)
    replies = f"((length({events}) - length(replace({events}, '{REPLY}', ''))) / {len(REPLY)})"
    solved, unsolved = "t.solved_at IS NOT NULL", "t.solved_at IS NULL"
    breached, at_risk = _any_status("breached"), _any_status("at_risk")
    return {
        "created": "1", "solved": "0",
        "resolved": _flag(solved),
        "open": _flag(unsolved),
        "open_breached": _flag(f"{unsolved} AND {breached}"),
        "open_at_risk": _flag(f"{unsolved} AND NOT {breached} AND {at_risk}"),
        "csat_answers": _flag(f"{CSAT} BETWEEN 1 AND 5"),
        "csat_positive": _flag(f"{CSAT} BETWEEN 4 AND 5"),
        "csat_solved": _flag(f"{CSAT} BETWEEN 1 AND 5 AND {solved}"),
        "nps_answers": _flag(f"{NPS} BETWEEN 0 AND 10"),
        "nps_promoters": _flag(f"{NPS} BETWEEN 9 AND 10"),
        "nps_detractors": _flag(f"{NPS} BETWEEN 0 AND 6"),
        "first_contact": _flag(f"{solved} AND {replies} = 1"),
        "with_events": _flag("t.events IS NOT NULL"),
    }  # fmt: skip


def status_columns() -> list[str]:
    return [f"{metric}_{status}" for metric in METRICS for status in DAILY_STATUSES]


def daily_sql(dialect: str) -> str:
    """Tickets created per day and group with their states, plus tickets solved per day."""
    flags = _created_flags(dialect)
    statuses = {
        f"{m}_{st}": _flag(f"s.{m}_status = '{st}'") for m in METRICS for st in DAILY_STATUSES
    }
    created = ", ".join(f"{expr} AS {name}" for name, expr in {**flags, **statuses}.items())
    solved_only = {name: ("1" if name == "solved" else "0") for name in [*flags, *statuses]}
    solved = ", ".join(f"{expr} AS {name}" for name, expr in solved_only.items())
    counted = [*DAILY_COUNTS, *status_columns()]
    keys = ", ".join(DAILY_KEYS)
    return (
        f"INSERT INTO ticket_daily ({keys}, {', '.join(counted)}, as_of) "
        f"SELECT {keys}, {', '.join(f'sum({c})' for c in counted)}, :as_of FROM ("
        f"SELECT {_day('t.created_at', dialect)} AS day, {DIMENSIONS}, {created} "
        f"FROM tickets t LEFT JOIN sla_states s ON s.ticket_id = t.id {ANSWERS}"
        f"UNION ALL SELECT {_day('t.solved_at', dialect)} AS day, {DIMENSIONS}, {solved} "
        f"FROM tickets t WHERE t.solved_at IS NOT NULL) u GROUP BY {keys}"
    )


def _measure_values(dialect: str) -> dict[str, tuple[str, str]]:
    """Per measure, the seconds one ticket takes, and which tickets have a value."""
    replied = f"(t.first_response_at IS NOT NULL OR {_events(dialect)} LIKE '%{REPLY}%')"
    # A met clock has stopped; a breached one may still run until the first reply.
    responded = (
        f"(s.first_response_status = 'met' OR (s.first_response_status = 'breached' AND {replied}))"
    )
    resolved = (
        "s.resolution_status IN ('met', 'breached') AND t.solved_at IS NOT NULL "
        "AND t.status IN ('solved', 'closed')"
    )
    first = _seconds("t.created_at", "t.first_response_at", dialect)
    whole = _seconds("t.created_at", "t.solved_at", dialect)
    return {
        MEASURES[0]: ("s.first_response_elapsed_seconds", responded),
        MEASURES[1]: (first, f"{responded} AND t.first_response_at IS NOT NULL"),
        MEASURES[2]: ("s.resolution_elapsed_seconds", resolved),
        MEASURES[3]: (whole, "t.solved_at IS NOT NULL"),
    }


def times_sql(dialect: str) -> list[str]:
    """Per measure, its tickets and seconds per day, group and histogram bucket (split
    7, one grouped statement each; the seconds are materialized first, so the bucket's
    comparisons read a column instead of computing them again at each level); then
    the levels a single filter or none reads (``SPLITS``), summed from those rows."""
    statements = []
    for measure, (seconds, chosen) in _measure_values(dialect).items():
        statements.append(
            f"WITH v AS MATERIALIZED (SELECT {_day('t.created_at', dialect)} AS day, "
            f"{DIMENSIONS}, {seconds} AS x "
            "FROM tickets t LEFT JOIN sla_states s ON s.ticket_id = t.id "
            f"WHERE {chosen} AND {seconds} IS NOT NULL) "
            f"INSERT INTO ticket_daily_times ({TIME_COLUMNS}) "
            f"SELECT {FINEST}, channel, priority, team, day, '{measure}', {bucket_sql('x')} "
            "AS bucket, count(*), sum(x) FROM v GROUP BY channel, priority, team, day, bucket"
        )
    for split, source in SPLITS.items():
        kept = [group for group, bit in SPLIT_BITS.items() if split & bit]
        groups = ", ".join(g if g in kept else "''" for g in SPLIT_BITS)
        statements.append(
            f"INSERT INTO ticket_daily_times ({TIME_COLUMNS}) "
            f"SELECT {split}, {groups}, day, measure, bucket, sum(tickets), sum(seconds) "
            f"FROM ticket_daily_times WHERE split = {source} "
            f"GROUP BY {', '.join([*kept, 'day', 'measure', 'bucket'])}"  # in key order
        )
    return statements
