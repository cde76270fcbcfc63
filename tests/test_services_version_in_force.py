"""The version in force: each ticket is judged under the version in force when it was
created, results count each promise over the tickets it governed, and a version
published to take effect later switches the page, the handbook and the SLA at its
instant with nobody acting.

Every story runs on an injected clock (``charter.clock.now``) and 24x7 clocks, so each
verdict is worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl
import pytest
from sqlalchemy import text

from charter import clock
from charter.errors import InvalidInput
from charter.services.accounts import Principal
from charter.services.backtests import run_backtest
from charter.services.handbook import read_handbook
from charter.services.lifecycle import (
    create_policy,
    edit_draft,
    get_policy,
    get_version,
    judging_versions,
    new_draft,
    operating_version,
    operating_version_id,
    transition,
)
from charter.services.public_charter import public_charter
from charter.services.publishing import take_action
from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.store import tickets as stored
from charter.tickets.importing import ImportResult
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform, empty_rejects
from support.lifecycle import staff

UTC = dt.UTC
SLUG = "acme"


def policy(first_response: str = "4h", resolution: str | None = "24h") -> str:
    """An e-mail promise on the 24x7 clock: first reply within ``first_response``, and
    solved within ``resolution`` (left out when None)."""
    solve = f"\n        resolution: {{within: {resolution}, clock: 24x7}}" if resolution else ""
    return f"""\
organisation: {{name: Acme, mission: Delight}}
calendars: [{{id: desk, timezone: Europe/London, weekly: {{mon: ["09:00-17:00"]}}}}]
contact_points: [{{id: mail, channel: email, address: help@acme.example, calendar: desk}}]
service_levels:
  rules:
    - id: sl-email
      when: {{channel: [email]}}
      targets:
        first_response: {{within: {first_response}, clock: 24x7}}{solve}
"""


class Clock:
    """The injected clock: set ``at`` and every service reads it."""

    def __init__(self) -> None:
        self.at = dt.datetime(2026, 11, 1, tzinfo=UTC)

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    injected = Clock()
    monkeypatch.setattr(clock, "now", injected)
    yield injected


@dataclass
class People:
    author: Principal
    reviewer: Principal


def first_version(database: Database, text: str) -> People:
    """Version 1 holding ``text``, published now."""
    people = People(staff(database), staff(database))
    create_policy(
        database, slug=SLUG, name="Acme", text=text, actor=people.author, change_summary="First"
    )
    transition(database, SLUG, 1, "submit", people.author)
    transition(database, SLUG, 1, "approve", people.reviewer)
    take_action(database, SLUG, 1, "publish", people.reviewer)
    return people


def approved(database: Database, people: People, text: str) -> int:
    """A new version holding ``text``, approved and ready to publish; its number."""
    draft = new_draft(database, SLUG, people.author, change_summary="Next")
    edit_draft(database, SLUG, draft.number, people.author, text=text)
    transition(database, SLUG, draft.number, "submit", people.author)
    transition(database, SLUG, draft.number, "approve", people.reviewer)
    return draft.number


Row = tuple[str, dt.datetime, dt.datetime | None, dt.datetime | None]
"""A ticket: id, created, first reply, solved (e-mail; solved ones have status solved)."""


def store(database: Database, rows: list[Row]) -> None:
    """Import the e-mail tickets ``rows`` (which recomputes their SLA state)."""
    tickets = pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "created_at": [r[1] for r in rows],
            "channel": ["email"] * len(rows),
            "priority": ["normal"] * len(rows),
            "status": ["solved" if r[3] else "open" for r in rows],
            "first_response_at": [r[2] for r in rows],
            "solved_at": [r[3] for r in rows],
        }
    )
    result = ImportResult(
        conform(tickets, TICKET_SCHEMA), pl.DataFrame(schema=EVENT_SCHEMA), empty_rejects()
    )
    import_tickets(database, result, source="csv", batch_size=100)


def states(database: Database) -> dict[str, tuple[int, str | None, str | None]]:
    """Per ticket: the number of the version that judged it, its first-response status
    and its first-response due instant (ISO, UTC)."""
    query = text(
        "SELECT t.source_id, v.number, s.first_response_status, s.first_response_due_at "
        "FROM sla_states s JOIN tickets t ON t.id = s.ticket_id "
        "JOIN policy_versions v ON v.id = s.version_id"
    )
    with database.reading() as session:
        found = session.execute(query).all()
    return {source: (number, status, _iso(due)) for source, number, status, due in found}


def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_tickets_created_under_v1_keep_their_v1_verdicts_open_ones_included_after_v2(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0, month=11)  # v1 (first reply within 4h) in force from 1 November
    people = first_version(database, policy("4h"))
    now.at = at(6, 9, 30)
    store(database, [
        ("A", at(20, 10, month=11), at(20, 12, month=11), None),  # replied after 2h
        ("C", at(6, 8), None, None),  # still waiting, created under v1
    ])  # fmt: skip
    number = approved(database, people, policy("1h"))
    take_action(database, SLUG, number, "publish", people.reviewer)  # in force from 09:30
    now.at = at(6, 10, 59)
    store(database, [("B", at(6, 9, 45), at(6, 10, 50), None)])  # written under v2
    recompute_sla(database)
    found = states(database)
    # A: a 2 h reply is within v1's 4 h (v2's 1 h would breach it): met under v1.
    assert found["A"] == (1, "met", "2026-11-20 14:00")
    # C: created 08:00 under v1, due 12:00; at 10:59 it has used 2 h 59 min of 4 h
    # (74.6 %, below the 75 % at-risk line): pending. Under v2 it would have breached
    # at 09:00.
    assert found["C"] == (1, "pending", "2026-12-06 12:00")
    # B: created 09:45 under v2 (1 h): due 10:45, replied 10:50: breached.
    assert found["B"] == (2, "breached", "2026-12-06 10:45")


def test_a_publish_makes_stale_only_the_tickets_created_from_its_effective_instant(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0, month=11)
    people = first_version(database, policy("4h"))
    number = approved(database, people, policy("1h"))
    now.at = at(6, 12)
    store(database, [
        # Solved at 11:00, so every clock has stopped and the verdicts are settled.
        ("early", at(6, 8, 59), at(6, 10), at(6, 11)),  # 61 min: v1 met (v2 would breach)
        ("late", at(6, 9), at(6, 10, 1), at(6, 11)),  # 61 min: v1 met, v2 breached
    ])  # fmt: skip
    assert states(database) == {
        "early": (1, "met", "2026-12-06 12:59"), "late": (1, "met", "2026-12-06 13:00"),
    }  # fmt: skip
    now.at = at(6, 8, 30)  # v2 was published at 08:30 to take effect at 09:00
    transition(database, SLUG, number, "publish", people.reviewer, effective_at=at(6, 9))
    now.at = at(6, 12)
    versions = judging_versions(database)
    timeline = [(v.id, v.effective_at) for v in versions if v.effective_at is not None]
    with database.reading() as session:
        stale = stored.stale_ids(session, timeline, now.at, False).to_list()
        ids = dict(session.execute(text("SELECT source_id, id FROM tickets")).all())
    # A ticket created at the instant itself is the new version's; one a minute
    # earlier keeps v1's settled verdict and is not re-judged.
    assert stale == [ids["late"]]
    recompute_sla(database)
    assert states(database) == {
        "early": (1, "met", "2026-12-06 12:59"), "late": (2, "breached", "2026-12-06 10:00"),
    }  # fmt: skip


def test_a_scheduled_version_switches_the_page_handbook_and_sla_at_its_instant_with_nobody_acting(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0)
    people = first_version(database, policy("4h"))
    number = approved(database, people, policy("1h"))
    now.at = at(5, 12)
    version = take_action(database, SLUG, number, "publish", people.reviewer, effective_at=at(6, 9))
    assert version.status == "published" and version.effective_at == at(6, 9)
    now.at = at(6, 8, 59)  # a minute before: version 1 everywhere
    assert operating_version_id(database, max_age=3600) == get_version(database, SLUG, 1).id
    live = operating_version(database)
    page = public_charter(database)
    book = read_handbook(database)
    assert live is not None and live.number == 1
    assert page is not None and page.edition is not None and page.edition.version == 1
    assert book is not None and book.number == 1
    assert get_policy(database, SLUG).in_force == 1
    now.at = at(6, 9)  # the instant: nobody has acted since 5 December
    # The answer kept for an hour is dropped at the switch, not an hour later.
    assert operating_version_id(database, max_age=3600) == get_version(database, SLUG, 2).id
    live = operating_version(database)
    page = public_charter(database)
    book = read_handbook(database)
    assert live is not None and live.number == 2
    assert page is not None and page.edition is not None and page.edition.version == 2
    assert page.answers[0].promise == "We reply to every e-mail within 1 hour."
    assert book is not None and book.number == 2
    assert get_policy(database, SLUG).in_force == 2
    # The SLA: the scheduled recompute (a worker, not a person) judges each ticket by
    # the version in force when it was written.
    now.at = at(6, 12)
    store(database, [
        ("before", at(6, 8, 30), at(6, 10, 30), None),  # v1: due 12:30, replied 10:30: met
        ("after", at(6, 9, 30), at(6, 10, 45), None),  # v2: due 10:30, replied 10:45: breached
    ])  # fmt: skip
    found = states(database)
    assert found["before"] == (1, "met", "2026-12-06 12:30")
    assert found["after"] == (2, "breached", "2026-12-06 10:30")


def test_retiring_a_scheduled_version_before_its_instant_cancels_it_and_keeps_v1_in_force(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0)
    people = first_version(database, policy("4h"))
    number = approved(database, people, policy("1h"))
    now.at = at(5, 12)
    take_action(database, SLUG, number, "publish", people.reviewer, effective_at=at(6, 9))
    take_action(database, SLUG, number, "retire", people.reviewer)
    now.at = at(7, 0)  # after the cancelled instant
    live = operating_version(database)
    assert live is not None and live.number == 1 and live.status == "published"
    cancelled = get_version(database, SLUG, number)
    assert cancelled.status == "retired" and cancelled.effective_at is None
    store(database, [("later", at(6, 10), at(6, 13), None)])  # 3 h reply, v1's 4 h: met
    assert states(database)["later"] == (1, "met", "2026-12-06 14:00")


def test_retiring_the_live_version_never_changes_a_past_verdict(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0, month=11)
    people = first_version(database, policy("4h"))
    now.at = at(2, 0)
    store(database, [("A", at(20, 10, month=11), at(20, 12, month=11), None)])
    take_action(database, SLUG, 1, "retire", people.reviewer)
    recompute_sla(database, everything=True)
    assert operating_version(database) is None
    assert states(database)["A"] == (1, "met", "2026-11-20 14:00")


@pytest.mark.parametrize(
    "effective_at, problem",
    [
        (dt.datetime(2026, 12, 5, 11, 59, tzinfo=UTC), "is in the past"),
        (dt.datetime(2026, 12, 6, 9), "has no timezone"),
    ],
)
def test_a_publish_in_the_past_or_without_a_zone_is_refused_naming_the_field(
    database: Database, now: Clock, effective_at: dt.datetime, problem: str
) -> None:
    now.at = at(1, 0)
    people = first_version(database, policy("4h"))
    number = approved(database, people, policy("1h"))
    now.at = at(5, 12)
    with pytest.raises(InvalidInput, match=f"^effective_at: .*{problem}"):
        take_action(database, SLUG, number, "publish", people.reviewer, effective_at=effective_at)
    assert get_version(database, SLUG, number).status == "approved"


def test_a_promise_new_since_6_december_reads_new_instead_of_a_november_miss(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0, month=11)
    people = first_version(database, policy("4h", "24h"))
    now.at = at(1, 0)
    store(database, [
        # November, under v1: replies after 1 h, 3 h and 5 h; all solved within 10 h.
        ("n1", at(10, 9, month=11), at(10, 10, month=11), at(10, 12, month=11)),
        ("n2", at(11, 9, month=11), at(11, 12, month=11), at(11, 15, month=11)),
        ("n3", at(12, 9, month=11), at(12, 14, month=11), at(12, 19, month=11)),
    ])  # fmt: skip
    number = approved(database, people, policy("2h", "24h"))  # first reply tightened to 2 h
    now.at = at(6, 9)
    take_action(database, SLUG, number, "publish", people.reviewer)
    now.at = at(10, 12)
    page = public_charter(database)
    assert page is not None and page.month == "November 2026"
    lines = {line.metric: line for line in page.promises[0].lines}
    # The 2 h promise governed no November ticket: under it 1 of 3 would be "missed".
    assert lines["first_response"].result == "New since 6 December; first results in January."
    assert lines["first_response"].kept is None
    assert page.answers[0].result == "New since 6 December; first results in January."
    # The 24 h resolution promise is the same in both versions: November's three tickets
    # (solved after 3 h, 6 h and 10 h) were governed by it: 3 of 3.
    assert lines["resolution"].result == (
        "In November 2026 we resolved 100 % of e-mails within 1 day (3 of 3)."
    )
    assert lines["resolution"].kept is True


def test_a_promise_begun_mid_month_counts_only_the_tickets_it_governed(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0, month=11)
    people = first_version(database, policy("4h"))
    number = approved(database, people, policy("2h"))
    now.at = at(6, 9)
    take_action(database, SLUG, number, "publish", people.reviewer)
    now.at = at(31, 23)
    store(database, [
        ("v1", at(2, 9), at(2, 12), None),  # 3 h, under v1's 4 h: met, not the 2 h promise's
        ("a", at(7, 9), at(7, 10), None),  # 1 h under 2 h: met
        ("b", at(8, 9), at(8, 12), None),  # 3 h under 2 h: breached
    ])  # fmt: skip
    now.at = dt.datetime(2027, 1, 10, 12, tzinfo=UTC)
    page = public_charter(database)
    assert page is not None
    lines = {line.metric: line for line in page.promises[0].lines}
    # 1 met of the 2 tickets the 2 h promise governed (from 6 December): 50 %.
    assert lines["first_response"].result == (
        "From 6 to 31 December 2026 we replied to 50 % of e-mails within 2 hours (1 of 2)."
    )
    assert lines["first_response"].kept is False


def test_a_dropped_promise_keeps_its_history_on_the_dashboard(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0, month=11)
    people = first_version(database, policy("4h", "24h"))
    now.at = at(1, 0)
    store(database, [
        ("n1", at(10, 9, month=11), at(10, 10, month=11), at(10, 12, month=11)),  # 3 h: met
        ("n2", at(11, 9, month=11), at(11, 10, month=11), at(12, 12, month=11)),  # 27 h: breached
    ])  # fmt: skip
    number = approved(database, people, policy("4h", None))  # the resolution promise dropped
    now.at = at(6, 9)
    take_action(database, SLUG, number, "publish", people.reviewer)
    query = text("SELECT sum(resolution_met), sum(resolution_breached) FROM ticket_daily")
    with database.reading() as session:
        met, breached = session.execute(query).one()
    assert (int(met), int(breached)) == (1, 1)  # November's, under v1, kept


def test_the_backtest_still_judges_every_ticket_under_the_draft(
    database: Database, now: Clock
) -> None:
    now.at = at(1, 0, month=11)
    people = first_version(database, policy("4h"))
    now.at = at(1, 0)
    store(database, [("n1", at(10, 9, month=11), at(10, 12, month=11), None)])  # a 3 h reply
    number = approved(database, people, policy("1h"))
    take_action(database, SLUG, number, "publish", people.reviewer)
    draft = new_draft(database, SLUG, people.author, change_summary="What if")
    edit_draft(database, SLUG, draft.number, people.author, text=policy("2h"))
    result = run_backtest(database, SLUG, draft.number, actor=people.author)
    # What if the 2 h draft had been in force in November: the 3 h reply breaches it,
    # although the stored verdict (under v1's 4 h) stays met.
    assert states(database)["n1"][:2] == (1, "met")
    attainment = result.result["attainment"]
    assert [(a["metric"], a["met"], a["breached"]) for a in attainment] == [
        ("first_response", 0, 1)
    ]
