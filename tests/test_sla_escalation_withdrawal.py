"""Levels planned before that are no longer wanted are withdrawn, each with its reason.

Policy ``V1``: a first response within 4 business hours on ``office`` (Mon-Fri
09:00-17:00 London); levels ``warn`` at 75 %, ``late`` at the breach and ``later`` at
breach + 2h; ``late`` keeps quiet outside the office's hours. Times are London wall
times (GMT in January).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from charter.policy import load_policy_text
from charter.sla.escalation import escalation_plan, level_table, withdrawn
from charter.sla.evaluate import evaluate
from support.sla import WEEKDAYS, at, data, make_ticket

LEVELS = """
  - {id: warn, metric: first_response, level: 1, at: 75%, notify: [lead]}
  - {id: late, metric: first_response, level: 2, at: breach, notify: [lead],
     quiet_outside: office}
"""
LATER = "  - {id: later, metric: first_response, level: 3, at: breach + 2h, notify: [lead]}\n"


def policy(levels: str, targets: str = "first_response: {within: 4h, clock: office}") -> Any:
    text = f"""
organisation: {{name: A, mission: M}}
calendars: [{{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}}}}]
staff: {{roles: [{{id: lead, name: Team lead}}]}}
service_levels:
  rules:
    - {{id: main, targets: {{{targets}}}}}
escalation:
{levels}"""
    return load_policy_text(text).policy


V1 = policy(LEVELS + LATER)


def plan(version: Any, ticket: dict[str, Any], now: str) -> pl.DataFrame:
    sla = evaluate(version, data([ticket]), now=at(now))
    return escalation_plan(version, sla, at(now))


def reasons(before: pl.DataFrame, after: pl.DataFrame, version: Any) -> dict[str, str]:
    gone = withdrawn(before, after, level_table(version))
    return dict(zip(gone["level_id"].to_list(), gone["reason"].to_list(), strict=True))


def test_a_reply_before_the_seventy_five_percent_level_withdraws_the_whole_chain() -> None:
    # Created Mon 5 Jan 09:00: warn due 12:00, late 13:00, later 15:00. Planned at
    # 10:00, none is due yet. The agent replies at 11:00, before all three: each is
    # withdrawn because the clock stopped first.
    before = plan(V1, make_ticket(), "2026-01-05 10:00")
    replied = make_ticket(first_response_at=at("2026-01-05 11:00"))
    after = plan(V1, replied, "2026-01-05 11:30")
    assert reasons(before, after, V1) == {
        "warn": "clock stopped", "late": "clock stopped", "later": "clock stopped",
    }  # fmt: skip


def test_a_reply_after_a_level_was_due_withdraws_only_the_levels_still_ahead() -> None:
    # Planned at 12:30, warn (12:00) was already due and handed over for delivery; the
    # reply at 12:45 stops the clock before late (13:00) and later (15:00).
    before = plan(V1, make_ticket(), "2026-01-05 12:30")
    after = plan(V1, make_ticket(first_response_at=at("2026-01-05 12:45")), "2026-01-05 13:00")
    assert reasons(before, after, V1) == {"late": "clock stopped", "later": "clock stopped"}


def test_a_reply_while_a_quiet_level_waits_for_the_opening_withdraws_it() -> None:
    # Created Mon 5 Jan 13:00: 13:00-17:00 uses the 4 hours, so the breach (late) is
    # the 17:00 close, when the office is not open: late is delivered at Tue 09:00.
    # warn (3 h, 16:00) was already due when planned at 17:30; later is 17:00 + 2
    # business hours = Tue 11:00. The reply at Tue 08:00 comes after the breach but
    # before late's delivery, so late is withdrawn, and later too.
    before = plan(V1, make_ticket(created_at=at("2026-01-05 13:00")), "2026-01-05 17:30")
    row = before.filter(pl.col("level_id") == "late").row(0, named=True)
    assert (row["due_at"], row["deliver_at"]) == (at("2026-01-05 17:00"), at("2026-01-06 09:00"))
    replied = make_ticket(created_at=at("2026-01-05 13:00"),
                          first_response_at=at("2026-01-06 08:00"))  # fmt: skip
    after = plan(V1, replied, "2026-01-06 08:30")
    assert reasons(before, after, V1) == {"late": "clock stopped", "later": "clock stopped"}


def test_a_level_removed_in_the_new_version_is_withdrawn_with_that_reason() -> None:
    # Version 2 drops ``later``; warn and late stay planned as before.
    v2 = policy(LEVELS)
    before = plan(V1, make_ticket(), "2026-01-05 10:00")
    after = plan(v2, make_ticket(), "2026-01-05 10:30")
    assert reasons(before, after, v2) == {"later": "level removed"}


def test_a_rule_that_no_longer_targets_the_metric_withdraws_its_levels() -> None:
    # Version 2 keeps the levels but the ticket's rule now promises only a resolution.
    v2 = policy(LEVELS + LATER, targets="resolution: {within: 2wd, clock: office}")
    before = plan(V1, make_ticket(), "2026-01-05 10:00")
    after = plan(v2, make_ticket(), "2026-01-05 10:30")
    assert reasons(before, after, v2) == {
        "warn": "target removed", "late": "target removed", "later": "target removed",
    }  # fmt: skip


def test_nothing_changed_withdraws_nothing() -> None:
    before = plan(V1, make_ticket(), "2026-01-05 10:00")
    after = plan(V1, make_ticket(), "2026-01-05 11:00")
    gone = withdrawn(before, after, level_table(V1))
    assert gone.height == 0 and "reason" in gone.columns
