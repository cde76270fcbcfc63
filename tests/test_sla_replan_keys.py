"""Plans compared on one integer key (ticket, metric, level) where ticket ids are
integers: the same levels withdrawn and planned as the three-column comparison gives.

Policy ``V1``: a first response within 4 business hours on ``office`` (Mon-Fri
09:00-17:00 London); ``warn`` at 75 %, ``late`` at the breach, ``later`` at breach +
2h. Tickets are created Mon 5 Jan 2026 09:00 (GMT).
"""

from __future__ import annotations

import polars as pl

from charter.policy import load_policy_text
from charter.sla.escalation import level_table
from charter.sla.evaluate import evaluate
from charter.sla.replan import STORED_COLUMNS, fresh_plan, replan
from support.sla import WEEKDAYS, at, data, make_ticket

V1 = load_policy_text(f"""
organisation: {{name: A, mission: M}}
calendars: [{{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}}}}]
staff: {{roles: [{{id: lead, name: Team lead}}]}}
service_levels:
  rules:
    - {{id: main, targets: {{first_response: {{within: 4h, clock: office}}}}}}
escalation:
  - {{id: warn, metric: first_response, level: 1, at: 75%, notify: [lead]}}
  - {{id: late, metric: first_response, level: 2, at: breach, notify: [lead]}}
  - {{id: later, metric: first_response, level: 3, at: breach + 2h, notify: [lead]}}
""").policy

KEY = {"ticket_id": pl.Int64, "metric": pl.String, "level_id": pl.String}


def planned(tickets: list[dict[str, object]], now: str) -> pl.DataFrame:
    frames = data(tickets)
    states = evaluate(V1, frames, now=at(now))
    plan = fresh_plan(V1, states, at(now)).with_columns(pl.lit(1, pl.Int64).alias("version_id"))
    return plan.with_columns(pl.col("ticket_id").cast(pl.Int64))


def test_ticket_seven_replied_at_eleven_withdraws_its_chain_and_ticket_eleven_is_planned() -> None:
    # Stored at 10:00: tickets 7 and 8, three levels each (warn 12:00, late 13:00,
    # later 15:00). At 11:30 ticket 7 was answered at 11:00, before all three: each is
    # withdrawn, clock stopped. Ticket 8 is unchanged: its three levels stay live, none
    # new. Ticket 11 (created 09:00 too) is new: its three levels are planned. Ids 7
    # and 8 are neighbours, so a key that left no room for the levels (7 + 1 = 8 + 0)
    # would mix 7's levels with 8's.
    stored = planned([make_ticket(id="7"), make_ticket(id="8")], "2026-01-05 10:00")
    answered = make_ticket(id="7", first_response_at=at("2026-01-05 11:00"))
    fresh = planned([answered, make_ticket(id="8"), make_ticket(id="11")], "2026-01-05 11:30")
    result = replan(stored.select(STORED_COLUMNS), fresh, level_table(V1), pl.DataFrame(schema=KEY))
    gone = sorted(zip(result.withdrawn["ticket_id"], result.withdrawn["level_id"],
                      result.withdrawn["reason"], strict=True))  # fmt: skip
    assert gone == [(7, "late", "clock stopped"), (7, "later", "clock stopped"),
                    (7, "warn", "clock stopped")]  # fmt: skip
    assert sorted(result.planned["ticket_id"].to_list()) == [11, 11, 11]
    assert sorted(result.live["ticket_id"].to_list()) == [8, 8, 8, 11, 11, 11]


def test_ticket_eight_whose_level_fired_is_left_out_of_the_live_plan() -> None:
    # Ticket 8's warn level (12:00) fired: it is neither live nor withdrawn; its late
    # and later levels stay live. Ticket 7's levels are untouched by 8's firing.
    stored = planned([make_ticket(id="7"), make_ticket(id="8")], "2026-01-05 12:30")
    fired = pl.DataFrame({"ticket_id": [8], "metric": ["first_response"], "level_id": ["warn"]},
                         schema=KEY)  # fmt: skip
    result = replan(stored.select(STORED_COLUMNS), stored, level_table(V1), fired)
    live = sorted(zip(result.live["ticket_id"], result.live["level_id"], strict=True))
    assert live == [(7, "late"), (7, "later"), (7, "warn"), (8, "late"), (8, "later")]
    assert result.withdrawn.height == 0 and result.planned.height == 0
