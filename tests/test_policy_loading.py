"""Loading a policy from YAML: values, and every error located and explained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from charter.errors import PolicyError, UsageError
from charter.policy import load_policy, load_policy_bytes, load_policy_text
from support import EXAMPLE_TEXT, column_of, line_of

MINIMAL = "organisation: {name: Acme, mission: Delight customers}\n"


def errors_of(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.yaml")
    return [d.render() for d in caught.value.diagnostics]


def only_error(text: str) -> str:
    found = errors_of(text)
    assert len(found) == 1, found
    return found[0]


def test_example_policy_loads_with_every_section() -> None:
    policy = load_policy_text(EXAMPLE_TEXT).policy
    assert policy.organisation.name == "Larkfield Home"
    assert len(policy.vision.reasons) == 5 if policy.vision else False
    assert {c.id for c in policy.calendars} == {"uk-support", "us-support", "warehouse"}
    assert {p.channel for p in policy.contact_points} == {"phone", "email", "chat"}
    assert policy.service_levels.rules[-1].when.is_catch_all()
    assert policy.returns is not None and policy.returns.window_days == 30
    assert policy.complaints is not None and policy.complaints.stages[1].within.working_days == 10
    assert policy.review is not None and policy.review.cadence_months == 6
    assert policy.competitors is not None and len(policy.competitors.benchmarks) == 3


def test_sections_carry_stable_default_ids_for_citation() -> None:
    policy = load_policy_text(EXAMPLE_TEXT).policy
    assert policy.organisation.id == "organisation"
    assert policy.service_levels.id == "service_levels"
    assert policy.returns is not None and policy.returns.id == "returns"


def test_special_days_and_holiday_dates_load_as_local_dates() -> None:
    calendar = load_policy_text(EXAMPLE_TEXT).policy.calendars[0]
    assert calendar.special[dt.date(2026, 12, 24)] == [("09:00", "12:00")]
    assert dt.date(2026, 12, 29) in calendar.holidays.dates
    assert calendar.weekly["sat"] == [("09:00", "13:00"), ("14:00", "17:00")]


def test_unknown_field_names_its_line_column_and_suggests_the_closest() -> None:
    text = "organisation: {name: Acme, mission: M}\nvision:\n  statment: Be great\n"
    error = errors_of(text)
    expected = f"p.yaml:{line_of(text, 'statment')}:{column_of(text, 'statment')}"
    unknown = [e for e in error if "statment" in e]
    assert unknown and unknown[0].startswith(expected + ": error P203 vision.statment")
    assert "did you mean 'statement'" in unknown[0]


def test_wrong_type_names_the_value_and_how_to_fix_it() -> None:
    text = (
        MINIMAL + "returns:\n  window_days: thirty\n  refund: {method: store_credit, within: 5d}\n"
    )
    error = only_error(text)
    assert error.startswith(f"p.yaml:{line_of(text, 'thirty')}:16: error P201 returns.window_days")
    assert "'thirty'" in error and "whole number" in error


def test_missing_field_is_reported_at_its_parent_with_what_to_add() -> None:
    text = "organisation:\n  name: Acme\n"
    error = only_error(text)
    assert error.startswith("p.yaml:2:3: error P202 organisation.mission: 'mission' is required")
    assert "add 'mission:'" in error


def test_every_error_of_a_file_is_reported_in_one_run() -> None:
    text = (
        "organisation: {name: Acme, mission: M, colour: red}\n"
        "calendars:\n"
        "  - {id: a, timezone: Mars/Base}\n"
        "  - {id: b, timezone: UTC, weekly: {mon: ['9-5']}}\n"
        "service_levels:\n"
        "  rules:\n"
        "    - {id: r, targets: {first_response: {within: 4, clock: a}}}\n"
    )
    found = errors_of(text)
    assert len(found) == 4, found
    assert [f.split(":")[1] for f in found] == ["1", "3", "4", "7"]


def test_reference_errors_are_reported_alongside_schema_errors() -> None:
    text = (
        "organisation: {name: Acme}\n"
        "calendars: [{id: support, timezone: UTC}]\n"
        "contact_points: [{id: c, channel: email, address: a@b.c, calendar: suport}]\n"
    )
    found = errors_of(text)
    assert len(found) == 2, found
    assert "'mission' is required" in found[0]
    assert found[1].startswith("p.yaml:3:") and "did you mean 'support'" in found[1]


def test_references_into_a_broken_section_are_not_guessed() -> None:
    text = (
        "organisation: {name: Acme, mission: M}\n"
        "calendars: [{id: support, timezone: Nowhere/City}]\n"
        "contact_points: [{id: c, channel: email, address: a@b.c, calendar: support}]\n"
    )
    found = errors_of(text)
    assert len(found) == 1 and "timezone" in found[0], found


def test_duplicated_keys_are_all_reported_with_the_first_line() -> None:
    text = MINIMAL + "vision:\n  statement: A\n  statement: B\ngoals: []\ngoals: []\n"
    found = errors_of(text)
    assert len(found) == 2
    assert found[0].startswith("p.yaml:4:3: error P102") and "first on line 3" in found[0]
    assert found[1].startswith("p.yaml:6:1: error P102") and "first on line 5" in found[1]


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", "P103", "empty"),
        (b"   \n# only a comment\n", "P103", "empty"),
        (b"- a\n- b\n", "P103", "not a list"),
        (b"just words", "P103", "single value"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "P104", "not a UTF-8 text file"),
        (b"organisation: \xff\xfe", "P104", "not a UTF-8 text file"),
        (b"organisation: [\n", "P101", "YAML syntax"),
        (b"a: b: c\n", "P101", "YAML syntax"),
        (b"a: &x [*x]\n", "P", ""),
    ],
)
def test_unusable_content_is_one_clear_error(content: bytes, code: str, words: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_bytes(content, "p.yaml")
    first = caught.value.diagnostics[0]
    assert first.code.startswith(code) and words in first.message


def test_yaml_syntax_error_points_at_its_line() -> None:
    text = MINIMAL + "vision:\n  statement: 'unclosed\n"
    error = only_error(text)
    assert error.startswith("p.yaml:") and "P101" in error
    assert int(error.split(":")[1]) >= 3


@pytest.mark.parametrize(
    ("snippet", "path", "words"),
    [
        ("calendars: [{id: s, timezone: Europe/Londn}]", "calendars[0].timezone",
         "did you mean 'Europe/London'"),
        ("calendars: [{id: s, timezone: UTC, holidays: {country: XX}}]",
         "calendars[0].holidays.country", "not a country"),
        ("calendars: [{id: s, timezone: UTC, holidays: {country: GB, subdivision: ENGL}}]",
         "calendars[0].holidays", "did you mean 'ENG'"),
        ("calendars: [{id: s, timezone: UTC, weekly: {monday: ['09:00-17:00']}}]",
         "calendars[0].weekly.monday", "did you mean 'mon'"),
        ("calendars: [{id: s, timezone: UTC, weekly: {mon: ['25:00-26:00']}}]",
         "calendars[0].weekly.mon[0]", "not an interval"),
        ("calendars: [{id: s, timezone: UTC, weekly: {mon: ['09:00-09:00']}}]",
         "calendars[0].weekly.mon[0]", "empty"),
        ("calendars: [{id: Support Desk, timezone: UTC}]", "calendars[0].id",
         "not a valid id"),
        ("service_levels: {rules: [{id: r, when: {priority: [hi]},"
         " targets: {resolution: {within: 1h, clock: 24x7}}}]}",
         "service_levels.rules[0].when.priority[0]", "'hi' is not allowed"),
        ("service_levels: {rules: [{id: r, targets: {first_reply: {within: 1h, clock: 24x7}}}]}",
         "service_levels.rules[0].targets.first_reply", "did you mean 'first_response'"),
        ("service_levels: {rules: [{id: r, targets: {resolution: {within: 8, clock: 24x7}}}]}",
         "service_levels.rules[0].targets.resolution.within", "has no unit"),
        ("service_levels: {rules: [{id: r, targets: {resolution: "
         "{within: 8h, clock: 24x7, attainment: 85}}}]}",
         "service_levels.rules[0].targets.resolution.attainment", "did you mean 85%?"),
        ("escalation: [{id: e, metric: resolution, level: 1, at: soon, notify: [a@b.c]}]",
         "escalation[0].at", "not an escalation threshold"),
        ("kpis: {targets: [{id: k, metric: csat, target: 2h, direction: at_least}]}",
         "kpis.targets[0].target", "csat needs a percentage"),
        ("review: {cadence_months: 4, next_review: 2027-01-01, owner: x}",
         "review.cadence_months", "4 is not allowed"),
        ("delivery: [{id: d, region: UK, method: std, handling_days: {min: 3, max: 1},"
         " transit_days: {min: 1, max: 2}}]", "delivery[0].handling_days", "swap them"),
    ],
)  # fmt: skip
def test_invalid_values_are_explained_at_their_field(snippet: str, path: str, words: str) -> None:
    error = only_error(MINIMAL + snippet + "\n")
    assert f" {path}: " in error, error
    assert words in error, error
    assert error.startswith("p.yaml:2:"), error


@pytest.mark.parametrize(
    ("snippet", "path", "words"),
    [
        ("contact_points: [{id: c, channel: email, address: a@b.c, calendar: suport}]\n"
         "calendars: [{id: support, timezone: UTC}]", "contact_points[0].calendar",
         "did you mean 'support'"),
        ("calendars: [{id: 24x7, timezone: UTC}]", "calendars[0].id", "built-in"),
        ("goals: [{id: g, text: T, kpi: kpi-missing}]", "goals[0].kpi", "no KPI target"),
        ("review: {cadence_months: 3, next_review: 2027-01-01, owner: boss}", "review.owner",
         "no staff role"),
        ("principles: [{id: same, title: A, text: a}, {id: same, title: B, text: b}]",
         "principles[1].id", "already used"),
    ],
)  # fmt: skip
def test_references_to_undefined_things_are_errors(snippet: str, path: str, words: str) -> None:
    error = only_error(MINIMAL + snippet + "\n")
    assert f" {path}: " in error and words in error, error


def test_the_24x7_clock_needs_no_calendar() -> None:
    text = (
        MINIMAL
        + "service_levels: {rules: [{id: r, targets: {resolution: {within: 2d, clock: 24x7}}}]}\n"
    )
    rule = load_policy_text(text).policy.service_levels.rules[0]
    assert rule.targets["resolution"].within.seconds == 2 * 86400


def test_yaml_1_2_keeps_norway_a_country_and_unquoted_intervals_in_flow_lists() -> None:
    text = (
        MINIMAL + "calendars: [{id: oslo, timezone: Europe/Oslo, holidays: {country: NO},\n"
        "  weekly: {mon: [09:00-11:30, 12:00-16:00]}}]\n"
    )
    calendar = load_policy_text(text).policy.calendars[0]
    assert calendar.holidays.country == "NO"
    assert calendar.weekly["mon"] == [("09:00", "11:30"), ("12:00", "16:00")]


def test_anchors_and_aliases_share_hours_between_days() -> None:
    text = (
        MINIMAL + "calendars:\n  - id: desk\n    timezone: UTC\n    weekly:\n"
        "      mon: &day [08:00-16:00]\n      tue: *day\n"
    )
    weekly = load_policy_text(text).policy.calendars[0].weekly
    assert weekly["mon"] == weekly["tue"] == [("08:00", "16:00")]


def test_aliases_that_expand_into_millions_of_values_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 7)]
    error = only_error("\n".join(lines) + "\n")
    assert "P101" in error and "expands to more than" in error


def test_missing_file_and_folder_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_policy(tmp_path / "nope.yaml")
    with pytest.raises(UsageError, match="is a folder"):
        load_policy(tmp_path)


def test_load_policy_reads_a_file_and_names_it_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("organisation: {name: A}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert caught.value.diagnostics[0].file == str(path)
    assert str(path) + ":1:15" in str(caught.value)


def _json_values() -> st.SearchStrategy[object]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    keys = st.sampled_from(
        ["organisation", "name", "mission", "calendars", "id", "timezone", "weekly", "mon",
         "service_levels", "rules", "targets", "within", "clock", "x"]
    )  # fmt: skip
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    )


@settings(max_examples=150, deadline=None)
@given(_json_values())
def test_any_yaml_structure_loads_or_fails_with_diagnostics_only(value: object) -> None:
    import io

    buffer = io.StringIO()
    YAML().dump(value, buffer)
    try:
        load_policy_text(buffer.getvalue())
    except PolicyError as error:
        assert error.diagnostics and all(d.message for d in error.diagnostics)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_load_or_fail_with_diagnostics_only(content: bytes) -> None:
    try:
        load_policy_bytes(content)
    except PolicyError as error:
        assert error.diagnostics
