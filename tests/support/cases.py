"""Hand-built ticket sets that more than one test file works from: the backtest's five
tickets, the pilot's two teams, and the desk story of per-ticket verdicts."""

from __future__ import annotations

import polars as pl

from charter.tickets.dataset import TicketData
from support.sla import at, data, make_ticket

# Five tickets created at 09:00 on Mon 5 .. Fri 9 January 2026, answered after these
# business times; the fourth came by chat.
REPLIES = {"t1": "09:30", "t2": "10:00", "t3": "10:30", "t4": "12:00", "t5": "14:00"}
ELAPSED = {"t1": 1800, "t2": 3600, "t3": 5400, "t4": 10800, "t5": 18000}


def backtest_tickets() -> TicketData:
    rows = [
        make_ticket(
            id=ticket, channel="chat" if ticket == "t4" else "email",
            created_at=at(f"2026-01-0{4 + n} 09:00"),
            first_response_at=at(f"2026-01-0{4 + n} {reply}"),
        )
        for n, (ticket, reply) in enumerate(REPLIES.items(), start=1)
    ]  # fmt: skip
    return data(rows)


# Pilot team "blue": replies after 30 min, 45 min, 2 h (2 of 3 met); control "red": after
# 50 min, 3 h, 4 h, 5 h (1 of 4 met). CSAT: blue 5, 4, 2; red 3, 5, 1, none.
ROWS = [("b1", "blue", "09:30", 5), ("b2", "blue", "09:45", 4), ("b3", "blue", "11:00", 2),
        ("r1", "red", "09:50", 3), ("r2", "red", "12:00", 5), ("r3", "red", "13:00", 1),
        ("r4", "red", "14:00", None)]  # fmt: skip


def pilot_tickets() -> pl.DataFrame:
    return data([
        make_ticket(id=i, team=team, csat=csat, first_response_at=at(f"2026-01-05 {reply}"))
        for i, team, reply, csat in ROWS
    ]).tickets  # fmt: skip


# The desk story (``charter sla evaluate``, the ticket page, the API): the ``desk``
# calendar opens Mon-Fri 09:00-17:30 Europe/London; January is GMT, so London wall time
# = UTC. 2026-01-05 is a Monday. The rule ``main`` covers e-mail: first response within
# 2 h, resolution within 8 h, both on ``desk``; resolution pauses in pending and on
# hold (the default). Judged at Tue 16:30.
DESK_AT = "2026-01-06T16:30:00Z"
H = 3600.0  # seconds
DESK_POLICY = """
organisation: {name: A, mission: M}
calendars: [{id: desk, timezone: Europe/London,
  weekly: {mon: [09:00-17:30], tue: [09:00-17:30], wed: [09:00-17:30], thu: [09:00-17:30],
           fri: [09:00-17:30]}}]
service_levels:
  rules:
    - id: main
      when: {channel: [email]}
      targets:
        first_response: {within: 2h, clock: desk}
        resolution: {within: 8h, clock: desk}
"""
DESK_TICKETS = """id,created_at,channel,priority,status
A,2026-01-05T15:30:00Z,email,normal,solved
C,2026-01-06T15:00:00Z,email,normal,open
D,2026-01-06T09:00:00Z,email,normal,pending
E,2026-01-06T09:00:00Z,phone,normal,open
"""
DESK_EVENTS = """ticket_id,at,kind,status
A,2026-01-05T18:00:00Z,agent_reply,
A,2026-01-06T10:00:00Z,status,pending
A,2026-01-06T11:00:00Z,status,open
A,2026-01-06T14:00:00Z,status,solved
D,2026-01-06T09:30:00Z,agent_reply,
D,2026-01-06T10:00:00Z,status,pending
"""

# ticket, metric, rule, clock, target, start, stop, due, elapsed, paused, status, runs
DESK_EXPECTED = [
    # A's reply at Mon 18:00: 2 h of desk time (15:30-17:30; closed after), equal to the
    # target, but after the Mon 17:30 due: breached.
    ("A", "first_response", "main", "desk", 2 * H, "2026-01-05T15:30:00Z",
     "2026-01-05T18:00:00Z", "2026-01-05T17:30:00Z", 2 * H, 0.0, "breached", 1),
    # A's resolution: Mon 15:30-17:30 (2 h) + Tue 09:00-14:00 (5 h) = 7 h, less the hour
    # pending (Tue 10:00-11:00) = 6 h. The pause began with 3 h used (< 8 h), so it moves
    # the due: 9 h from Mon 15:30 = 2 h Mon + 7 h Tue = Tue 16:00. Solved 14:00: met.
    ("A", "resolution", "main", "desk", 8 * H, "2026-01-05T15:30:00Z",
     "2026-01-06T14:00:00Z", "2026-01-06T16:00:00Z", 6 * H, H, "met", 1),
    # C, created Tue 15:00, no reply by 16:30: 1.5 h of 2 h is 75 %: at risk; due 17:00.
    ("C", "first_response", "main", "desk", 2 * H, "2026-01-06T15:00:00Z", None,
     "2026-01-06T17:00:00Z", 1.5 * H, 0.0, "at_risk", 1),
    # C's resolution: 1.5 h of 8 h: pending; due 2.5 h Tue (to 17:30) + 5.5 h Wed = 14:30.
    ("C", "resolution", "main", "desk", 8 * H, "2026-01-06T15:00:00Z", None,
     "2026-01-07T14:30:00Z", 1.5 * H, 0.0, "pending", 1),
    # D replied at 09:30: 30 min, due 11:00: met.
    ("D", "first_response", "main", "desk", 2 * H, "2026-01-06T09:00:00Z",
     "2026-01-06T09:30:00Z", "2026-01-06T11:00:00Z", 0.5 * H, 0.0, "met", 1),
    # D pending since 10:00 with 7 h of its 8 h left: paused now, so no due; 7.5 h of
    # desk time less 6.5 h paused = 1 h elapsed.
    ("D", "resolution", "main", "desk", 8 * H, "2026-01-06T09:00:00Z", None, None,
     1 * H, 6.5 * H, "pending", 1),
    # E is a phone ticket: no rule governs it, so no promise and nothing to time.
    ("E", "first_response", None, None, None, None, None, None, None, None, "none", 0),
    ("E", "resolution", None, None, None, None, None, None, None, None, "none", 0),
]  # fmt: skip
DESK_COLUMNS = ("ticket_id", "metric", "rule_id", "clock", "target_seconds", "start_at",
                "stop_at", "due_at", "elapsed_seconds", "paused_seconds", "status",
                "runs")  # fmt: skip
