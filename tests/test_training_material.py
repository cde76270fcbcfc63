"""What a new version asks of each person: acknowledge, a notice, or nothing.

Every branch of the rule on a pair of small hand-made policies: Cleo answers chat,
Eli answers e-mail (both agents), Tess is a team lead on every channel, Max the
manager, and Pat has no staff role at all.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from charter.policy import Policy, load_policy_text
from charter.training.material import Decision, Person, decide, is_material, is_typo_fix

BASE: dict[str, Any] = {
    "organisation": {"name": "Acme", "mission": "Delight"},
    "vision": {"statement": "The shop people recommend first."},
    "calendars": [
        {"id": "desk", "timezone": "Europe/London", "weekly": {"mon": ["09:00-17:00"]}},
        {"id": "chat-desk", "timezone": "Europe/London", "weekly": {"mon": ["08:00-20:00"]}},
        {"id": "depot", "timezone": "Europe/London", "weekly": {"mon": ["07:00-22:00"]}},
    ],
    "contact_points": [
        {"id": "cp-email", "channel": "email", "address": "help@acme.example",
         "calendar": "desk"},
        {"id": "cp-chat", "channel": "chat", "address": "https://acme.example/chat",
         "calendar": "chat-desk"},
    ],
    "service_levels": {"rules": [
        {"id": "sl-chat", "when": {"channel": ["chat"]},
         "targets": {"first_response": {"within": "5m", "clock": "chat-desk"}}},
        {"id": "sl-email", "when": {"channel": ["email"]},
         "targets": {"first_response": {"within": "4h", "clock": "desk"}}},
        {"id": "sl-default",
         "targets": {"first_response": {"within": "8h", "clock": "desk"}}},
    ]},
    "escalation": [
        {"id": "esc-warn", "metric": "first_response", "level": 1, "at": "75%",
         "notify": ["team-lead"]},
    ],
    "delivery": [
        {"id": "del-std", "region": "UK", "method": "standard", "calendar": "depot",
         "handling_days": {"min": 0, "max": 1}, "transit_days": {"min": 2, "max": 3}},
    ],
    "returns": {"window_days": 30,
                "refund": {"method": "original_payment", "within": "5wd", "clock": "depot"}},
    "complaints": {"how_to_complain": "Say it is a complaint.", "stages": [
        {"id": "stage-front", "name": "Front line", "owner_role": "agent", "within": "2wd",
         "clock": "desk"},
        {"id": "stage-review", "name": "Review", "owner_role": "manager", "within": "10wd",
         "clock": "desk"},
    ]},
    "staff": {
        "roles": [
            {"id": "agent", "name": "Agent", "responsibilities": ["Answer on time."]},
            {"id": "team-lead", "name": "Team lead", "responsibilities": ["Watch the queue."]},
            {"id": "manager", "name": "Manager", "responsibilities": ["Own the policy."]},
        ],
        "courtesy": [
            {"id": "courtesy-name", "text": "Greet the customer by name."},
            {"id": "courtesy-next", "text": "End every reply with what hapens next."},
        ],
    },
    "kpis": {"targets": [
        {"id": "kpi-csat", "metric": "csat", "target": "90%", "direction": "at_least"},
    ]},
    "training": {"calendar": "desk"},
}  # fmt: skip

CLEO = Person("agent", frozenset({"chat"}))
ELI = Person("agent", frozenset({"email"}))
TESS = Person("team-lead", frozenset())
MAX = Person("manager", frozenset({"email"}))
PAT = Person(None, frozenset({"email"}))
PEOPLE = {"Cleo": CLEO, "Eli": ELI, "Tess": TESS, "Max": MAX, "Pat": PAT}


def policy(data: dict[str, Any]) -> Policy:
    return load_policy_text(json.dumps(data)).policy  # JSON is YAML


def edited(edit: Callable[[dict[str, Any]], object]) -> Policy:
    data = copy.deepcopy(BASE)
    edit(data)
    return policy(data)


OLD = policy(BASE)


def by_id(items: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    return next(i for i in items if i["id"] == item_id)


def rule(d: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return by_id(d["service_levels"]["rules"], rule_id)


def stage(d: dict[str, Any], stage_id: str) -> dict[str, Any]:
    return by_id(d["complaints"]["stages"], stage_id)


def role(d: dict[str, Any], role_id: str) -> dict[str, Any]:
    return by_id(d["staff"]["roles"], role_id)


def courtesy(d: dict[str, Any], clause_id: str) -> dict[str, Any]:
    return by_id(d["staff"]["courtesy"], clause_id)


def outcomes(new: Policy) -> dict[str, str]:
    return {name: decide(OLD, new, person).outcome for name, person in PEOPLE.items()}


def asked(new: Policy) -> set[str]:
    """Who is asked to acknowledge again."""
    return {name for name, outcome in outcomes(new).items() if outcome == "acknowledge"}


# --- the four branches -------------------------------------------------------------


def test_without_a_previous_version_everyone_acknowledges() -> None:
    for person in PEOPLE.values():
        assert decide(None, OLD, person) == Decision("acknowledge", (), ())


def test_a_review_that_changes_nothing_keeps_everything_and_sends_nothing() -> None:
    # Reloaded from the same data, with the keys in another order: the same policy.
    same = policy(dict(reversed(list(copy.deepcopy(BASE).items()))))
    for person in PEOPLE.values():
        assert decide(OLD, same, person) == Decision("keep", (), ())


def test_a_shorter_chat_promise_asks_the_chat_agent_again_showing_exactly_that_change() -> None:
    new = edited(lambda d: rule(d, "sl-chat")["targets"]["first_response"].update(within="3m"))
    decision = decide(OLD, new, CLEO)
    assert decision.outcome == "acknowledge"
    path = "service_levels.rules[sl-chat].targets.first_response.within"
    assert [c.path for c in decision.concerning] == [path]
    assert [c.path for c in decision.changes] == [path]


def test_a_chat_promise_is_only_a_notice_for_the_email_agent() -> None:
    new = edited(lambda d: rule(d, "sl-chat")["targets"]["first_response"].update(within="3m"))
    decision = decide(OLD, new, ELI)
    assert decision.outcome == "notice"
    assert decision.concerning == ()
    assert [c.path for c in decision.changes] == [
        "service_levels.rules[sl-chat].targets.first_response.within"
    ]
    # Tess answers every channel; Pat answers e-mail; Max e-mail too.
    assert asked(new) == {"Cleo", "Tess"}


def test_only_minor_changes_in_someones_own_section_send_a_notice() -> None:
    # A contact point's name is wording: minor in the diff, not staff-facing.
    new = edited(lambda d: by_id(d["contact_points"], "cp-chat").update(name="Live chat"))
    assert outcomes(new)["Cleo"] == "notice"
    assert asked(new) == set()


def test_the_acknowledgment_lists_the_material_changes_and_the_notice_every_change() -> None:
    def edit(d: dict[str, Any]) -> None:
        rule(d, "sl-chat")["targets"]["first_response"]["within"] = "3m"  # major, chat
        rule(d, "sl-email")["targets"]["first_response"]["within"] = "2h"  # major, e-mail
        d["vision"]["statement"] = "The shop people trust."  # minor, nobody's

    decision = decide(OLD, edited(edit), CLEO)
    assert decision.outcome == "acknowledge"
    assert [c.path for c in decision.concerning] == [
        "service_levels.rules[sl-chat].targets.first_response.within"
    ]
    assert len(decision.changes) == 3


# --- what concerns whom ------------------------------------------------------------

SL = "service_levels"


@pytest.mark.parametrize(
    ("edit", "who"),
    [
        pytest.param(lambda d: rule(d, "sl-default")["targets"]["first_response"].update(
            within="6h"), {"Cleo", "Eli", "Tess", "Max", "Pat"},
            id="a rule without a channel condition concerns every channel"),
        pytest.param(lambda d: d[SL]["rules"].append(d[SL]["rules"].pop(0)), {"Cleo", "Tess"},
            id="the chat rule moved after the catch-all concerns chat"),
        pytest.param(lambda d: d[SL]["rules"].insert(0, {
            "id": "sl-chat-vip", "when": {"channel": ["chat"], "segment": ["vip"]},
            "targets": {"first_response": {"within": "1m", "clock": "chat-desk"}}}),
            {"Cleo", "Tess"}, id="a chat rule added concerns chat"),
        pytest.param(lambda d: d[SL]["rules"].pop(1), {"Eli", "Tess", "Max", "Pat"},
            id="the email rule removed concerns email"),
        pytest.param(lambda d: rule(d, "sl-chat")["when"].update(channel=["chat", "email"]),
            {"Cleo", "Eli", "Tess", "Max", "Pat"},
            id="a chat rule that starts covering email concerns both"),
        pytest.param(lambda d: d[SL].update(pauses={"resolution": ["pending"]}),
            {"Cleo", "Eli", "Tess", "Max", "Pat"}, id="the pauses concern everyone"),
        pytest.param(lambda d: by_id(d["contact_points"], "cp-chat").update(
            address="https://acme.example/help/chat"), {"Cleo", "Tess"},
            id="the chat contact point concerns chat"),
        pytest.param(lambda d: by_id(d["calendars"], "chat-desk")["weekly"].update(
            mon=["08:00-18:00"]), {"Cleo", "Tess"},
            id="the calendar the chat desk runs on concerns chat"),
        pytest.param(lambda d: by_id(d["calendars"], "depot")["weekly"].update(
            mon=["07:00-20:00"]), {"Cleo", "Eli", "Tess", "Max", "Pat"},
            id="the calendar refunds and delivery run on concerns everyone"),
        pytest.param(lambda d: d["returns"].update(window_days=14),
            {"Cleo", "Eli", "Tess", "Max", "Pat"}, id="refunds concern everyone"),
        pytest.param(lambda d: d["delivery"][0]["transit_days"].update(max=5),
            {"Cleo", "Eli", "Tess", "Max", "Pat"}, id="delivery concerns everyone"),
        pytest.param(lambda d: stage(d, "stage-front").update(within="3wd"),
            {"Cleo", "Eli", "Tess", "Max", "Pat"}, id="the front-line stage concerns everyone"),
        pytest.param(lambda d: stage(d, "stage-review").update(within="15wd"), {"Max"},
            id="a later stage concerns the role that owns it"),
        pytest.param(lambda d: stage(d, "stage-review").update(owner_role="team-lead"),
            {"Max", "Tess"}, id="a stage changing owner concerns the old and the new owner"),
        pytest.param(lambda d: by_id(d["escalation"], "esc-warn").update(at="50%"), {"Tess"},
            id="an escalation level concerns the role it notifies"),
        pytest.param(lambda d: by_id(d["escalation"], "esc-warn").update(notify=["manager"]),
            {"Tess", "Max"},
            id="a level that stops or starts notifying a role concerns that role"),
        pytest.param(lambda d: courtesy(d, "courtesy-name").update(text="Greet the customer."),
            {"Cleo", "Eli", "Tess", "Max", "Pat"}, id="courtesy concerns everyone"),
        pytest.param(lambda d: d["staff"]["courtesy"].append(
            {"id": "courtesy-tone", "text": "Stay calm."}),
            {"Cleo", "Eli", "Tess", "Max", "Pat"}, id="a courtesy standard added"),
        pytest.param(lambda d: role(d, "agent").update(
            responsibilities=["Answer on time.", "Log every complaint."]), {"Cleo", "Eli"},
            id="a role's responsibilities concern that role"),
    ],
)  # fmt: skip
def test_a_material_change_asks_exactly_those_it_concerns(
    edit: Callable[[dict[str, Any]], object], who: set[str]
) -> None:
    new = edited(edit)
    assert asked(new) == who
    assert all(o == "notice" for name, o in outcomes(new).items() if name not in who)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda d: courtesy(d, "courtesy-next").update(
            text="End every reply with what happens next."), id="a typo fixed in courtesy"),
        pytest.param(lambda d: role(d, "agent").update(responsibilities=["Answr on time."]),
            id="a typo in a role's responsibilities"),
        pytest.param(lambda d: role(d, "agent").update(name="Customer care agent"),
            id="a role's name"),
        pytest.param(lambda d: by_id(d["escalation"], "esc-warn").update(quiet_outside="desk"),
            id="when an escalation is delivered"),
        pytest.param(lambda d: d["vision"].update(statement="The shop people trust."),
            id="the vision"),
        pytest.param(lambda d: d.pop("vision"), id="the vision removed, though major"),
        pytest.param(lambda d: d["kpis"]["targets"][0].update(target="95%"), id="a KPI target"),
        pytest.param(lambda d: d["training"].update(pass_mark="90%"), id="the pass mark"),
        pytest.param(lambda d: d["complaints"].update(how_to_complain="Call us."),
            id="how to complain"),
    ],
)  # fmt: skip
def test_typo_fixes_wording_and_internal_sections_send_everyone_a_notice(
    edit: Callable[[dict[str, Any]], object],
) -> None:
    assert set(outcomes(edited(edit)).values()) == {"notice"}


def test_someone_without_a_role_is_asked_about_promises_and_courtesy_but_not_escalations() -> None:
    escalation = edited(lambda d: by_id(d["escalation"], "esc-warn").update(notify=["agent"]))
    assert decide(OLD, escalation, PAT).outcome == "notice"
    refunds = edited(lambda d: d["returns"]["refund"].update(within="3wd"))
    assert decide(OLD, refunds, PAT).outcome == "acknowledge"


def test_the_diff_calls_notify_lists_minor_but_they_are_material_for_staff() -> None:
    new = edited(lambda d: by_id(d["escalation"], "esc-warn").update(notify=["manager"]))
    decision = decide(OLD, new, TESS)
    [change] = decision.concerning
    assert (change.path, change.level) == ("escalation[esc-warn].notify", "minor")
    assert is_material(change)


# --- the typo rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "typo"),
    [
        ("We recieve returns by post.", "We receive returns by post.", True),  # swap: 1
        ("Keep them seperate.", "Keep them separate.", True),  # substitution: 1
        ("We accomodate you.", "We accommodate you.", True),  # insertion: 1
        ("Greet the customer.", "greet the customer", True),  # case and punctuation only
        ("Reply within 2 days.", "Reply within 3 days.", False),  # a number
        ("Reply within two days.", "Reply within ten days.", False),  # a number word, 2 edits
        ("Call before 9 am.", "Call before 9 pm.", False),  # the time of day
        ("Free over £40.", "Free over $40.", False),  # the currency
        ("Reply in 2h.", "Reply in 2d.", False),  # a word holding a digit
        ("Always apologise.", "Never apologise.", False),  # a negation appears
        ("We do refund.", "We don't refund.", False),  # n't
        ("Refund all items.", "Refund any items.", False),  # a short word, 2 edits
        ("Greet the customer", "Greet the customer by name", False),  # words added
        ("Greet the the customer", "Greet the customer", False),  # a word removed
        ("Be polite.", "Be patient.", False),  # 4 edits
    ],
)
def test_a_typo_fix_changes_spelling_only(old: str, new: str, typo: bool) -> None:
    assert is_typo_fix(old, new) is typo
    assert is_typo_fix(new, old) is typo  # the rule is symmetric


def _with_safety_track(d: dict[str, Any]) -> None:
    # A safety track whose one stage the manager owns, written after the review stage.
    d["complaints"]["tracks"] = [{"id": "safety", "name": "Safety", "tags": ["safety"]}]
    d["complaints"]["stages"].append(
        {"id": "stage-safety", "name": "Safety desk", "owner_role": "manager",
         "within": "1wd", "clock": "desk", "track": "safety"})  # fmt: skip


def test_the_first_stage_of_a_track_concerns_everyone_as_the_front_line_does() -> None:
    # Safety complaints arrive at stage-safety, so it is front line for everyone though it
    # is third in the file (not stage 1) and owned by the manager; the review stage stays
    # the manager's alone. Adding the track concerns everyone too.
    base = edited(_with_safety_track)

    def change(edit: Callable[[dict[str, Any]], object]) -> set[str]:
        data = copy.deepcopy(BASE)
        _with_safety_track(data)
        edit(data)
        new = policy(data)
        return {n for n, p in PEOPLE.items() if decide(base, new, p).outcome == "acknowledge"}

    assert change(lambda d: stage(d, "stage-safety").update(within="2wd")) == set(PEOPLE)
    assert change(lambda d: stage(d, "stage-review").update(within="5wd")) == {"Max"}
    assert change(lambda d: d["complaints"]["tracks"][0].update(tags=["safety", "fire"])) == (
        set(PEOPLE)
    )
    assert {n for n, p in PEOPLE.items() if decide(OLD, base, p).outcome == "acknowledge"} == (
        set(PEOPLE)
    )
