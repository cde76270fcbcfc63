"""The themes service: comments of a policy and period gathered from every source, the
themes found in them, and managers' names, merges and pins kept in the store and laid
on each fresh run (issue 17, point 3), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from charter.errors import Forbidden, InvalidInput, NotFound
from charter.feedback.themes import Theme
from charter.services import feedback_themes as service
from charter.services.feedback_themes import _gather
from charter.services.lifecycle import operating_version
from charter.store import Database
from charter.store import feedback as feedback_store
from charter.store.models import SurveyInvitation, Ticket
from support.comments import comments, labelled
from support.seed import SLUG, principal_of, publish_example

SINCE = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
UNTIL = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_memory() -> None:
    _gather._FOUND.clear()


def seed(database: Database) -> None:
    """The example policy published and the 86 labelled comments left on its sections."""
    publish_example(database)
    live = operating_version(database)
    assert live is not None
    with database.transaction() as session:
        for c in comments():
            feedback_store.add_rating(session, version_id=live.id, section="returns", clear=None,
                                      fair=None, comment=c.text, address_hash="x",
                                      created_at=c.at)  # fmt: skip


def theme_with(found: list[service.ThemeSummary], term: str) -> service.ThemeSummary:
    (theme,) = [t for t in found if term in t.top_terms[:3]]
    return theme


def chat_theme(found: list[service.ThemeSummary]) -> service.ThemeSummary:
    return max(found, key=lambda t: sum("chat" in term for term in t.top_terms))


def test_review_themes_gives_the_labelled_groups_with_their_clauses(database: Database) -> None:
    seed(database)
    found = service.review_themes(database, SLUG, SINCE, UNTIL)
    # Five groups of 18, 18, 17, 17, 16; the United States delivery joins the refunds.
    assert sorted(t.size for t in found) == [16, 17, 17, 17, 19]
    refunds = found[0]
    assert refunds.size == 19 and refunds.clauses[0][:2] == ("returns", "Returns and refunds")
    assert sum(refunds.by_month.values()) == 19 and len(refunds.examples) == 3
    assert chat_theme(found).clauses[0][:2] == (
        "service_levels.rules.sl-chat", "Service levels: Live chat",
    )  # fmt: skip
    assert not any(t.pinned for t in found)


def test_the_period_takes_comments_from_since_up_to_before_until(database: Database) -> None:
    seed(database)
    # support.comments dates each group's comments in September, October, November in
    # turn; from 1 November only November's count (support.comments.MONTHS):
    # refunds 6, delivery 6, chat 5, courtesy 5, saturday 5 = 27 of the 86.
    november = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    view = service.themes_view(database, SLUG, november, UNTIL)
    expected = sum(1 for item in labelled() if item.comment.at >= november)
    assert view.comments == view.total == expected == 27
    assert view.by_source == {"survey": 0, "policy": 27, "import": 0}


def test_survey_and_imported_comments_join_the_policy_s(database: Database) -> None:
    seed(database)
    at = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    with database.transaction() as session:
        session.add(Ticket(id=900, source="t", source_id="900", created_at=at, solved_at=at,
                           csat_comment="Live chat took forty minutes to answer",
                           content_hash="h", imported_at=at))  # fmt: skip
        session.add(SurveyInvitation(ticket_id=901, version_id=1, kind="csat", email="a@x.test",
                                     solved_at=at, due_at=at, state="answered", score=2,
                                     comment="Waited on live chat for thirty minutes",
                                     reasons=[], answered_at=at))  # fmt: skip
    view = service.themes_view(database, SLUG, SINCE, UNTIL)
    assert view.by_source == {"survey": 1, "policy": 86, "import": 1}
    assert chat_theme(view.themes).size == 17 + 2  # both about waiting on live chat


def test_a_name_a_merge_and_a_pin_survive_finding_the_themes_again(database: Database) -> None:
    seed(database)
    manager = principal_of(database, "manager")
    first = service.review_themes(database, SLUG, SINCE, UNTIL)
    chat, refunds = chat_theme(first), first[0]
    delivery = theme_with(first, "courier")
    service.rename_theme(database, manager, SLUG, chat.key, "  Waiting on chat ")
    service.merge_theme(database, manager, SLUG, delivery.key, refunds.key)
    service.add_pin(database, manager, SLUG, "calendars.uk-support", '"live chat" AND saturday')
    _gather._FOUND.clear()  # found again from the comments, as after a restart
    again = service.review_themes(database, SLUG, SINCE, UNTIL)
    # Chat named; delivery (17) merged into refunds (19): 36, keeping refunds' key.
    assert [t.name for t in again if t.key == chat.key] == ["Waiting on chat"]
    merged = next(t for t in again if t.key == refunds.key)
    assert merged.size == 19 + 17 and len(again) == 4
    assert delivery.key not in {t.key for t in again}
    # No labelled comment says "live chat" and Saturday: the pin places nothing.
    assert not any(t.pinned for t in again)


def test_a_pin_pulls_the_united_states_delivery_into_the_delivery_theme(database: Database) -> None:
    seed(database)
    manager = principal_of(database, "manager")
    before = service.review_themes(database, SLUG, SINCE, UNTIL)
    delivery = theme_with(before, "courier")
    assert delivery.size == 17  # the 18th delivery comment, about the United States, is
    clause = delivery.clauses[0][0]  # ... in the refunds theme (19)
    pin = service.add_pin(database, manager, SLUG, clause, '"United States"')
    assert (pin.clause_id, pin.query, pin.pinned_by, pin.active) == (
        clause, '"United States"', manager.id, True,
    )  # fmt: skip
    after = service.review_themes(database, SLUG, SINCE, UNTIL)
    moved = next(t for t in after if t.key == delivery.key)
    assert moved.size == 18 and moved.pinned
    assert after[0].size == 18  # refunds: 19 - 1
    service.remove_pin(database, manager, SLUG, pin.id)
    back = service.review_themes(database, SLUG, SINCE, UNTIL)
    assert next(t for t in back if t.key == delivery.key).size == 17


@pytest.mark.parametrize(
    "query, message",
    [
        ("refund AND", "Pin query 'refund AND', column 8: AND needs a word"),
        ('late "phone line', "column 6: this quote is never closed"),
        ("", "column 1: the query is empty"),
    ],
)
def test_a_bad_pin_query_is_refused_with_its_column_and_nothing_is_saved(
    database: Database, query: str, message: str
) -> None:
    seed(database)
    manager = principal_of(database, "manager")
    with pytest.raises(InvalidInput, match=message):
        service.add_pin(database, manager, SLUG, "returns", query)
    assert service.themes_view(database, SLUG, SINCE, UNTIL).pins == []


def test_a_pin_on_a_clause_the_policy_does_not_have_is_refused(database: Database) -> None:
    seed(database)
    with pytest.raises(InvalidInput, match="'returns.nope' is not a clause of larkfield"):
        service.add_pin(database, principal_of(database, "admin"), SLUG, "returns.nope", "x")


def test_merging_back_the_other_way_is_refused_and_a_merge_can_be_undone(
    database: Database,
) -> None:
    seed(database)
    manager = principal_of(database, "manager")
    service.merge_theme(database, manager, SLUG, "a / b / c", "d / e / f")
    with pytest.raises(InvalidInput, match="already merged into"):
        service.merge_theme(database, manager, SLUG, "d / e / f", "a / b / c")
    with pytest.raises(InvalidInput, match="choose another theme"):
        service.merge_theme(database, manager, SLUG, "a / b / c", "a / b / c")
    service.unmerge_theme(database, manager, SLUG, "a / b / c")
    assert service.themes_view(database, SLUG, SINCE, UNTIL).merges == {}
    with pytest.raises(NotFound, match="is not merged"):
        service.unmerge_theme(database, manager, SLUG, "a / b / c")


def test_agents_read_the_themes_but_do_not_shape_them(database: Database) -> None:
    seed(database)
    agent = principal_of(database, "agent")
    assert service.review_themes(database, SLUG, SINCE, UNTIL)
    with pytest.raises(Forbidden, match="only managers and admins rename a theme"):
        service.rename_theme(database, agent, SLUG, "a / b / c", "x")
    with pytest.raises(Forbidden):
        service.add_pin(database, agent, SLUG, "returns", "refund")
    with pytest.raises(Forbidden):
        service.merge_theme(database, agent, SLUG, "a / b / c", "d / e / f")


@pytest.mark.parametrize(
    "since, until, message",
    [
        (UNTIL, SINCE, "the period must start before it ends"),
        (dt.datetime(2026, 9, 1), UNTIL, "since: 2026-09-01 00:00:00 has no timezone"),
    ],
)
def test_a_period_that_is_not_one_is_refused(
    database: Database, since: dt.datetime, until: dt.datetime, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        service.review_themes(database, SLUG, since, until)


def test_a_name_of_nothing_or_over_100_characters_is_refused(database: Database) -> None:
    seed(database)
    manager = principal_of(database, "manager")
    for name in ("   ", "x" * 101):
        with pytest.raises(InvalidInput, match="1 to 100 characters"):
            service.rename_theme(database, manager, SLUG, "a / b / c", name)


def test_the_second_look_comes_from_memory(database: Database) -> None:
    seed(database)
    first = service.themes_view(database, SLUG, SINCE, UNTIL)
    second = service.themes_view(database, SLUG, SINCE, UNTIL)
    assert (first.from_memory, second.from_memory) == (False, True)
    assert second.themes == first.themes


def test_new_comments_show_once_five_minutes_have_passed_since_the_last_run(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(database)
    first = service.themes_view(database, SLUG, SINCE, UNTIL)
    live = operating_version(database)
    assert live is not None
    with database.transaction() as session:
        feedback_store.add_rating(
            session,
            version_id=live.id,
            section="returns",
            clear=None,
            fair=None,
            comment="Live chat took an hour to answer",
            address_hash="y",
            created_at=UNTIL - dt.timedelta(days=1),
        )
    soon = service.themes_view(database, SLUG, SINCE, UNTIL)
    assert (soon.comments, soon.from_memory) == (86, True)  # the run of a moment ago
    monkeypatch.setattr(_gather, "REUSE", 0)  # as five minutes later
    later = service.themes_view(database, SLUG, SINCE, UNTIL)
    assert (later.comments, later.from_memory) == (87, False)
    assert first.found_at <= later.found_at


def test_the_same_pin_twice_on_one_clause_is_refused(database: Database) -> None:
    seed(database)
    manager = principal_of(database, "manager")
    service.add_pin(database, manager, SLUG, "returns", "refund*")
    with pytest.raises(InvalidInput, match="'refund\\*' is already pinned to Returns and refunds"):
        service.add_pin(database, manager, SLUG, "returns", "  refund* ")
    service.add_pin(database, manager, SLUG, "complaints", "refund*")  # another clause: kept
    assert len(service.themes_view(database, SLUG, SINCE, UNTIL).pins) == 2


def test_a_comment_written_twice_is_one_example() -> None:
    # Comments a, b, c say the same (c with a double space), d and e differ; most typical
    # first: a, b, c, d, e. The examples are the first three different texts: a's, d's, e's.
    texts = {"a": "Live chat took forty minutes.", "b": "Live chat took forty minutes.",
             "c": "Live chat  took forty minutes.", "d": "Waited on live chat.",
             "e": "Live chat was slow."}  # fmt: skip
    theme = Theme("t", "chat", ("chat",), tuple(texts), ("a", "b", "c"), {}, (), key="chat")
    assert service._examples(theme, texts) == [
        "Live chat took forty minutes.", "Waited on live chat.", "Live chat was slow.",
    ]  # fmt: skip
