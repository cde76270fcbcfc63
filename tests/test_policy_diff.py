"""Comparing two versions of a policy: what changed, how much it matters, in words."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from charter.policy import Policy, load_policy_text
from charter.policy.diff import Change, diff, render_text, rule_label, summarize
from charter.policy.service_level import Rule
from support import EXAMPLE_TEXT, Edit, edited_text

OLD = load_policy_text(EXAMPLE_TEXT).policy


def edited(edit: Edit) -> Policy:
    """The example policy after ``edit`` changed its round-trip YAML data."""
    return load_policy_text(edited_text(edit)).policy


def changes(edit: Edit) -> list[Change]:
    return diff(OLD, edited(edit))


def only(edit: Edit) -> Change:
    found = changes(edit)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


def rule(data: Any, rule_id: str) -> Any:
    return next(r for r in data["service_levels"]["rules"] if r["id"] == rule_id)


def set_key(mapping: Any, key: str, value: Any) -> None:
    mapping[key] = value


def test_identical_policies_have_no_changes() -> None:
    assert diff(OLD, load_policy_text(EXAMPLE_TEXT).policy) == []
    assert render_text([]) == "no changes"


def test_first_response_change_names_the_rule_by_its_conditions() -> None:
    change = only(lambda d: set_key(
        rule(d, "sl-email-high")["targets"]["first_response"], "within", "2h"))  # fmt: skip
    assert change.path == "service_levels.rules[sl-email-high].targets.first_response.within"
    assert change.text == (
        "first response for email/high: 4 business hours → 2 business hours"
        " (stronger for customers)"
    )
    assert (change.kind, change.level, change.old, change.new) == ("changed", "major", "4h", "2h")
    assert change.direction == "stronger"


def test_returns_window_change_reads_in_days() -> None:
    change = only(lambda d: set_key(d["returns"], "window_days", 14))
    assert change.text == "returns window: 30 days → 14 days (weaker for customers)"
    assert (change.path, change.level, change.old, change.new) == (
        "returns.window_days", "major", 30, 14)  # fmt: skip


@pytest.mark.parametrize("section", ["competitors", "returns", "vision"])
def test_section_added_or_removed_is_major(section: str) -> None:
    removed = only(lambda d: d.pop(section))
    assert (removed.text, removed.kind, removed.level) == (
        f"section {section} removed", "removed", "major")  # fmt: skip
    added = diff(edited(lambda d: d.pop(section)), OLD)
    assert [c.text for c in added] == [f"section {section} added"]
    assert (added[0].level, added[0].new) == ("major", OLD.model_dump(mode="json")[section])


@pytest.mark.parametrize(
    ("edit", "path", "level", "direction"),
    [
        (lambda d: set_key(rule(d, "sl-phone")["targets"]["resolution"], "within", "20h"),
         "service_levels.rules[sl-phone].targets.resolution.within", "major", "weaker"),
        (lambda d: set_key(rule(d, "sl-phone")["targets"]["resolution"], "attainment", "95%"),
         "service_levels.rules[sl-phone].targets.resolution.attainment", "major", "stronger"),
        (lambda d: set_key(rule(d, "sl-phone")["targets"]["first_response"], "clock", "24x7"),
         "service_levels.rules[sl-phone].targets.first_response.clock", "major", None),
        (lambda d: set_key(rule(d, "sl-phone")["when"], "channel", ["phone", "sms"]),
         "service_levels.rules[sl-phone].when.channel", "major", None),
        (lambda d: set_key(d["service_levels"]["pauses"], "resolution", ["pending"]),
         "service_levels.pauses.resolution", "major", None),
        (lambda d: set_key(d["calendars"][0]["weekly"], "sun", ["10:00-16:00"]),
         "calendars[uk-support].weekly.sun", "major", "stronger"),
        (lambda d: set_key(d["calendars"][1]["weekly"], "fri", ["09:00-17:00"]),
         "calendars[us-support].weekly.fri", "major", "weaker"),
        (lambda d: d["calendars"][0]["holidays"]["dates"].append(dt.date(2026, 12, 28)),
         "calendars[uk-support].holidays.dates", "major", "weaker"),
        (lambda d: set_key(d["calendars"][0], "timezone", "Europe/Dublin"),
         "calendars[uk-support].timezone", "major", None),
        (lambda d: set_key(d["contact_points"][0], "address", "+44 20 7946 0000"),
         "contact_points[cp-phone-uk].address", "major", None),
        (lambda d: set_key(d["contact_points"][0], "calendar", "24x7"),
         "contact_points[cp-phone-uk].calendar", "major", None),
        (lambda d: set_key(d["delivery"][0], "transit_days", {"min": 1, "max": 2}),
         "delivery[delivery-uk-standard].transit_days", "major", "stronger"),
        (lambda d: set_key(d["returns"], "fees", "customer_pays"),
         "returns.fees", "major", "weaker"),
        (lambda d: d["returns"]["conditions"].pop(),
         "returns.conditions[return-proof]", "major", "stronger"),
        (lambda d: d["returns"]["exclusions"].append({"id": "exclusion-sale", "text": "Sale."}),
         "returns.exclusions[exclusion-sale]", "major", "weaker"),
        (lambda d: set_key(d["returns"]["refund"], "within", "3wd"),
         "returns.refund.within", "major", "stronger"),
        (lambda d: set_key(d["complaints"]["stages"][1], "within", "15wd"),
         "complaints.stages[complaint-review].within", "major", "weaker"),
        (lambda d: set_key(d["escalation"][0], "at", "50%"),
         "escalation[esc-first-response-warning].at", "major", None),
        (lambda d: set_key(d["organisation"], "name", "Larkfield"),
         "organisation.name", "minor", None),
        (lambda d: set_key(d["organisation"], "mission", "Homes for all."),
         "organisation.mission", "minor", None),
        (lambda d: set_key(d["vision"], "statement", "Be loved."),
         "vision.statement", "minor", None),
        (lambda d: set_key(d["principles"][0], "text", "Own every contact."),
         "principles[principle-own-it].text", "minor", None),
        (lambda d: set_key(rule(d, "sl-phone"), "name", "Phone"),
         "service_levels.rules[sl-phone].name", "minor", None),
        (lambda d: set_key(d["calendars"][0], "name", "UK care"),
         "calendars[uk-support].name", "minor", None),
        (lambda d: set_key(d["kpis"]["targets"][0], "name", "FRT"),
         "kpis.targets[kpi-first-response].name", "minor", None),
        (lambda d: set_key(d["competitors"]["benchmarks"][0], "value", "36h"),
         "competitors.benchmarks[bench-homestore-email].value", "minor", None),
        (lambda d: set_key(d["staff"]["courtesy"][0], "text", "Say hello."),
         "staff.courtesy[courtesy-name].text", "minor", None),
    ],
)  # fmt: skip
def test_changes_are_classified_major_for_promises_and_minor_for_wording(
    edit: Edit, path: str, level: str, direction: str | None
) -> None:
    change = only(edit)
    assert (change.path, change.level, change.direction) == (path, level, direction)
    says = f" ({direction} for customers)"
    assert change.text.endswith(says) if direction else "for customers" not in change.text


def test_target_removed_from_a_rule_is_weaker_and_names_what_it_was() -> None:
    change = only(lambda d: rule(d, "sl-email-high")["targets"].pop("next_response"))
    assert change.text == (
        "next response for email/high removed (was 8 business hours) (weaker for customers)"
    )
    assert (change.kind, change.level, change.old["within"]) == ("removed", "major", "8h")


def test_reordering_principles_is_not_a_change() -> None:
    assert changes(lambda d: d["principles"].reverse()) == []


@pytest.mark.parametrize("section", ["escalation", "delivery", "calendars", "contact_points"])
def test_reordering_items_whose_order_decides_nothing_is_not_a_change(section: str) -> None:
    assert changes(lambda d: d[section].reverse()) == []


def test_reordering_rules_is_a_major_move_because_first_match_wins() -> None:
    def swap(data: Any) -> None:
        rules = data["service_levels"]["rules"]
        rules.insert(3, rules.pop(2))  # sl-chat after sl-phone

    [change] = changes(swap)
    assert (change.kind, change.level, change.path) == (
        "moved", "major", "service_levels.rules[sl-chat]")  # fmt: skip
    assert (change.old, change.new) == (3, 4)
    assert change.text.startswith("rule sl-chat (chat) moved from position 3 to 4")


def test_reordering_complaint_stages_is_a_major_move() -> None:
    def reverse(d: Any) -> None:
        stages = d["complaints"]["stages"]
        stages.reverse()
        del stages[0]["different_handler"]  # the first stage has no previous handler

    found = changes(reverse)
    assert [(c.kind, c.level) for c in found] == [("changed", "major"), ("moved", "major")]
    assert found[0].text == ("different handler of complaint stage complaint-review: yes → no")


def test_which_tickets_open_a_complaint_is_an_internal_matter() -> None:
    [change] = changes(lambda d: d["complaints"]["opens_on"]["tags"].append("ombudsman"))
    assert change.level == "minor"


def test_adding_a_rule_above_others_adds_it_without_moving_them() -> None:
    new_rule = {"id": "sl-vip", "when": {"segment": ["vip"]},
                "targets": {"first_response": {"within": "30m", "clock": "24x7"}}}  # fmt: skip
    [change] = changes(lambda d: d["service_levels"]["rules"].insert(0, new_rule))
    assert (change.kind, change.level) == ("added", "major")
    assert change.text == "rule sl-vip added: first response 30 minutes"
    assert change.new["targets"] == {"first_response": {"within": "30m", "clock": "24x7",
                                                        "attainment": None}}  # fmt: skip


def test_items_are_matched_by_id_so_a_new_id_is_a_removal_and_an_addition() -> None:
    found = changes(lambda d: set_key(d["principles"][0], "id", "principle-ownership"))
    assert [(c.kind, c.path, c.level) for c in found] == [
        ("removed", "principles[principle-own-it]", "minor"),
        ("added", "principles[principle-ownership]", "minor"),
    ]
    assert found[0].text == "principle principle-own-it removed"


def test_lists_of_values_are_compared_as_sets() -> None:
    assert changes(lambda d: d["contact_points"][1]["languages"].reverse()) == []


@pytest.mark.parametrize(
    ("when", "label"),
    [
        ({}, "all tickets"),
        ({"priority": ["urgent"]}, "urgent"),
        ({"channel": ["chat"]}, "chat"),
        ({"channel": ["email"], "priority": ["high"]}, "email/high"),
        ({"channel": ["email", "chat"]}, "r"),
        ({"segment": ["us"]}, "r"),
        ({"channel": ["email"], "tags": ["vip"]}, "r"),
    ],
)
def test_rules_are_named_by_their_conditions_or_their_id(when: dict[str, Any], label: str) -> None:
    target = {"first_response": {"within": "1h", "clock": "24x7"}}
    assert rule_label(Rule.model_validate({"id": "r", "when": when, "targets": target})) == label


@pytest.mark.parametrize(
    ("edit", "text"),
    [
        (lambda d: set_key(rule(d, "sl-urgent")["when"], "channel", ["email"]),
         "channel condition of rule sl-urgent: any → email"),
        (lambda d: rule(d, "sl-email-high")["when"].pop("priority"),
         "priority condition of rule sl-email-high: high → any"),
        (lambda d: set_key(d["delivery"][0], "transit_days", {"min": 1, "max": 2}),
         "transit time of delivery promise delivery-uk-standard: 2–3 business days → "
         "1–2 business days (stronger for customers)"),
        (lambda d: set_key(d["calendars"][0]["weekly"], "sat", ["09:00-17:00"]),
         "hours of calendar uk-support on sat: 09:00-13:00, 14:00-17:00 → 09:00-17:00 "
         "(stronger for customers)"),
        (lambda d: set_key(d["complaints"]["stages"][0], "attainment", "90%"),
         "attainment of complaint stage complaint-front-line: 85% → 90% "
         "(stronger for customers)"),
        (lambda d: set_key(d["escalation"][3], "at", "breach + 2h"),
         "threshold of escalation level esc-resolution-late: breach + 4h → breach + 2h"),
    ],
)  # fmt: skip
def test_changes_read_as_plain_sentences(edit: Edit, text: str) -> None:
    assert only(edit).text == text


def test_clock_change_names_both_clocks() -> None:
    change = only(lambda d: set_key(
        rule(d, "sl-email-high")["targets"]["first_response"], "clock", "us-support"))  # fmt: skip
    assert change.text == "first response clock for email/high: uk-support → us-support"


def test_changes_come_by_section_in_document_order() -> None:
    def edit(data: Any) -> None:
        data.pop("competitors")
        data["returns"]["window_days"] = 60
        data["principles"][0]["title"] = "Own"
        data["calendars"][0]["timezone"] = "Europe/Dublin"
        data["organisation"]["name"] = "Larkfield"

    sections = [c.path.split(".")[0].split("[")[0] for c in changes(edit)]
    assert sections == ["organisation", "principles", "calendars", "returns", "competitors"]


def test_json_shape_is_plain_data() -> None:
    def edit(data: Any) -> None:
        data.pop("vision")
        data["calendars"][0]["special"].pop(dt.date(2026, 12, 24))
        data["escalation"][0]["at"] = "breach + 1h"

    found = changes(edit)
    data = [c.to_json() for c in found]
    assert json.loads(json.dumps(data)) == data
    assert set(data[0]) == {"path", "kind", "level", "old", "new", "text", "direction"}
    special = next(c for c in data if c["path"] == "calendars[uk-support].special.2026-12-24")
    assert (special["kind"], special["old"], special["new"]) == ("removed", ["09:00-12:00"], None)
    threshold = next(c for c in data if c["path"].endswith(".at"))
    assert (threshold["old"], threshold["new"]) == ("75%", "breach + 1h")


def test_summary_counts_and_text_rendering() -> None:
    def edit(data: Any) -> None:
        data["returns"]["window_days"] = 60
        data["organisation"]["name"] = "Larkfield"
        data["vision"]["statement"] = "Be loved."

    found = changes(edit)
    summary = summarize(found)
    assert (summary.major, summary.minor, summary.total) == (1, 2, 3)
    lines = render_text(found).splitlines()
    assert lines[0] == "1 major change, 2 minor changes"
    assert lines[-1] == (
        "major  returns window: 30 days → 60 days (stronger for customers)  [returns.window_days]"
    )


def test_diff_is_deterministic() -> None:
    def edit(data: Any) -> None:
        data["service_levels"]["rules"].reverse()
        data["principles"].pop()
        data["calendars"][0]["weekly"]["sun"] = ["10:00-14:00"]

    new = edited(edit)
    first = diff(OLD, new)
    assert first == diff(OLD, new) and len(first) > 3
