"""Pauses per target: a target may name its own paused statuses, overriding
``service_levels.pauses`` for its rule's metric; the linter and the diff read them.

Times are Europe/London wall clock; 2026-01-05 is a Monday (GMT). ``office`` opens
Mon-Fri 09:00-17:00.
"""

from __future__ import annotations

import datetime as dt

import pytest

from charter.policy import Policy, load_policy_text
from charter.policy.diff import diff
from charter.policy.lint import lint
from charter.sla.evaluate import evaluate
from support.sla import H, at, data, make_ticket, sla_policy

OUTAGE = (
    "    - {id: outage, when: {tags: [outage]}, "
    "targets: {resolution: {within: 4h, clock: office, paused: []}}}\n"
)
# Pending Mon 10:00-12:00, solved Mon 14:00: 5 h since 09:00, 2 h of them pending.
PENDING = [
    ("t1", "2026-01-05 10:00", "status", "pending"),
    ("t1", "2026-01-05 12:00", "status", "open"),
    ("t1", "2026-01-05 14:00", "status", "solved"),
]


@pytest.mark.parametrize(
    ("tags", "rule", "elapsed", "due", "status"),
    [
        # The outage rule never pauses: 5 h against 4 h, due 13:00, breached.
        (["outage"], "outage", 5 * H, "2026-01-05 13:00", "breached"),
        # The main rule pauses in pending (the default): 3 h, due 09:00 + 4 h + 2 h.
        ([], "main", 3 * H, "2026-01-05 15:00", "met"),
    ],
)
def test_an_outage_rule_whose_clock_never_pauses_counts_the_pending_time(
    tags: list[str], rule: str, elapsed: float, due: str, status: str
) -> None:
    policy = sla_policy("resolution: {within: 4h, clock: office}", rules_before=OUTAGE)
    d = data([make_ticket(status="solved", tags=tags)], PENDING)
    frame = evaluate(policy, d, now=at("2026-01-07 09:00"))
    row = frame.filter(frame["metric"] == "resolution").row(0, named=True)
    assert (row["rule_id"], row["elapsed_seconds"], row["status"]) == (rule, elapsed, status)
    assert row["due_at"] == at(due)


def test_a_target_pausing_on_hold_only_counts_pending_time() -> None:
    # paused: [on_hold] replaces the policy's [pending, on_hold]: the 2 h pending count.
    policy = sla_policy("resolution: {within: 4h, clock: office, paused: [on_hold]}")
    d = data([make_ticket(status="solved")], PENDING)
    row = evaluate(policy, d, now=at("2026-01-07 09:00")).row(0, named=True)
    assert (row["elapsed_seconds"], row["status"]) == (5 * H, "breached")


POLICY = """
organisation: {{name: Acme, mission: Delight}}
calendars: [{{id: support, timezone: Europe/London, weekly: {{mon: ["09:00-17:00"]}}}}]
service_levels:
  rules:
    - id: outage
      when: {{tags: [outage]}}
      targets: {{resolution: {{within: 4h, clock: support{paused}}}}}
"""


def _policy(paused: str) -> Policy:
    return load_policy_text(POLICY.format(paused=paused)).policy


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        ("", ", paused: []",
         "statuses that pause resolution for outage: the policy's pauses (pending, on hold) "
         "→ never paused (stronger for customers)"),
        (", paused: [pending]", ", paused: [pending, on_hold]",
         "statuses that pause resolution for outage: pending → pending, on hold "
         "(weaker for customers)"),
        (", paused: [pending, on_hold]", "",
         "statuses that pause resolution for outage: pending, on hold → the policy's pauses "
         "(pending, on hold)"),
    ],
)  # fmt: skip
def test_the_diff_says_which_statuses_pause_a_target_and_which_way_it_moves(
    before: str, after: str, text: str
) -> None:
    [change] = diff(_policy(before), _policy(after))
    assert change.path == "service_levels.rules[outage].targets.resolution.paused"
    assert (change.text, change.level) == (text, "major")


def test_a_rule_added_with_its_own_pauses_says_so() -> None:
    old = load_policy_text("organisation: {name: Acme, mission: Delight}").policy
    [change] = [c for c in diff(old, _policy(", paused: []")) if "rule" in c.text]
    assert "resolution 4 business hours, never paused" in change.text


@pytest.mark.parametrize(
    ("paused", "codes"), [(", paused: [open]", ["L026"]), (", paused: [pending]", [])]
)
def test_a_target_pausing_while_the_ticket_is_open_is_linted(paused: str, codes: list[str]) -> None:
    loaded = load_policy_text(POLICY.format(paused=paused), "p.yaml")
    found = [d for d in lint(loaded, today=dt.date(2026, 1, 1)) if d.code == "L026"]
    assert [d.code for d in found] == codes
    if found:
        assert found[0].line == 8 and "resolution of rule 'outage'" in found[0].message
