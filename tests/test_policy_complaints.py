"""The complaints section: stages with acknowledgment and response limits, handlers, triggers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from charter.decisions.deadlines import Limit, deadline
from charter.errors import PolicyError
from charter.policy import load_policy_text
from charter.policy.clock import opening_hours
from charter.policy.counting import Counting
from charter.policy.units import Duration
from support import EXAMPLE_TEXT

LONDON = ZoneInfo("Europe/London")

HEAD = """\
organisation: {name: Acme, mission: Delight customers}
staff:
  roles:
    - {id: agent, name: Agent}
    - {id: manager, name: Manager}
complaints:
  how_to_complain: Tell us.
  stages:
"""


def _errors(stages: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(HEAD + stages, "p.yaml")
    return [d.render() for d in caught.value.diagnostics]


def test_the_example_promises_acknowledgments_a_second_handler_and_a_complaint_tag() -> None:
    complaints = load_policy_text(EXAMPLE_TEXT).policy.complaints
    assert complaints is not None
    front, review = complaints.stages
    assert front.acknowledge_within == Duration(working_days=1)
    assert review.acknowledge_within == Duration(working_days=2)
    assert (front.different_handler, review.different_handler) == (False, True)
    assert review.respond_from == "receipt"
    assert complaints.opens_on.tags == ["complaint"]


def test_a_response_counted_from_an_acknowledgment_needs_an_acknowledgment_limit() -> None:
    found = _errors(
        "    - {id: s1, name: One, owner_role: agent, within: 10wd, clock: 24x7,\n"
        "       respond_from: acknowledgment}\n"
    )
    assert len(found) == 1
    assert "acknowledge_within is missing" in found[0]
    assert "p.yaml:9" in found[0]  # the stage's own line


def test_the_first_stage_cannot_demand_a_different_handler() -> None:
    found = _errors(
        "    - {id: s1, name: One, owner_role: agent, within: 10wd, clock: 24x7,\n"
        "       different_handler: true}\n"
    )
    assert len(found) == 1
    assert "'s1' is the first stage" in found[0]


def test_a_later_stage_may_demand_a_different_handler() -> None:
    policy = load_policy_text(
        HEAD + "    - {id: s1, name: One, owner_role: agent, within: 10wd, clock: 24x7}\n"
        "    - {id: s2, name: Two, owner_role: manager, within: 20wd, clock: 24x7,\n"
        "       different_handler: true}\n"
    ).policy
    assert policy.complaints is not None
    assert policy.complaints.stages[1].different_handler


def test_eight_weeks_is_calendar_time_that_does_not_move_off_a_closed_day() -> None:
    # FCA DISP 1.6.2R: a final response within eight weeks of receipt. Written "8w" the
    # limit keeps its weeks. Received Sun 1 Nov 2026 (closed on the example's uk-support
    # calendar): counting starts Mon 2 Nov, day 0; 8 x 7 = 56 days on is Mon 28 Dec 2026,
    # the substitute Boxing Day bank holiday. Weeks do not move: the deadline stays on
    # Mon 28 Dec. Written "56d", a period in days moves to the next working day: Tue 29
    # and Wed 30 Dec are the calendar's own closing dates, so Thu 31 Dec.
    policy = load_policy_text(EXAMPLE_TEXT).policy
    office = opening_hours(policy, "uk-support", years=range(2026, 2028))
    weeks = Duration.parse("8w")
    assert (str(weeks), weeks.words(business=False), weeks.seconds) == ("8w", "8 weeks", 4838400)
    assert Limit.parse(weeks) == Limit(8, "w")
    received = dt.datetime(2026, 11, 1, 10, tzinfo=LONDON)
    in_weeks = deadline(received, weeks, office, Counting())
    in_days = deadline(received, Duration.parse("56d"), office, Counting())
    assert in_weeks.end_day == dt.date(2026, 12, 28)
    assert in_days.end_day == dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("text", "words"),
    [("8w2d", "mixes weeks"), ("1.5w", "weeks must be whole"), ("2wd 1w", "mixes working days")],
)
def test_bad_week_limits_say_how_to_write_one(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Duration.parse(text)


def test_business_days_written_bd_are_working_days() -> None:
    # FCA DISP 1.6.2A: 15 business days for payment services, written as people do.
    assert Duration.parse("15bd") == Duration(working_days=15)
