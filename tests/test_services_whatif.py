"""The live what-if on stored tickets, counted by hand: one promise tried on the last
twelve months, against today's; the prepared runs kept until a ticket or the version
changes.

The store and its counts are in ``support.whatif``: 2 h meets 2 of 6 decided tickets
(33.3 %), 4 h meets 4 of 5 (80 %).
"""

from __future__ import annotations

import datetime as dt

import pytest

from charter import clock
from charter.errors import Conflict, InvalidInput, NotFound
from charter.services import _whatif_kept as kept
from charter.services.lifecycle import edit_draft, new_draft, transition
from charter.services.tickets import import_tickets
from charter.services.whatif import forget_prepared, try_promise, wait_for_reading, whatif_view
from charter.store import Database
from support.seed import principal_of
from support.ticket_store import publish, result_of
from support.whatif import NOVEMBER, NOW, POLICY, STORY, H, tickets


@pytest.fixture
def store(database: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    forget_prepared()
    monkeypatch.setattr(clock, "now", lambda: NOW)
    publish(database, POLICY, slug="acme")
    import_tickets(database, result_of(STORY), source="desk", batch_size=100)
    return database


def test_six_november_tickets_meet_a_4h_first_response_four_times_where_2h_met_two(
    store: Database,
) -> None:
    answer = try_promise(store, "all", "first_response", within="4h")
    assert (answer.met_now, answer.decided_now) == (2, 6)
    assert (answer.met_then, answer.decided_then) == (4, 5)
    assert answer.tickets == 6  # the 2025 ticket is outside the window
    assert answer.headline == "33.3 % → 80 %, +46.7 points"
    assert answer.detail == (
        "Met 2 of 6 decided tickets within 2h today; 4 of 5 decided tickets within 4h as proposed."
    )
    # 80 % met against a promise of 80 %: kept (at least the share promised).
    assert answer.verdict == "A promise of 80 % would have been kept."
    assert (answer.kept_now, answer.kept_then) == (False, True)


def test_the_view_lists_the_promise_with_todays_share_of_the_window(store: Database) -> None:
    view = whatif_view(store)
    assert (view.slug, view.number, view.operating) == ("acme", 1, True)
    assert (view.months[0], view.months[-1], len(view.months)) == ("2026-01", "2026-12", 12)
    assert view.tickets == 6
    [promise] = view.promises
    assert (promise.rule_id, promise.metric, promise.within, promise.clock) == (
        "all", "first_response", "2h", "24x7"
    )  # fmt: skip
    assert (promise.met, promise.decided, promise.share) == (2, 6, 2 / 6)
    assert promise.within_words == "2 hours"
    assert promise.kept is False  # 33.3 % < 80 %


def test_an_attainment_of_30_percent_is_kept_by_todays_third(store: Database) -> None:
    # Same 2 h: 2 of 6 = 33.3 % >= 30 %: kept; no change in the share.
    answer = try_promise(store, "all", "first_response", attainment="30")
    assert (answer.attainment_then, answer.kept_then, answer.change) == (0.3, True, 0.0)
    assert answer.headline == "33.3 % → 33.3 %, 0 points"
    assert try_promise(store, "all", "first_response", attainment="30 %").attainment_then == 0.3


@pytest.mark.parametrize(
    ("rule", "metric", "within", "attainment", "begins"),
    [
        ("none", "first_response", "4h", "", "rule_id: no rule 'none'; the rules are all"),
        ("all", "resolution", "4h", "", "metric: rule 'all' sets no target for 'resolution'"),
        ("all", "first_response", "4 parsecs", "", "within: '4 parsecs' is not a duration"),
        ("all", "first_response", "0h", "", "within: '0h' is zero"),
        (
            "all",
            "first_response",
            "",
            "150",
            "attainment: '150' is outside 0-100 %; write the share",
        ),
        ("all", "first_response", "", "0", "attainment: '0' is outside 0-100 %"),
        ("all", "first_response", "", "most", "attainment: 'most' is not a percentage"),
    ],
)
def test_what_cannot_be_tried_is_refused_naming_the_field(
    store: Database, rule: str, metric: str, within: str, attainment: str, begins: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        try_promise(store, rule, metric, within=within, attainment=attainment)
    assert str(refused.value).startswith(begins)


def test_a_version_that_is_not_there_is_refused(store: Database) -> None:
    with pytest.raises(NotFound):
        whatif_view(store, "acme", 9)
    with pytest.raises(InvalidInput, match="^version: name the version"):
        whatif_view(store, "other")


def test_with_nothing_in_force_the_what_if_says_to_publish_or_name_a_version(
    database: Database,
) -> None:
    with pytest.raises(Conflict, match="^no version is in force: publish one"):
        whatif_view(database)


def test_a_new_ticket_imported_moves_the_share_at_once(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert whatif_view(store).promises[0].share == 2 / 6
    # t7, created 1 Dec 09:00, answered in 1 h: met under 2 h. 3 of 7.
    later = NOW + dt.timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)
    created = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    import_tickets(store, result_of(tickets(("t7", created, created + H))), source="desk",
                   batch_size=100)  # fmt: skip
    [promise] = whatif_view(store).promises
    assert (promise.met, promise.decided) == (3, 7)


def test_a_ticket_changed_by_a_later_import_moves_the_share(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert whatif_view(store).promises[0].met == 2
    # t5 re-imported with its reply after 1 h, not 5 h: met under 2 h. 3 of 6; the
    # same number of tickets and the same highest id, a later import instant.
    later = NOW + dt.timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)
    import_tickets(store, result_of(tickets(("t5", NOVEMBER, NOVEMBER + H))), source="desk",
                   batch_size=100)  # fmt: skip
    [promise] = whatif_view(store).promises
    assert (promise.met, promise.decided) == (3, 6)


def test_a_new_version_in_force_is_judged_under_its_own_target(store: Database) -> None:
    assert whatif_view(store).promises[0].within == "2h"
    author, reviewer = principal_of(store, "manager"), principal_of(store, "manager")
    draft = new_draft(store, "acme", author)
    edit_draft(store, "acme", draft.number, author, text=POLICY.replace("2h", "4h"),
               change_summary="Four hours")  # fmt: skip
    # The draft, named: 4 h, 4 of 5 (t6 still running). The version in force is still 2 h.
    drafted = whatif_view(store, "acme", draft.number)
    assert (drafted.operating, drafted.promises[0].met, drafted.promises[0].decided) == (
        False, 4, 5,
    )  # fmt: skip
    assert whatif_view(store).promises[0].within == "2h"
    for step, who in (("submit", author), ("approve", reviewer), ("publish", author)):
        transition(store, "acme", draft.number, step, who)
    view = whatif_view(store)  # now in force: the default view follows it
    assert (view.number, view.promises[0].within, view.promises[0].met) == (2, "4h", 4)


def test_a_slow_version_shows_its_last_figures_while_a_new_ticket_is_read_in_the_background(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every preparation counts as slow: the changed tickets are read in the background.
    monkeypatch.setattr(kept, "SLOW", 0.0)
    first = whatif_view(store)
    assert (first.promises[0].met, first.promises[0].decided, first.reading_newer) == (2, 6, False)
    later = NOW + dt.timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)
    created = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    import_tickets(store, result_of(tickets(("t7", created, created + H))), source="desk",
                   batch_size=100)  # fmt: skip
    meanwhile = whatif_view(store)  # the last figures, said to be old: 2 of 6
    assert (meanwhile.promises[0].met, meanwhile.reading_newer) == (2, True)
    wait_for_reading()
    # t7 answered in 1 h: met under 2 h. 3 of 7.
    [promise] = whatif_view(store).promises
    assert (promise.met, promise.decided) == (3, 7)
