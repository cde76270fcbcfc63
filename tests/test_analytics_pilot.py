"""Pilot against control on hand-built tickets: who is in the pilot, and the counts
each comparison is made from."""

from __future__ import annotations

import pytest

from charter.analytics.pilot import compare_pilot, pilot_marks
from charter.errors import UsageError
from charter.policy import load_policy_text
from charter.sla.evaluate import evaluate
from support.cases import pilot_tickets
from support.sla import WEEKDAYS, at, data

POLICY = load_policy_text(f"""
organisation: {{name: A, mission: M}}
calendars: [{{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}}}}]
service_levels:
  rules: [{{id: main, targets: {{first_response: {{within: 1h, clock: office}}}}}}]
""").policy


def result() -> object:
    frame = pilot_tickets()
    sla = evaluate(POLICY, data(frame.to_dicts()), now=at("2026-01-06 09:00"))
    return compare_pilot(sla, frame, pilot_marks(frame, column="team", values=["blue"]))


def test_the_pilot_is_marked_by_a_column_value() -> None:
    marks = pilot_marks(pilot_tickets(), column="team", values=["blue"])
    assert marks.to_list() == [True, True, True, False, False, False, False]


def test_compliance_is_compared_from_each_groups_counts() -> None:
    outcome = result()
    [compliance] = outcome.compliance  # type: ignore[attr-defined]
    counts = (compliance.pilot_met, compliance.pilot_total,
              compliance.control_met, compliance.control_total)  # fmt: skip
    assert counts == (2, 3, 1, 4)
    assert "too few" in compliance.verdict


def test_response_times_are_compared_by_their_medians() -> None:
    [first] = result().durations  # type: ignore[attr-defined]
    # Control: 50 min, 3 h, 4 h, 5 h: the median of four is halfway between 3 h and 4 h.
    assert (first.pilot_median, first.control_median) == (2700.0, 3.5 * 3600.0)


def test_csat_compares_the_share_of_satisfied_ratings() -> None:
    csat = result().csat  # type: ignore[attr-defined]
    assert (csat.pilot_met, csat.pilot_total, csat.control_met, csat.control_total) == (2, 3, 1, 3)


@pytest.mark.parametrize(
    ("column", "values", "words"),
    [("teem", ["blue"], "did you mean 'team'"), ("team", None, "not true/false")],
)
def test_a_bad_pilot_marker_is_a_usage_error(
    column: str, values: list[str] | None, words: str
) -> None:
    with pytest.raises(UsageError, match=words):
        pilot_marks(pilot_tickets(), column=column, values=values)


@pytest.mark.parametrize("values", [["green"], ["blue", "red"]])
def test_a_pilot_needs_both_groups(values: list[str]) -> None:
    frame = pilot_tickets()
    sla = evaluate(POLICY, data(frame.to_dicts()), now=at("2026-01-06 09:00"))
    with pytest.raises(UsageError, match="both groups"):
        compare_pilot(sla, frame, pilot_marks(frame, column="team", values=values))
