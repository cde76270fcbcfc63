"""The policy as clauses: ids by place in the document, values in words, change marks."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from charter.policy import Policy, load_policy_text
from charter.policy.clauses import Clause, Mark, changed_in, clause_of, clauses
from support import EXAMPLE_TEXT, edited_text


@cache
def example() -> Policy:
    return load_policy_text(EXAMPLE_TEXT).policy


def by_id(policy: Policy) -> dict[str, Clause]:
    return {clause.id: clause for clause in clauses(policy)}


def edited(edit: Any) -> Policy:
    return load_policy_text(edited_text(edit)).policy


@pytest.mark.parametrize(
    "clause_id, heading",
    [
        ("organisation", "Organisation"),
        ("returns", "Returns and refunds"),
        ("complaints", "Complaints"),
        ("service_levels.rules.sl-email-high", "E-mail, high priority"),
        ("service_levels.rules.sl-default", "Everything else"),
        ("contact_points.cp-email", "Customer care e-mail"),
        ("calendars.uk-support", "UK customer care"),
        ("delivery.delivery-uk-express", "UK mainland, express"),
        ("escalation.esc-resolution-late", "Level 2 for resolution, at breach + 4h"),
        ("vision.reasons.reason-speed", "Reason 2"),
        ("returns.exclusions.exclusion-hygiene", "Exclusion 2"),
        ("returns.reasons.faulty", "Reason 3"),
        ("returns.categories.category-furniture", "Category rule 1"),
        ("complaints.stages.complaint-front-line", "Front line"),
        ("staff.courtesy.courtesy-no-blame", "Courtesy standard 3"),
        ("kpis.targets.kpi-nps", "Net Promoter Score"),
        ("competitors.benchmarks.bench-casa-chat", "Casa Direct: first response (chat)"),
    ],
)
def test_each_clause_is_named_by_its_place_in_the_policy(clause_id: str, heading: str) -> None:
    assert by_id(example())[clause_id].heading == heading


def test_the_example_has_every_section_and_every_item_once_in_document_order() -> None:
    found = clauses(example())
    # 17 sections (surveys after complaints, training the last but one); items:
    # 5 reasons, 3 goals, 3 principles, 3 calendars, 4 contact points, 6 rules,
    # 4 escalation levels, 3 deliveries, 3 return reasons, 1 return category rule,
    # 2 conditions, 2 exclusions, 2 complaint stages, 3 roles, 3 courtesy standards,
    # 6 KPI targets, 3 benchmarks.
    assert len(found) == 17 + 56
    assert len({c.id for c in found}) == len(found)
    assert [c.position for c in found] == list(range(len(found)))
    sections = [c.id for c in found if c.is_section]
    assert sections[:3] == ["organisation", "vision", "goals"]
    assert sections[-4:] == ["kpis", "review", "training", "competitors"]
    rules = [c.id for c in found if c.id.startswith("service_levels.rules.")]
    assert rules[0] == "service_levels.rules.sl-urgent"
    assert rules[-1] == "service_levels.rules.sl-default"
    for clause in found:
        assert clause.id == clause.section or clause.id.startswith(clause.section + ".")


@pytest.mark.parametrize(
    "clause_id, line",
    [
        ("service_levels.rules.sl-email-high", "Applies when: channel is email; priority is high"),
        ("service_levels.rules.sl-email-high",
         "First response: within 4 business hours on calendar uk-support"),
        ("service_levels.rules.sl-chat",
         "Resolution: within 1 day around the clock (24x7); 85% of tickets"),
        ("service_levels.rules.sl-default", "Applies when: every ticket"),
        ("returns", "Return window: 30 days"),
        ("returns", "Refund: original payment, within 5 working days on calendar warehouse"),
        ("returns", "Methods: by mail, in store"),
        ("calendars.uk-support", "sat: 09:00–13:00, 14:00–17:00"),
        ("calendars.uk-support", "Holidays: public holidays of GB (ENG); also 2026-12-29"),
        ("calendars.uk-support", "2026-12-24: 09:00–12:00"),
        ("complaints.stages.complaint-review",
         "Respond within: 10 working days on calendar uk-support, counted from receipt at this "
         "stage"),
        ("escalation.esc-first-response-breach", "Action: raise the priority one step"),
        ("delivery.delivery-uk-standard", "Transit time: 2–3 business days"),
        ("principles.principle-own-it",
         "Whoever picks up a contact sees it through or hands it over in person."),
        ("kpis.targets.kpi-nps", "Target: 40"),
    ],
)  # fmt: skip
def test_a_clause_body_states_the_policy_values_in_words(clause_id: str, line: str) -> None:
    assert line in by_id(example())[clause_id].body


def test_defaults_that_mean_nothing_for_a_share_are_not_shown() -> None:
    csat = by_id(example())["kpis.targets.kpi-csat"].body
    assert "Target: 90%" in csat
    assert "median" not in csat and "Clock" not in csat
    assert "Statistic: p90" in by_id(example())["kpis.targets.kpi-first-response-p90"].body


def test_a_small_policy_has_only_the_sections_it_writes_and_the_service_level_defaults() -> None:
    policy = load_policy_text("organisation: {name: Acme, mission: Delight}").policy
    found = clauses(policy)
    assert [c.id for c in found] == ["organisation", "service_levels"]
    assert "resolution: pending, on hold" in found[1].body


@pytest.mark.parametrize(
    "path, expected",
    [
        ("service_levels.rules[sl-a].targets.resolution.within", "service_levels.rules.sl-a"),
        ("service_levels.rules[sl-a]", "service_levels.rules.sl-a"),
        ("service_levels.rules[sl-gone]", "service_levels"),
        ("service_levels.pauses.resolution", "service_levels"),
        ("returns.window_days", "returns"),
        ("calendars[uk].weekly.mon", "calendars.uk"),
        ("service_levels.rules[sl.v2].name", "service_levels.rules.sl.v2"),
        ("staff", None),
    ],
)
def test_a_change_belongs_to_the_deepest_clause_it_is_inside(
    path: str, expected: str | None
) -> None:
    known = {"service_levels", "service_levels.rules.sl-a", "service_levels.rules.sl.v2",
             "returns", "calendars", "calendars.uk"}  # fmt: skip
    assert clause_of(path, known) == expected


def _faster_email(data: Any) -> None:
    data["service_levels"]["rules"][4]["targets"]["first_response"]["within"] = "2h"


def _new_principle_and_one_condition_less(data: Any) -> None:
    data["principles"].append({"id": "principle-listen", "title": "Listen", "text": "Hear out."})
    del data["returns"]["conditions"][1]


def test_each_clause_is_marked_with_the_latest_version_that_changed_it() -> None:
    v1 = example()
    v2 = edited(_faster_email)
    v3 = edited(lambda d: (_faster_email(d), _new_principle_and_one_condition_less(d)))
    marks = changed_in([(1, v1), (2, v2), (3, v3)])
    assert marks == {
        "service_levels.rules.sl-email-high": Mark(2, added=False),
        "principles.principle-listen": Mark(3, added=True),
        "returns": Mark(3, added=False),  # a condition went: the section changed
    }


def test_a_clause_changed_twice_carries_the_later_version() -> None:
    def slower(data: Any) -> None:
        data["service_levels"]["rules"][4]["targets"]["first_response"]["within"] = "6h"

    marks = changed_in([(1, example()), (4, edited(_faster_email)), (7, edited(slower))])
    assert marks == {"service_levels.rules.sl-email-high": Mark(7, added=False)}


def test_a_first_version_alone_has_no_marks() -> None:
    assert changed_in([(1, example())]) == {}
    assert changed_in([]) == {}


OUTAGE = """
organisation: {name: Acme, mission: Delight}
service_levels:
  pauses: {resolution: [pending, on_hold]}
  rules:
    - {id: outage, when: {tags: [outage]},
       targets: {resolution: {within: 4h, clock: 24x7, paused: []}}}
    - {id: vip, when: {segment: [vip]},
       targets: {resolution: {within: 8h, clock: 24x7, paused: [on_hold]}}}
    - {id: rest, targets: {resolution: {within: 2d, clock: 24x7}}}
"""


def test_outage_rule_whose_clock_never_pauses_says_so_in_its_clause() -> None:
    # The outage target names its own pauses, none: the handbook must not let staff
    # read the policy-wide "pending, on hold" into it. The vip target pauses only on
    # hold; the rest keeps the policy-wide pauses and says nothing more.
    found = by_id(load_policy_text(OUTAGE).policy)
    assert found["service_levels.rules.outage"].body.splitlines()[1] == (
        "Resolution: within 4 hours around the clock (24x7); its clock never pauses "
        "(this rule's own pauses)"
    )
    assert found["service_levels.rules.vip"].body.splitlines()[1] == (
        "Resolution: within 8 hours around the clock (24x7); its clock pauses in on hold "
        "(this rule's own pauses)"
    )
    assert found["service_levels.rules.rest"].body.splitlines()[1] == (
        "Resolution: within 2 days around the clock (24x7)"
    )


def test_policy_wide_pauses_name_the_targets_that_pause_their_own_way() -> None:
    found = by_id(load_policy_text(OUTAGE).policy)
    assert (
        "Clocks pause: resolution: pending, on hold; except where a target names its "
        "own: outage (resolution), vip (resolution)" in found["service_levels"].body
    )
    # Without such targets the sentence ends with the pauses.
    plain = by_id(load_policy_text(OUTAGE.replace(", paused: []", "").replace(
        ", paused: [on_hold]", "")).policy)  # fmt: skip
    assert plain["service_levels"].body.endswith("resolution: pending, on hold")
