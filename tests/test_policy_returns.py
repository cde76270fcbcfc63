"""The returns section's schema: defaults an old policy keeps, load errors with their
position, lint findings and diffs in words."""

from __future__ import annotations

from typing import Any

import pytest

from charter.errors import PolicyError
from charter.policy import Diagnostic, load_policy_text
from charter.policy.diff import diff
from charter.policy.lint import lint
from support import EXAMPLE_TEXT, edited_text

OLD_STYLE = """\
organisation: {name: Acme, mission: Delight}
returns:
  window_days: 30
  window_starts: delivery
  fees: free
  refund: {method: original_payment, within: 5wd, clock: 24x7}
"""


def findings(text: str, code: str) -> list[Diagnostic]:
    return [d for d in lint(load_policy_text(text, "p.yaml")) if d.code == code]


def with_returns(**fields: Any) -> str:
    return edited_text(lambda data: data["returns"].update(fields))


def test_a_policy_written_before_the_new_settings_loads_with_their_defaults() -> None:
    returns = load_policy_text(OLD_STYLE).policy.returns
    assert returns is not None
    assert (returns.window_unit, returns.window_starts, returns.calendar) == (
        "days", "delivery", None)  # fmt: skip
    assert returns.check_order == ["exclusions", "window", "conditions"]
    assert (returns.fee_rounding, returns.refund.counts_from) == (
        "half_up", "earlier_of_received_or_evidence")  # fmt: skip
    assert returns.not_informed_extension is True
    assert (returns.reasons, returns.categories, returns.counting) == ([], [], None)


@pytest.mark.parametrize(
    ("yaml_lines", "line", "message"),
    [
        ("  window_unit: working_days\n", 3,
         "window_unit is working_days but no calendar says which days work"),
        ("  check_order: [window, window, conditions]\n", 3,
         "must name exclusions, window and conditions once each"),
        ("  window_starts: collection\n", 4, "use one of: delivery, last_delivery, purchase"),
        ("  countries: [uk]\n", 4, "countries"),
        ("  fee_rounding: up\n", 4, "use one of: half_up, down"),
    ],
)  # fmt: skip
def test_bad_returns_settings_fail_to_load_with_their_position(
    yaml_lines: str, line: int, message: str
) -> None:
    text = OLD_STYLE.replace("  window_starts: delivery\n", yaml_lines)
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.yaml")
    rendered = "\n".join(d.render() for d in caught.value.diagnostics)
    assert message in rendered, rendered
    assert rendered.startswith(f"p.yaml:{line}:"), rendered


def test_a_return_reason_listed_twice_fails_to_load() -> None:
    reasons = [{"id": "faulty", "text": "Faulty"}, {"id": "faulty", "text": "Broken"}]
    with pytest.raises(PolicyError) as caught:
        load_policy_text(with_returns(reasons=reasons), "p.yaml")
    assert any(d.code == "P302" and "'faulty'" in d.message for d in caught.value.diagnostics)


def test_a_returns_calendar_the_policy_does_not_define_fails_to_load() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(with_returns(calendar="depot"), "p.yaml")
    found = [d for d in caught.value.diagnostics if d.code == "P301"]
    assert found and found[0].path == ("returns", "calendar")


def test_lint_window_of_zero_days_that_no_reason_bypasses() -> None:
    # The example's reasons wrong_item and faulty bypass the window: no finding.
    assert findings(with_returns(window_days=0), "L027") == []
    text = with_returns(window_days=0, reasons=[{"id": "changed_mind", "text": "Changed"}])
    found = findings(text, "L027")
    assert [d.path for d in found] == [("returns", "window_days")]
    assert "nothing can be returned" in found[0].message


def test_lint_fee_rounding_without_a_restocking_fee() -> None:
    found = findings(with_returns(fee_rounding="down"), "L028")
    assert [(d.path, d.severity) for d in found] == [(("returns", "fee_rounding"), "warning")]
    assert findings(with_returns(fee_rounding="down", fees="restocking_fee",
                                 restocking_fee="10%"), "L028") == []  # fmt: skip


def test_lint_category_rule_under_an_exclusion_unless_a_reason_bypasses_exclusions() -> None:
    rules = [{"id": "bedding-rule", "category": "bedding", "window_days": 60}]
    # The example's faulty reason bypasses the exclusions: the rule can apply.
    assert findings(with_returns(categories=rules), "L029") == []
    text = with_returns(categories=rules, reasons=[{"id": "changed_mind", "text": "Changed"}])
    found = findings(text, "L029")
    assert [d.path for d in found] == [("returns", "categories", 0, "category")]
    assert "exclusion 'exclusion-hygiene'" in found[0].message


def test_lint_second_rule_for_a_category_is_shadowed() -> None:
    rules = [
        {"id": "sofas", "category": "furniture", "needs_approval": True},
        {"id": "sofas-again", "category": "Furniture", "window_days": 60},
    ]
    found = findings(with_returns(categories=rules), "L030")
    assert [d.path for d in found] == [("returns", "categories", 1, "category")]
    assert found[0].line > 0


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"window_unit": "working_days"},
         "returns window counts: days → working days"),
        ({"not_informed_extension": False},
         "12 months more when not told of the right to return: yes → no (weaker for customers)"),
        ({"fee_rounding": "down"},
         "restocking fee rounding: half up → down (stronger for customers)"),
        ({"check_order": ["window", "exclusions", "conditions"]},
         "order of the return checks: exclusions, window, conditions → window, exclusions, "
         "conditions"),
    ],
)  # fmt: skip
def test_diff_says_the_new_returns_settings_in_words(fields: dict[str, Any], text: str) -> None:
    old = load_policy_text(EXAMPLE_TEXT).policy
    new = load_policy_text(with_returns(**fields)).policy
    assert [c.text for c in diff(old, new)] == [text]


def test_diff_names_an_added_return_reason() -> None:
    old = load_policy_text(EXAMPLE_TEXT).policy
    reason = {"id": "too_small", "text": "It is too small."}
    new = load_policy_text(
        edited_text(lambda data: data["returns"]["reasons"].append(reason))
    ).policy
    assert [c.text for c in diff(old, new)] == ["return reason too_small added"]


def test_diff_window_in_working_days_reads_in_working_days() -> None:
    old = load_policy_text(with_returns(window_unit="working_days")).policy
    new = load_policy_text(with_returns(window_unit="working_days", window_days=20)).policy
    assert [c.text for c in diff(old, new)] == [
        "returns window: 30 working days → 20 working days (weaker for customers)"
    ]


@pytest.mark.parametrize(
    ("fields", "prompt"),
    [
        ({}, "How many days does a customer have to return an item, counted from last "
         "delivery?"),
        ({"window_unit": "working_days", "window_starts": "purchase"},
         "How many working days does a customer have to return an item, counted from "
         "purchase?"),
    ],
)  # fmt: skip
def test_the_staff_quiz_asks_the_window_in_its_unit_and_anchor_words(
    fields: dict[str, Any], prompt: str
) -> None:
    from charter.training._facts import returns as return_facts

    policy = load_policy_text(with_returns(**fields)).policy
    window = next(d for d in return_facts(policy) if d.key == "window_days")
    assert window.prompt == prompt
