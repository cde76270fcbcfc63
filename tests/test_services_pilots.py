"""Pilots: a version in pilot judges its group's tickets created in its period, everyone
else stays on the live version, and the pilot ends as an extension, a publish or an
abandonment, each re-judging the tickets whose governing version changed.

Every story runs on an injected clock (``charter.clock.now``) and a 24x7 clock: version
1 promises a first reply within 4 hours, version 2 (the pilot) within 1 hour, so each
verdict and due instant is worked out by hand in the comments. The pilot is on team
tier-2 from D1 = 1 December 09:00 to D2 = 3 December 09:00 (UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from charter import clock
from charter.errors import Conflict, InvalidInput
from charter.services.lifecycle import PilotRequest, get_version, history
from charter.services.pilots import dashboard_pilot, pilot_comparison
from charter.services.publishing import take_action
from charter.services.sla_state import recompute_sla
from charter.services.ticket_audit import ticket_audit
from charter.store import Database
from charter.store.models import SurveyInvitation
from support.pilots import D1, D2, SLUG, TICKETS, TIER_2, Clock, at, piloted, states, store


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    injected = Clock()
    monkeypatch.setattr(clock, "now", injected)
    yield injected


def test_a_pilot_on_tier_2_judges_its_tickets_of_the_period_under_the_pilot_version(
    database: Database, now: Clock
) -> None:
    piloted(database, now)
    now.at = at(4, 12)
    store(database, TICKETS)
    assert states(database) == {
        # tier-2, created 1 Dec 10:00 in the period: v2's 1 h, due 11:00; replied 12:00.
        "in": (2, "breached", "01 11:00"),
        # tier-1 is not in the group: v1's 4 h, due 14:00; replied 12:00.
        "other-team": (1, "met", "01 14:00"),
        # A minute before D1: v1, due 12:59; replied 10:59.
        "before": (1, "met", "01 12:59"),
        # At D1 itself (the start is included): v2, due 10:00; replied 09:30.
        "at-start": (2, "met", "01 10:00"),
        # A minute before D2: v2, due 09:59; replied 10:59.
        "last": (2, "breached", "03 09:59"),
        # At D2 (the end is excluded): v1, due 13:00; replied 11:00.
        "at-end": (1, "met", "03 13:00"),
    }


def test_a_second_recompute_with_a_pilot_evaluates_no_ticket(
    database: Database, now: Clock
) -> None:
    piloted(database, now)
    now.at = at(4, 12)
    store(database, TICKETS)  # solved: every verdict is settled once judged
    assert recompute_sla(database).evaluated == 0
    assert recompute_sla(database).evaluated == 0


def test_extending_a_pilot_after_its_end_re_judges_the_group_s_tickets_since_then(
    database: Database, now: Clock
) -> None:
    people = piloted(database, now)
    now.at = at(4, 12)
    store(database, [*TICKETS, ("gap", "tier-2", at(4, 10), at(4, 11, 30))])
    assert states(database)["gap"] == (1, "met", "04 14:00")  # after D2: v1's 4 h
    take_action(database, SLUG, 2, "extend", people.reviewer, pilot=PilotRequest(ends_at=at(6, 9)))
    found = states(database)
    # Now in the period (to 6 Dec 09:00): v2's 1 h. at-end: due 10:00, replied 11:00;
    # gap: due 11:00, replied 11:30.
    assert found["at-end"] == (2, "breached", "03 10:00")
    assert found["gap"] == (2, "breached", "04 11:00")
    assert found["other-team"] == (1, "met", "01 14:00")  # not in the group: unchanged
    version = get_version(database, SLUG, 2)
    assert version.pilot is not None and version.pilot.ends_at == at(6, 9)
    last = history(database, SLUG, 2)[-1]
    assert (last.action, last.actor_id, last.at) == ("extend", people.reviewer.id, at(4, 12))
    assert last.note == "extended from Thu 03 Dec 2026 09:00 UTC to Sun 06 Dec 2026 09:00 UTC"
    assert recompute_sla(database).evaluated == 0


def test_abandoning_a_pilot_puts_its_tickets_back_on_the_live_version(
    database: Database, now: Clock
) -> None:
    people = piloted(database, now)
    now.at = at(4, 12)
    store(database, TICKETS)
    now.at = at(5, 12)
    abandoned = take_action(database, SLUG, 2, "abandon", people.reviewer, "too costly")
    assert abandoned.status == "retired"
    assert abandoned.pilot is not None and abandoned.pilot.outcome == "abandoned"
    found = states(database)
    # Every ticket under v1's 4 h: in due 14:00 (replied 12:00), at-start due 13:00
    # (09:30), last due 3 Dec 12:59 (10:59).
    assert {k: v[0] for k, v in found.items()} == {k: 1 for k, _, _, _ in TICKETS}
    assert found["in"] == (1, "met", "01 14:00")
    assert found["at-start"] == (1, "met", "01 13:00")
    assert found["last"] == (1, "met", "03 12:59")
    last = history(database, SLUG, 2)[-1]
    assert (last.action, last.from_status, last.to_status) == ("abandon", "pilot", "retired")
    assert last.actor_id == people.reviewer.id and last.at == at(5, 12)
    assert last.note.startswith("too costly (pilot abandoned")
    assert recompute_sla(database).evaluated == 0


def test_publishing_a_pilot_keeps_its_tickets_and_takes_in_everyone_from_then(
    database: Database, now: Clock
) -> None:
    people = piloted(database, now)
    now.at = at(2, 12)
    store(database, TICKETS[:4])
    take_action(database, SLUG, 2, "publish", people.reviewer)  # in force from 2 Dec 12:00
    now.at = at(4, 12)
    store(database, [("tier-1-after", "tier-1", at(2, 13), at(2, 15))])  # 2 h reply
    found = states(database)
    assert found["in"] == (2, "breached", "01 11:00")  # the pilot's verdict kept
    assert found["other-team"] == (1, "met", "01 14:00")  # created before the publish
    # Created 2 Dec 13:00, after the publish, by any team: v2's 1 h, due 14:00.
    assert found["tier-1-after"] == (2, "breached", "02 14:00")
    version = get_version(database, SLUG, 2)
    assert version.status == "published" and version.pilot is not None
    # The pilot's period stops when the version takes effect for everyone.
    assert (version.pilot.outcome, version.pilot.ends_at) == ("published", at(2, 12))
    assert history(database, SLUG, 2)[-1].note == (
        "pilot ended Wed 02 Dec 2026 12:00 UTC, when the version takes effect for everyone"
    )
    assert recompute_sla(database).evaluated == 0


def test_an_agent_pilot_matches_the_assignee_and_quotes_names_safely(
    database: Database, now: Clock
) -> None:
    request = PilotRequest(kind="agent", values=("O'Brien",), starts_at=D1, ends_at=D2)
    piloted(database, now, request)
    version = get_version(database, SLUG, 2)
    assert version.pilot is not None and version.pilot.group.column == "assignee"
    assert history(database, SLUG, 2)[-1].note == (
        "pilot on agent O'Brien from Tue 01 Dec 2026 09:00 UTC until Thu 03 Dec 2026 09:00 UTC"
    )
    now.at = at(4, 12)
    store(database, TICKETS[:1])  # no assignee: not in the pilot
    assert states(database)["in"] == (1, "met", "01 14:00")


@pytest.mark.parametrize(
    "request_, message",
    [
        (PilotRequest(), "group.kind: name the pilot's group"),
        (PilotRequest(kind="teams", values=("a",), ends_at=D2), "group.kind: 'teams' is not"),
        (PilotRequest(kind="team", values=(" ",), ends_at=D2), "group.values: name at least"),
        (
            PilotRequest(kind="agent", values=tuple(f"a{n}" for n in range(501)), ends_at=D2),
            "group.values: 501 agents is more than a pilot takes (500 at most)",
        ),
        (PilotRequest(kind="team", values=("a",)), "ends_at: say when the pilot ends"),
        (
            PilotRequest(kind="team", values=("a",), starts_at=at(30, 11, month=11), ends_at=D2),
            "starts_at: Mon 30 Nov 2026 11:00 UTC is in the past",
        ),
        (
            PilotRequest(kind="team", values=("a",), starts_at=D2, ends_at=D1),
            "ends_at: the pilot would end Tue 01 Dec 2026 09:00 UTC, not after it starts",
        ),
        (
            PilotRequest(kind="team", values=("a",), ends_at=dt.datetime(2027, 12, 2)),
            "ends_at: 2027-12-02T00:00:00 has no time zone",
        ),
        (
            PilotRequest(
                kind="team", values=("a",), ends_at=at(2, 0, month=12) + dt.timedelta(366)
            ),
            "ends_at: Fri 03 Dec 2027 00:00 UTC is more than a year after",
        ),
    ],
)
def test_a_bad_group_or_period_is_refused_naming_the_field(
    database: Database, now: Clock, request_: PilotRequest, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        piloted(database, now, request_)
    assert str(refused.value).startswith(message), str(refused.value)
    assert get_version(database, SLUG, 2).status == "approved"


def test_an_extension_must_end_later_and_takes_no_group(database: Database, now: Clock) -> None:
    people = piloted(database, now)
    sooner = PilotRequest(ends_at=at(2, 9))
    with pytest.raises(InvalidInput, match="^ends_at: Wed 02 Dec 2026 09:00 UTC is not after"):
        take_action(database, SLUG, 2, "extend", people.reviewer, pilot=sooner)
    with pytest.raises(InvalidInput, match="^group: an extension moves only the pilot's end"):
        take_action(database, SLUG, 2, "extend", people.reviewer, pilot=TIER_2)
    with pytest.raises(InvalidInput, match="^group: only pilot and extend take"):
        take_action(database, SLUG, 2, "publish", people.reviewer, pilot=TIER_2)
    with pytest.raises(Conflict, match="retire needs status published. To end a pilot without"):
        take_action(database, SLUG, 2, "retire", people.reviewer)


def test_a_ticket_s_audit_names_the_pilot_version_that_judges_it(
    database: Database, now: Clock
) -> None:
    piloted(database, now)
    now.at = at(4, 12)
    store(database, TICKETS[:2])
    with database.reading() as session:
        ids = dict(session.execute(text("SELECT source_id, id FROM tickets")).all())
    # "in" is tier-2 inside the period: version 2; "other-team" is tier-1: version 1.
    assert ticket_audit(database, ids["in"]).version == "acme version 2"
    assert ticket_audit(database, ids["other-team"]).version == "acme version 1"


def test_the_comparison_counts_the_period_s_tickets_pilot_against_control(
    database: Database, now: Clock
) -> None:
    piloted(database, now)
    now.at = at(2, 12)
    assert pilot_comparison(database, SLUG) is not None
    assert pilot_comparison(database, SLUG).note == (  # type: ignore[union-attr]
        "No ticket of the pilot's group was created in the period yet."
    )
    now.at = at(4, 12)
    store(database, TICKETS, csat={"in": 5, "at-start": 4, "last": 2, "other-team": 3})
    found = pilot_comparison(database, SLUG)
    assert found is not None and found.state == "ended"  # D2 has passed, undecided
    # In the period [D1, D2): pilot in, at-start, last (tier-2); control other-team.
    # "before" (08:59 on D1) and "at-end" (at D2) are outside it.
    assert (found.pilot_tickets, found.control_tickets) == (3, 1)
    rows = {row.label: (row.pilot, row.control) for row in found.figures}
    assert rows == {
        # Pilot under v2 (1 h): in breached, at-start met, last breached: 1 of 3.
        # Control under v1 (4 h): other-team met: 1 of 1.
        "The first response promise": ("33.3 % (1 of 3)", "100 % (1 of 1)"),
        # Replies after 2 h, 30 min and 2 h: median 2 h; control 2 h (24x7 clock, so
        # business time is real time here).
        "First response time (business hours)": ("median 2 h (3)", "median 2 h (1)"),
        # Ratings 5, 4, 2: two of three are 4-5; control's one 3 is not.
        "CSAT": ("66.7 % (2 of 3)", "0 % (0 of 1)"),
    }
    verdicts = [row.verdict for row in found.figures]
    assert verdicts[0] == (
        "The first response promise: too few tickets to tell (pilot 3, control 1); collect at "
        "least 30 in each."
    )
    assert not any(row.enough for row in found.figures)


def test_a_customer_pilot_matches_the_requester_s_address(database: Database, now: Clock) -> None:
    request = PilotRequest(kind="customer", values=("ann@example.com",), starts_at=D1, ends_at=D2)
    piloted(database, now, request)
    now.at = at(4, 12)
    emails = {"in": "ann@example.com", "other-team": "bo@example.com"}
    store(database, TICKETS[:2], requesters=emails)
    found = states(database)
    # Both created 1 Dec 10:00 and replied after 2 h; only Ann's is in the pilot (v2's
    # 1 h: due 11:00, breached); Bo's stays on v1 (4 h: due 14:00, met).
    assert found["in"] == (2, "breached", "01 11:00")
    assert found["other-team"] == (1, "met", "01 14:00")


def test_the_comparison_reads_a_survey_answer_in_place_of_the_imported_score(
    database: Database, now: Clock
) -> None:
    piloted(database, now)
    now.at = at(4, 12)
    store(database, TICKETS, csat={"in": 5, "at-start": 4, "last": 2, "other-team": 3})
    with database.transaction() as session:
        ids = dict(session.execute(text("SELECT source_id, id FROM tickets")).all())
        version = get_version(database, SLUG, 2)
        # "in" answered its survey with a 1 (imported 5); "last" has an unanswered one.
        for source, state, score in (("in", "answered", 1), ("last", "sent", None)):
            session.add(SurveyInvitation(
                ticket_id=ids[source], version_id=version.id, kind="csat",
                email="ann@example.com", solved_at=at(1, 12), due_at=at(1, 13),
                state=state, score=score,
            ))  # fmt: skip
    found = pilot_comparison(database, SLUG)
    assert found is not None
    csat = {row.label: (row.pilot, row.control) for row in found.figures}["CSAT"]
    # Pilot: in 1 (the answer, not the imported 5), at-start 4, last 2 (imported: its
    # survey is unanswered): one of three is 4-5. Control: other-team's 3: none.
    assert csat == ("33.3 % (1 of 3)", "0 % (0 of 1)")


def test_the_dashboard_gives_its_comparison_again_for_a_minute_unless_the_pilot_changed(
    database: Database, now: Clock
) -> None:
    people = piloted(database, now)
    now.at = at(4, 12)
    first = dashboard_pilot(database)
    assert first is not None and first.pilot_tickets == 0
    store(database, TICKETS)
    assert dashboard_pilot(database) is first  # the same pilot, less than a minute on
    assert dashboard_pilot(database, max_age=0).pilot_tickets == 3  # type: ignore[union-attr]
    extend = PilotRequest(ends_at=at(6, 9))
    take_action(database, SLUG, 2, "extend", people.reviewer, pilot=extend)
    found = dashboard_pilot(database)
    # Extended: the period runs to now (4 Dec 12:00), so at-end (tier-2, created at D2)
    # joins in, at-start and last: 4 pilot tickets; other-team is the control's 1.
    assert found is not None and found.ends_at == at(6, 9)
    assert (found.pilot_tickets, found.control_tickets) == (4, 1)
