"""The policy's survey section: the scale, when it goes, how long its link lasts, the
reasons for a bad score; minor in a diff, in words in the handbook."""

from __future__ import annotations

import pytest

from charter.errors import PolicyError
from charter.policy import load_policy_text
from charter.policy.clauses import clauses
from charter.policy.diff import diff
from support import EXAMPLE_TEXT

MINIMAL = "organisation: {name: Acme, mission: Delight customers}\n"


def test_the_example_asks_csat_an_hour_after_the_solve_with_a_fortnights_link() -> None:
    surveys = load_policy_text(EXAMPLE_TEXT).policy.surveys
    assert surveys is not None
    assert (surveys.kind, surveys.after.seconds, surveys.valid_for.seconds) == (
        "csat", 3600, 14 * 86400
    )  # fmt: skip
    body = next(c.body for c in clauses(load_policy_text(EXAMPLE_TEXT).policy)
                if c.id == "surveys")  # fmt: skip
    assert body.splitlines()[:3] == [
        "Asks: how satisfied the customer is, 1 to 5 (CSAT)",
        "Sent after the solve: 1 hour",
        "Its link works for: 14 days",
    ]


@pytest.mark.parametrize(
    ("snippet", "words"),
    [
        ("surveys: {kind: stars}", "surveys.kind"),
        ("surveys: {kind: csat, after: 2wd}", "is not a length of real time"),
        ("surveys: {kind: csat, valid_for: 0h}", "surveys.valid_for"),
        ("surveys: {kind: csat, reasons: [Slow, slow]}", "a reason is listed twice"),
        ("surveys: {kind: csat, reasons: ['']}", "is not a reason of 1 to 80 characters"),
    ],
)
def test_a_survey_setting_that_cannot_work_is_refused_at_its_field(
    snippet: str, words: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(MINIMAL + snippet + "\n", "p.yaml")
    assert words in "\n".join(d.render() for d in caught.value.diagnostics)


def test_adding_or_changing_the_survey_is_minor_it_promises_customers_nothing() -> None:
    before = load_policy_text(MINIMAL).policy
    with_csat = load_policy_text(MINIMAL + "surveys: {kind: csat}\n").policy
    with_nps = load_policy_text(MINIMAL + "surveys: {kind: nps, after: 2h}\n").policy
    assert [c.level for c in diff(before, with_csat)] == ["minor"]
    assert {c.level for c in diff(with_csat, with_nps)} == {"minor"}
