"""Hand-built ticket sets that more than one test file works from: the backtest's five
tickets and the pilot's two teams."""

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
