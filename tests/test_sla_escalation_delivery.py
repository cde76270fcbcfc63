"""Escalation levels planned in the business time of the metric's clock, and delivered
at once or, for a level quiet outside a calendar's hours, at its next opening.

Policy: e-mail promises a first response within 4 business hours on ``office``
(Mon-Fri 09:00-17:00 London, England's bank holidays); chat within 4 hours around the
clock. Levels: ``warn`` at 75 % and ``late`` at the breach, both quiet outside
``office``; ``later`` at breach + 2h, delivered whenever due. Times are London wall
times unless they say UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from charter.policy import load_policy_text
from charter.sla.escalation import escalation_plan
from charter.sla.evaluate import evaluate
from support.sla import WEEKDAYS, at, data, make_ticket

POLICY = f"""
organisation: {{name: A, mission: M}}
calendars:
  - {{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}},
      holidays: {{country: GB, subdivision: ENG}}}}
staff: {{roles: [{{id: lead, name: Team lead}}]}}
service_levels:
  rules:
    - {{id: chat, when: {{channel: [chat]}},
       targets: {{first_response: {{within: 4h, clock: 24x7}}}}}}
    - {{id: main, targets: {{first_response: {{within: 4h, clock: office}}}}}}
escalation:
  - {{id: warn, metric: first_response, level: 1, at: 75%, notify: [lead], quiet_outside: office}}
  - {{id: late, metric: first_response, level: 2, at: breach, notify: [lead],
     quiet_outside: office}}
  - {{id: later, metric: first_response, level: 3, at: breach + 2h, notify: [lead]}}
"""


def plan_for(ticket: dict[str, Any], now: str) -> dict[str, dict[str, Any]]:
    policy = load_policy_text(POLICY).policy
    sla = evaluate(policy, data([ticket]), now=at(now))
    plan = escalation_plan(policy, sla, at(now))
    return {row["level_id"]: row for row in plan.iter_rows(named=True)}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_seventy_five_percent_of_a_friday_afternoon_ticket_lands_on_monday() -> None:
    # E-mail created Fri 9 Jan 2026 15:00, 4 business hours. 75 % = 3 h: Fri 15:00-17:00
    # is 2 h, the weekend is closed, Mon 12 Jan 09:00 + 1 h = 10:00. The breach: the
    # 4th hour ends Mon 11:00; + 2 h = 13:00. The office is open at 10:00 and 11:00,
    # so the quiet levels are delivered when due.
    plan = plan_for(make_ticket(created_at=at("2026-01-09 15:00")), "2026-01-09 16:00")
    assert plan["warn"]["due_at"] == plan["warn"]["deliver_at"] == at("2026-01-12 10:00")
    assert plan["late"]["due_at"] == plan["late"]["deliver_at"] == at("2026-01-12 11:00")
    assert plan["later"]["deliver_at"] == at("2026-01-12 13:00")
    assert plan["warn"]["rule_id"] == "main" and plan["warn"]["clock"] == "office"
    assert not any(row["due_now"] for row in plan.values())


def test_breach_plus_two_hours_skips_the_easter_bank_holidays() -> None:
    # E-mail created Thu 2 Apr 2026 14:00 (BST). Good Friday 3 Apr and Easter Monday
    # 6 Apr are bank holidays in England. Thu 14:00-17:00 is 3 h; the 4th hour is Tue
    # 7 Apr 09:00-10:00, so the breach is Tue 10:00 and breach + 2 h Tue 12:00.
    plan = plan_for(make_ticket(created_at=at("2026-04-02 14:00")), "2026-04-02 15:00")
    assert plan["late"]["due_at"] == at("2026-04-07 10:00")
    assert plan["later"]["due_at"] == plan["later"]["deliver_at"] == at("2026-04-07 12:00")
    # 75 % (3 h) runs out at the Thursday close, which is not open: delivered at the
    # next opening, Tuesday 09:00, after the holidays.
    assert plan["warn"]["due_at"] == at("2026-04-02 17:00")
    assert plan["warn"]["deliver_at"] == at("2026-04-07 09:00")


def test_a_quiet_level_due_at_two_on_sunday_morning_is_delivered_at_mondays_opening() -> None:
    # Chat created Sat 10 Jan 2026 22:00 (GMT), 4 hours around the clock: 75 % at Sun
    # 01:00, the breach at Sun 02:00, breach + 2 h at Sun 04:00. The office opens Mon
    # 12 Jan 09:00 GMT = 09:00 UTC: both quiet levels wait for it; ``later`` does not.
    plan = plan_for(make_ticket(channel="chat", created_at=at("2026-01-10 22:00")),
                    "2026-01-11 05:00")  # fmt: skip
    assert plan["late"]["due_at"] == at("2026-01-11 02:00")
    assert plan["warn"]["deliver_at"] == plan["late"]["deliver_at"] == utc("2026-01-12 09:00")
    assert plan["later"]["deliver_at"] == at("2026-01-11 04:00")
    # At 05:00 on Sunday only the level that is not quiet is to be delivered.
    assert [plan[k]["due_now"] for k in ("warn", "late", "later")] == [False, False, True]


def test_a_quiet_level_waits_for_the_opening_in_the_new_summer_time() -> None:
    # Clocks go forward at 01:00 UTC on Sun 29 Mar 2026. Chat created Sat 28 Mar 22:00
    # GMT (22:00 UTC); 4 real hours later the breach is Sun 02:00 UTC = 03:00 BST. The
    # office opens Mon 30 Mar 09:00 BST = 08:00 UTC (in winter it was 09:00 UTC).
    plan = plan_for(make_ticket(channel="chat", created_at=at("2026-03-28 22:00")),
                    "2026-03-28 23:00")  # fmt: skip
    assert plan["late"]["due_at"] == utc("2026-03-29 02:00")
    assert plan["late"]["deliver_at"] == utc("2026-03-30 08:00")


def test_a_level_without_quiet_hours_is_delivered_when_due_and_the_plan_says_so() -> None:
    policy = load_policy_text(POLICY).policy
    sla = evaluate(policy, data([make_ticket(channel="chat", created_at=at("2026-01-10 22:00"))]),
                   now=at("2026-01-11 05:00"))  # fmt: skip
    plan = escalation_plan(policy, sla, at("2026-01-11 05:00"))
    quiet = plan.filter(pl.col("quiet_outside").is_null())
    assert quiet["level_id"].to_list() == ["later"]
    assert (quiet["deliver_at"] == quiet["due_at"]).all()
