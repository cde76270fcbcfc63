"""The complaint procedure on the public page, and in the staff handbook, in plain words.

Every sentence is written out by hand from the policy's values: the presets
(charter.policy.presets), the example policy (Larkfield) and small policies that flip
one counting convention each.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from charter.policy import Policy, load_policy_text
from charter.policy.clauses import Clause, clauses
from charter.policy.presets import preset_text
from charter.publish.export import write_site
from charter.publish.public_page import public_page
from support import EXAMPLE_TEXT

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
HEAD = """\
organisation: {name: Acme, mission: Delight}
calendars:
  - {id: desk, timezone: Europe/London, weekly: {mon: ["09:00-17:00"], tue: ["09:00-17:00"]}}
staff:
  roles: [{id: agent, name: Agent}, {id: lead, name: Team lead}]
complaints:
  how_to_complain: Tell us.
"""


def policy_of(text: str) -> Policy:
    return load_policy_text(text).policy


def stage_texts(policy: Policy) -> list[str]:
    page = public_page(policy, NOW)
    assert page.complaints is not None
    return [item.text for item in page.complaints.stages]


def one_stage(counting: str = "", stage_counting: str = "") -> Policy:
    section = f"  counting: {counting}\n" if counting else ""
    own = f", counting: {stage_counting}" if stage_counting else ""
    return policy_of(
        HEAD + section + "  stages:\n"
        f"    - {{id: s1, name: Front line, owner_role: agent, within: 3d, clock: desk{own}}}\n"
    )


# The public page ----------------------------------------------------------------------


def test_housing_ombudsman_preset_page_says_each_stage_in_plain_words() -> None:
    # Code: stage 1 acknowledged in 5wd, answered 10wd after the acknowledgment, extension
    # up to 10wd with a reason; stage 2 the same with 20wd and 20wd, by another person.
    # Counting is the default (day 0, closed-day receipts move on), so no counting sentence.
    assert stage_texts(policy_of(preset_text("housing-ombudsman"))) == [
        "Stage 1: we acknowledge your complaint within 5 working days and reply within "
        "10 working days of acknowledging it. We may extend by up to 10 working days and "
        "will tell you why. Handled by: Complaints officer.",
        "Stage 2: we acknowledge your complaint within 5 working days and reply within "
        "20 working days of acknowledging it. A different person from the one who handled "
        "stage 1 reviews it. We may extend by up to 20 working days and will tell you why. "
        "Handled by: Complaints manager.",
    ]


def test_fca_preset_page_says_each_track_under_its_name_with_the_cutoff_and_holding_reply(
) -> None:  # fmt: skip
    # DISP 1.5.3G's cut-off differs from the default, so each stage says it, on the
    # calendar's clock; only the payment services stage may be extended (35 = 15 + 20).
    # The two stages are alternatives, not stages 1 and 2: each is said under its path's
    # name, the track "Payment services and e-money" first, then every other complaint.
    payments, general = stage_texts(policy_of(preset_text("fca-disp")))
    cutoff = (
        "A complaint received after 17:00 (Europe/London time) or on a day we are closed "
        "counts from the next working day."
    )
    assert payments == (
        "Complaints about payment services and e-money: we reply within 15 working days of "
        f"receiving your complaint. {cutoff} We may extend by up to 20 working days and will "
        "tell you why. Handled by: Complaints handler."
    )
    assert general == (
        "All other complaints: we reply within 8 weeks of receiving your complaint. "
        f"{cutoff} Handled by: Complaints handler."
    )


def test_example_page_promises_a_share_and_counts_by_default() -> None:
    # Larkfield: front line 1wd / 2wd from receipt for 85 %; review 2wd / 10wd, another
    # person; default counting and no extensions: nothing more is said.
    assert stage_texts(policy_of(EXAMPLE_TEXT)) == [
        "Stage 1, Front line: we acknowledge your complaint within 1 working day and reply "
        "within 2 working days of receiving it. We keep to this for 85 % of complaints. "
        "Handled by: Customer care agent.",
        "Stage 2, Review by the service manager: we acknowledge your complaint within 2 "
        "working days and reply within 10 working days of receiving it. We keep to this for "
        "85 % of complaints. A different person from the one who handled stage 1 reviews it. "
        "Handled by: Customer service manager.",
    ]


@pytest.mark.parametrize(
    ("counting", "said"),
    [
        ("{anchor_day: day_1}", "The day we receive your complaint counts as the first day."),
        ("{closed_day_receipt: same_day}",
         "A complaint received on a day we are closed counts from that day."),
        ("{closed_day_receipt: same_day, cutoff: '16:00'}",
         "A complaint received on a day we are closed counts from that day. One received "
         "after 16:00 (Europe/London time) counts from the next working day."),
        ("{ends_at: close_of_business}", "A time limit ends when we close on its last day."),
        ("{closed_day_end: stays}",
         "A time limit in days that ends on a day we are closed stays on that day."),
        ("{weeks_move: true}",
         "A time limit in weeks that ends on a day we are closed moves to our next working day."),
        ("{extensions: true}", "We may extend and will tell you why."),
        ("{extensions: true, extension_reason: false, extension_cap: 1}",
         "We may extend by up to 1 working day and will tell you."),
    ],
)  # fmt: skip
def test_a_convention_that_differs_from_the_default_is_said_on_the_page(
    counting: str, said: str
) -> None:
    base = "Stage 1, Front line: we reply within 3 days of receiving your complaint."
    assert stage_texts(one_stage()) == [f"{base} Handled by: Agent."]
    for policy in (one_stage(counting=counting), one_stage(stage_counting=counting)):
        assert stage_texts(policy) == [f"{base} {said} Handled by: Agent."]


def test_the_page_html_shows_the_procedure_and_the_external_body(tmp_path: Path) -> None:
    page = public_page(policy_of(preset_text("housing-ombudsman")), NOW)
    write_site(tmp_path, page, None)
    html = (tmp_path / "index.html").read_text("utf-8")
    section = html[html.index('<section id="complaints"') :]
    section = section[: section.index("</section>")]
    assert '<li id="complaints.stages.stage-2">Stage 2: we acknowledge your complaint' in section
    assert "A different person from the one who handled stage 1 reviews it." in section
    assert "We may extend by up to 20 working days and will tell you why." in section
    assert "If you are still unhappy: The Housing Ombudsman Service" in section


def test_a_preset_with_one_catch_all_rule_answers_for_each_channel() -> None:
    # Both presets have one rule with no conditions and two channels (phone, e-mail): the
    # rule's id is one literal for all rows, which once made the page fail.
    page = public_page(policy_of(preset_text("fca-disp")), NOW)
    assert [(a.channel, a.rule_anchor) for a in page.answers] == [
        ("phone", "service_levels.rules.sl-all"),
        ("email", "service_levels.rules.sl-all"),
    ]


# The handbook -------------------------------------------------------------------------


def complaint_clauses(policy: Policy) -> dict[str, Clause]:
    return {c.id: c for c in clauses(policy) if c.section == "complaints"}


def facts(clause: Clause) -> dict[str, str]:
    return {fact.label: fact.value for fact in clause.facts}


def test_handbook_states_every_convention_in_force_for_staff() -> None:
    # FCA: day 0, DISP 1.5.3G's cut-off, end of day, days move and weeks do not.
    section = facts(complaint_clauses(policy_of(preset_text("fca-disp")))["complaints"])
    assert section["How days are counted"] == (
        "The day of receipt (or of the acknowledgment) is day 0 and not counted; day 1 is the "
        "next working day. A complaint received on a day the calendar is closed, or after "
        "17:00, counts from the next working day. A deadline ends at 23:59:59 local time on "
        "its last day. A limit in days that ends on a closed day moves to the next working "
        "day; a limit in weeks is calendar time and does not move."
    )
    assert section["A case opens from"] == "a ticket tagged complaint; or by hand"


def test_handbook_stage_says_its_clock_anchor_handler_and_extensions() -> None:
    found = complaint_clauses(policy_of(preset_text("housing-ombudsman")))
    one, two = facts(found["complaints.stages.stage-1"]), facts(found["complaints.stages.stage-2"])
    assert one["Acknowledge within"] == "5 working days on calendar office, counted from receipt"
    assert one["Respond within"] == (
        "10 working days on calendar office, counted from the acknowledgment"
    )
    assert one["Extensions"] == (
        "allowed, up to 10 working days in all, each with a written reason, which the customer "
        "is told"
    )
    assert "Handler" not in one
    assert two["Acknowledge within"] == (
        "5 working days on calendar office, counted from receipt at this stage"
    )
    assert two["Handler"] == (
        "someone other than the previous stage's handler; Charter refuses the same person"
    )
    assert two["Extensions"].startswith("allowed, up to 20 working days in all")
    assert "Respond from" not in one and "Counting" not in one


def test_handbook_says_a_stage_that_counts_differently() -> None:
    # The section counts to the end of the day; the stage to close of business, the one
    # convention it sets, so that is the one said at the stage. No extensions by default.
    policy = one_stage(counting="{cutoff: '17:00'}", stage_counting="{ends_at: close_of_business}")
    stage = facts(complaint_clauses(policy)["complaints.stages.s1"])
    assert stage["Counted at this stage"] == (
        "A deadline ends at close of business on its last day (23:59:59 if closed that day)."
    )
    assert stage["Extensions"] == "not allowed"
    assert "after 17:00" in facts(complaint_clauses(policy)["complaints"])["How days are counted"]


# Tracks: alternative paths ---------------------------------------------------------------

TRACKED = (
    HEAD
    + """\
  tracks:
    - {id: urgent, name: Safety, tags: [safety]}
  stages:
    - {id: fast, name: Safety desk, owner_role: lead, within: 2d, clock: desk, track: urgent}
    - {id: s1, name: Front line, owner_role: agent, within: 3d, clock: desk}
    - {id: s2, name: Review, owner_role: lead, within: 5d, clock: desk, different_handler: true}
"""
)


def test_a_track_of_one_stage_is_said_under_its_name_and_the_rest_as_all_other_complaints(
) -> None:  # fmt: skip
    # The track's one stage carries the track's name alone; the path of every other
    # complaint is numbered from 1 within itself (Review is its stage 2, so "handled stage
    # 1" means Front line, not the safety desk, which is written first in the file).
    assert stage_texts(policy_of(TRACKED)) == [
        "Complaints about safety: we reply within 2 days of receiving your complaint. "
        "Handled by: Team lead.",
        "All other complaints, stage 1, Front line: we reply within 3 days of receiving your "
        "complaint. Handled by: Agent.",
        "All other complaints, stage 2, Review: we reply within 5 days of receiving your "
        "complaint. A different person from the one who handled stage 1 reviews it. "
        "Handled by: Team lead.",
    ]


def test_handbook_says_each_tracks_tickets_and_stages_and_each_stages_path() -> None:
    found = complaint_clauses(policy_of(preset_text("fca-disp")))
    track = found["complaints.tracks.payment-services"]
    assert track.heading == "Payment services and e-money"
    assert facts(track)["Takes"] == (
        "a ticket tagged payment-services; a ticket in category Payment services "
        "(the first track that matches)"
    )
    assert facts(track)["Stages"] == "Payment services and e-money complaints"
    payments = facts(found["complaints.stages.disp-payments"])
    general = facts(found["complaints.stages.disp-general"])
    assert payments["Path"] == "Complaints about payment services and e-money: its only stage"
    assert general["Path"] == "All other complaints: its only stage"
    # The 8-week stage is the first of its own path, so it counts from the complaint's
    # receipt, not from a "receipt at this stage" after an escalation.
    assert general["Respond within"] == "8 weeks on calendar business, counted from receipt"


def test_handbook_stage_without_tracks_says_no_path() -> None:
    found = complaint_clauses(policy_of(preset_text("housing-ombudsman")))
    assert "Path" not in facts(found["complaints.stages.stage-2"])


@pytest.mark.parametrize(
    ("preset", "tag"),
    [("fca-disp", "ul"), ("housing-ombudsman", "ol")],
)
def test_alternative_tracks_are_listed_and_steps_in_order_are_numbered(
    preset: str, tag: str, tmp_path: Path
) -> None:
    # FCA's two paths are alternatives, so the page lists them unnumbered; the Housing
    # Ombudsman's two stages are steps, numbered 1 and 2 as before.
    write_site(tmp_path, public_page(policy_of(preset_text(preset)), NOW), None)
    html = (tmp_path / "index.html").read_text("utf-8")
    section = html[html.index('<section id="complaints"') :]
    section = section[: section.index("</section>")]
    assert f"<{tag}><li id=" in section
