"""Escalation planning and attainment promises, on hand-computed tickets."""

from __future__ import annotations

import polars as pl
import pytest

from charter.policy import load_policy_text
from charter.sla.attainment import attainment
from charter.sla.escalation import escalation_plan
from charter.sla.evaluate import evaluate
from support.sla import WEEKDAYS, at, data, make_ticket

POLICY = f"""
organisation: {{name: A, mission: M}}
calendars: [{{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}}}}]
staff: {{roles: [{{id: lead, name: Team lead}}]}}
service_levels:
  pauses: {{first_response: [pending]}}
  rules:
    - {{id: main, targets: {{first_response: {{within: 4h, clock: office, attainment: 85%}}}}}}
escalation:
  - {{id: warn, metric: first_response, level: 1, at: 75%, notify: [lead]}}
  - {{id: late, metric: first_response, level: 2, at: breach, notify: [lead]}}
  - {{id: later, metric: first_response, level: 3, at: breach + 2h, notify: [boss@x.example],
      action: {{raise_priority: true}}}}
"""


def plan_for(
    ticket: dict[str, object], now: str, events: list[tuple[str, str, str, str | None]] = ()
) -> dict[str, dict[str, object]]:  # type: ignore[assignment]
    policy = load_policy_text(POLICY).policy
    sla = evaluate(policy, data([ticket], events), now=at(now))
    plan = escalation_plan(policy, sla, at(now))
    return {row["level_id"]: row for row in plan.iter_rows(named=True)}


def test_each_level_is_due_at_its_share_of_the_target_in_business_time() -> None:
    plan = plan_for(make_ticket(), "2026-01-05 14:00")
    # 4 h target from Mon 09:00: 75 % after 3 h (12:00), breach at 13:00, +2 h at 15:00.
    assert plan["warn"]["due_at"] == at("2026-01-05 12:00")
    assert plan["late"]["due_at"] == at("2026-01-05 13:00")
    assert plan["later"]["due_at"] == at("2026-01-05 15:00")
    assert [plan[k]["due_now"] for k in ("warn", "late", "later")] == [True, True, False]
    assert plan["later"]["notify"] == ["boss@x.example"]
    assert plan["later"]["action"] == "raise priority"


def test_levels_after_the_metric_stopped_will_never_fire() -> None:
    plan = plan_for(make_ticket(first_response_at=at("2026-01-05 12:30")), "2026-01-05 16:00")
    assert (plan["warn"]["stopped_before"], plan["warn"]["due_now"]) == (False, True)
    assert (plan["late"]["stopped_before"], plan["late"]["due_now"]) == (True, False)


def test_a_breach_offset_crosses_the_night_in_business_time() -> None:
    # Created Mon 14:00: due Tue 10:00 (3 h Mon + 1 h Tue); +2 h -> Tue 12:00.
    plan = plan_for(make_ticket(created_at=at("2026-01-05 14:00")), "2026-01-05 15:00")
    assert plan["later"]["due_at"] == at("2026-01-06 12:00")
    assert not any(row["due_now"] for row in plan.values())


def test_a_pause_after_the_due_does_not_move_the_breach_levels() -> None:
    # Due Mon 13:00; pending from 14:00 (after the due) until now, 16:00. The breach
    # level stays at 13:00 and breach + 2 h at 15:00: both due now.
    plan = plan_for(make_ticket(status="pending"), "2026-01-05 16:00",
                    [("t1", "2026-01-05 14:00", "status", "pending")])  # fmt: skip
    assert plan["late"]["due_at"] == at("2026-01-05 13:00")
    assert plan["later"]["due_at"] == at("2026-01-05 15:00")
    assert plan["late"]["due_now"] and plan["later"]["due_now"]


def test_breach_levels_wait_while_the_clock_is_paused_with_target_left() -> None:
    # Pending since Mon 11:00 with 2 h of 4 h used: no due instant, so no breach level.
    plan = plan_for(make_ticket(status="pending"), "2026-01-05 16:00",
                    [("t1", "2026-01-05 11:00", "status", "pending")])  # fmt: skip
    assert (plan["late"]["due_at"], plan["late"]["due_now"]) == (None, False)
    assert plan["late"]["stopped_before"] is False


def _tickets() -> list[dict[str, object]]:
    def ticket(n: int, segment: str, reply: str | None) -> dict[str, object]:
        return make_ticket(
            id=f"t{n}", segment=segment, created_at=at(f"2026-01-{5 + n:02d} 09:00"),
            first_response_at=at(f"2026-01-{5 + n:02d} {reply}") if reply else None,
        )  # fmt: skip

    return [
        ticket(0, "consumer", "10:00"),
        ticket(1, "consumer", "11:00"),
        ticket(2, "consumer", "12:00"),
        ticket(3, "consumer", "16:00"),  # 7 h: breached
        ticket(4, "business", "09:30"),
        ticket(20, "business", None),  # still running at now: left out
    ]


@pytest.mark.parametrize(
    ("segment", "met", "breached", "kept"), [("consumer", 3, 1, False), ("business", 1, 0, True)]
)
def test_an_attainment_promise_is_judged_per_period_and_segment(
    segment: str, met: int, breached: int, kept: bool
) -> None:
    policy = load_policy_text(POLICY).policy
    d = data(_tickets())
    sla = evaluate(policy, d, now=at("2026-01-26 10:00"))
    table = attainment(sla, d.tickets, period="month", by=["segment"])
    row = table.filter(pl.col("segment") == segment).row(0, named=True)
    assert (row["met"], row["breached"], row["kept"]) == (met, breached, kept)
    assert row["promised"] == 0.85 and row["share"] == met / (met + breached)
