"""Complaint tracks: alternative paths through the stages, chosen from a ticket's labels.

A case follows the stages of the first track its ticket's tags or category match, in the
order written, else the stages with no track. Each mistake in the tracks is reported at
the line of the stage or track at fault (the section starts at line 6 below).
"""

from __future__ import annotations

import pytest

from charter.errors import PolicyError
from charter.policy import load_policy_text
from charter.policy.complaints import Complaints
from charter.policy.diff import diff, render_text
from charter.policy.presets import preset_text

HEAD = """\
organisation: {name: Acme, mission: Delight customers}
staff:
  roles:
    - {id: agent, name: Agent}
    - {id: manager, name: Manager}
complaints:
  how_to_complain: Tell us.
"""
# Line 8 onwards: what each test writes.


def _errors(body: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(HEAD + body, "p.yaml")
    return [d.render() for d in caught.value.diagnostics]


def _section(body: str) -> Complaints:
    found = load_policy_text(HEAD + body, "p.yaml").policy.complaints
    assert found is not None
    return found


TWO_TRACKS = """\
  tracks:
    - {id: pay, name: Payments, tags: [payment], categories: [Payments]}
    - {id: fraud, name: Fraud, tags: [fraud, payment]}
  stages:
    - {id: p1, name: Payments, owner_role: agent, within: 15wd, clock: 24x7, track: pay}
    - {id: g1, name: Front line, owner_role: agent, within: 10wd, clock: 24x7}
    - {id: f1, name: Fraud desk, owner_role: agent, within: 5wd, clock: 24x7, track: fraud}
    - {id: g2, name: Review, owner_role: manager, within: 20wd, clock: 24x7,
       different_handler: true}
"""


@pytest.mark.parametrize(
    ("tags", "category", "path"),
    [
        (["payment"], None, ["p1"]),
        # Tagged for both tracks: the first track written (pay) wins.
        (["fraud", "payment"], None, ["p1"]),
        (["fraud"], None, ["f1"]),
        ([], "Payments", ["p1"]),
        # Neither: the stages with no track, in the order written (g1 before g2, with
        # the fraud stage between them in the file skipped).
        (["complaint"], "Billing", ["g1", "g2"]),
        ([], None, ["g1", "g2"]),
    ],
)
def test_a_ticket_follows_the_first_track_its_tags_or_category_match(
    tags: list[str], category: str | None, path: list[str]
) -> None:
    section = _section(TWO_TRACKS)
    assert [s.id for s in section.path_for(tags, category)] == path


def test_a_case_path_is_the_path_of_its_first_stage() -> None:
    section = _section(TWO_TRACKS)
    assert [s.id for s in section.path_of("g2")] == ["g1", "g2"]
    assert [s.id for s in section.path_of("f1")] == ["f1"]


def test_a_stage_naming_an_unknown_track_is_refused_at_its_line() -> None:
    found = _errors(
        "  tracks: [{id: pay, name: Payments, tags: [payment]}]\n"
        "  stages:\n"
        "    - {id: p1, name: P, owner_role: agent, within: 15wd, clock: 24x7, track: pay}\n"
        "    - {id: g1, name: G, owner_role: agent, within: 8w, clock: 24x7, track: pya}\n"
    )
    assert found == [
        "p.yaml:11:76: error P201 complaints.stages[1].track: no track has the id 'pya'. "
        "Fix: use one of complaints.tracks (pay), or remove track:"
    ]


def test_a_track_with_no_stage_is_refused_at_its_line() -> None:
    found = _errors(
        "  tracks:\n"
        "    - {id: pay, name: Payments, tags: [payment]}\n"
        "  stages:\n"
        "    - {id: g1, name: G, owner_role: agent, within: 8w, clock: 24x7}\n"
    )
    assert len(found) == 1
    assert found[0].startswith("p.yaml:9:")
    assert "no stage is on track 'pay'. Fix: add track: pay to its stages" in found[0]


def test_stages_all_on_tracks_leave_other_complaints_no_path() -> None:
    found = _errors(
        "  tracks: [{id: pay, name: Payments, tags: [payment]}]\n"
        "  stages:\n"
        "    - {id: p1, name: P, owner_role: agent, within: 15wd, clock: 24x7, track: pay}\n"
    )
    assert len(found) == 1
    assert "every stage is on a track, so a complaint no track takes has no path" in found[0]


def test_a_track_id_used_twice_is_refused_at_the_second() -> None:
    found = _errors(
        "  tracks:\n"
        "    - {id: pay, name: Payments, tags: [payment]}\n"
        "    - {id: pay, name: Cards, tags: [card]}\n"
        "  stages:\n"
        "    - {id: p1, name: P, owner_role: agent, within: 15wd, clock: 24x7, track: pay}\n"
        "    - {id: g1, name: G, owner_role: agent, within: 8w, clock: 24x7}\n"
    )
    assert len(found) == 1
    assert found[0].startswith("p.yaml:10:")
    assert "track id 'pay' is used twice" in found[0]


def test_the_first_stage_of_a_track_cannot_demand_a_different_handler() -> None:
    # g1 is written after p1 but is the first stage of the path of other complaints, so
    # it has no previous handler either; p2 is second on the pay track and may.
    found = _errors(
        "  tracks: [{id: pay, name: Payments, tags: [payment]}]\n"
        "  stages:\n"
        "    - {id: p1, name: P, owner_role: agent, within: 15wd, clock: 24x7, track: pay}\n"
        "    - {id: g1, name: G, owner_role: agent, within: 8w, clock: 24x7,\n"
        "       different_handler: true}\n"
        "    - {id: p2, name: P2, owner_role: manager, within: 5wd, clock: 24x7, track: pay,\n"
        "       different_handler: true}\n"
    )
    assert len(found) == 1
    assert found[0].startswith("p.yaml:12:")
    assert "stage 'g1' is the first stage of its path" in found[0]


def test_the_fca_preset_puts_payment_services_on_their_own_track() -> None:
    policy = load_policy_text(preset_text("fca-disp")).policy
    section = policy.complaints
    assert section is not None
    assert [t.id for t in section.tracks] == ["payment-services"]
    assert [s.id for s in section.path_for(["complaint", "payment-services"], None)] == [
        "disp-payments"
    ]
    assert [s.id for s in section.path_for(["complaint"], "Payment services")] == ["disp-payments"]
    assert [s.id for s in section.path_for(["complaint"], "Cards")] == ["disp-general"]


def test_diff_says_a_track_added_and_a_stage_put_on_it_as_major_changes_in_words() -> None:
    # From the FCA preset as it was (two stages in order, no track) to the preset now:
    # the payment-services track is added and disp-payments put on it. Which stages a
    # complaint follows is a promise, so both are major.
    text = preset_text("fca-disp")
    now = load_policy_text(text).policy
    start, end = text.index("  tracks:\n"), text.index("  stages:\n")
    old = (text[:start] + text[end:]).replace("      track: payment-services\n", "")
    found = render_text(diff(load_policy_text(old).policy, now)).splitlines()
    assert found == [
        "2 major changes",
        "major  track of complaint stage disp-payments: none → payment-services  "
        "[complaints.stages[disp-payments].track]",
        "major  complaint track payment-services added  [complaints.tracks[payment-services]]",
    ]


def test_a_stage_naming_a_track_when_there_are_none_is_told_to_define_it() -> None:
    found = _errors(
        "  stages:\n"
        "    - {id: g1, name: G, owner_role: agent, within: 8w, clock: 24x7, track: pay}\n"
    )
    assert found == [
        "p.yaml:9:76: error P201 complaints.stages[0].track: no track has the id 'pay'. "
        "Fix: define it under complaints.tracks, or remove track:"
    ]


def test_a_duplicate_track_and_a_path_less_policy_are_both_reported_in_one_run() -> None:
    found = _errors(
        "  tracks:\n"
        "    - {id: pay, name: Payments, tags: [payment]}\n"
        "    - {id: pay, name: Cards, tags: [card]}\n"
        "  stages:\n"
        "    - {id: p1, name: P, owner_role: agent, within: 15wd, clock: 24x7, track: pay}\n"
    )
    assert len(found) == 2
    assert "track id 'pay' is used twice" in found[0]
    assert "every stage is on a track" in found[1]
