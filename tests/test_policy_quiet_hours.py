"""An escalation level that keeps quiet outside a calendar's hours (``quiet_outside``):
the reference check, the linter, the diff and the handbook's words."""

from __future__ import annotations

import pytest

from charter.errors import PolicyError
from charter.policy import load_policy_text
from charter.policy.clauses import clauses
from charter.policy.diff import diff
from charter.policy.lint import lint

POLICY = """
organisation: {name: A, mission: M}
calendars:
  - {id: office, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]}}
  - {id: spare, timezone: Europe/London, weekly: {tue: ["09:00-17:00"]}}
  - {id: shut, timezone: Europe/London, weekly: {}}
staff: {roles: [{id: lead, name: Lead}]}
service_levels:
  rules:
    - {id: main, targets: {first_response: {within: 4h, clock: office}}}
escalation:
  - {id: warn, metric: first_response, level: 1, at: 75%, notify: [lead]QUIET}
"""


def policy_text(quiet: str | None) -> str:
    return POLICY.replace("QUIET", f", quiet_outside: {quiet}" if quiet else "")


def test_a_level_quiet_outside_an_unknown_calendar_is_refused_with_the_line_and_a_suggestion() -> (
    None
):
    with pytest.raises(PolicyError) as caught:
        load_policy_text(policy_text("ofice"), "p.yaml")
    message = str(caught.value)
    # The level is on line 12 of the text (line 1 is the empty line after the quotes,
    # escalation: line 11).
    assert "p.yaml:12:" in message and "P301" in message
    assert "escalation[0].quiet_outside" in message and "did you mean 'office'" in message


def test_a_level_quiet_outside_a_calendar_that_never_opens_is_never_delivered() -> None:
    found = [d for d in lint(load_policy_text(policy_text("shut"))) if d.code == "L022"]
    assert [d.severity for d in found] == ["error"]
    assert "escalation level 'warn'" in found[0].message
    assert "never delivered" in found[0].message


def test_a_calendar_used_only_as_a_levels_quiet_hours_is_not_unused() -> None:
    unused = {d.message for d in lint(load_policy_text(policy_text("spare"))) if d.code == "L021"}
    assert not any("'spare'" in m for m in unused)
    unused = {d.message for d in lint(load_policy_text(policy_text(None))) if d.code == "L021"}
    assert any("'spare'" in m for m in unused)


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (None, "office", "delivery hours of escalation level warn: as soon as due → only "
         "while calendar office is open"),
        ("office", None, "delivery hours of escalation level warn: only while calendar office "
         "is open → as soon as due"),
        ("office", "spare", "delivery hours of escalation level warn: only while calendar "
         "office is open → only while calendar spare is open"),
    ],
)  # fmt: skip
def test_the_diff_says_when_a_level_is_delivered_as_a_minor_change(
    before: str | None, after: str | None, text: str
) -> None:
    old = load_policy_text(policy_text(before)).policy
    new = load_policy_text(policy_text(after)).policy
    [change] = diff(old, new)
    assert (change.path, change.level, change.text) == (
        "escalation[warn].quiet_outside", "minor", text
    )  # fmt: skip


def test_the_handbook_says_a_quiet_level_waits_for_the_next_opening() -> None:
    policy = load_policy_text(policy_text("office")).policy
    [level] = [c for c in clauses(policy) if c.id == "escalation.warn"]
    facts = {fact.label: fact.value for fact in level.facts}
    assert facts["Delivered"] == (
        "only while calendar office is open; what falls due outside its hours is delivered "
        "at its next opening"
    )
    quiet_free = load_policy_text(policy_text(None)).policy
    [level] = [c for c in clauses(quiet_free) if c.id == "escalation.warn"]
    assert "Delivered" not in {fact.label for fact in level.facts}
