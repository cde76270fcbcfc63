"""The review pack on a hand-built store (tests/support/review_pack.py has the story:
seven tickets, two survey answers, two quiz answers, a draft with comments). Today is
Monday 7 December 2026, 12:00 UTC; no review is recorded and the cadence is 3 months,
so the period runs from 7 September 2026. Every figure is worked out by hand below."""

from __future__ import annotations

import datetime as dt

import pytest

from charter.policy.people import Kpis
from charter.services.review import record_review
from charter.services.review_pack import ReviewPack, review_pack
from charter.services.review_pack._kpis import _change
from charter.services.review_pack._period import span_of
from charter.store import Database
from support.review_pack import SURVEY_COMMENTS, TODAY, build


@pytest.fixture
def pack(database: Database, monkeypatch: pytest.MonkeyPatch) -> ReviewPack:
    build(database, monkeypatch)
    found = review_pack(database)
    assert found is not None
    return found


def test_before_the_first_review_the_period_is_one_cadence_back_and_a_year_is_shown(
    pack: ReviewPack,
) -> None:
    # 3 months before 7 December 2026 is 7 September; the tables show January to
    # December 2026 (12 months), and say why. The KPIs' window before: 92 days
    # (7 Sep - 7 Dec, both included), so 7 June to 6 September.
    assert pack.span.words == "from 7 September 2026 to 7 December 2026"
    assert not pack.span.since_review
    assert [m.month for m in pack.span.months] == list(range(1, 13))
    assert "starts in September 2026" in pack.span.months_note
    assert pack.span.previous_start == dt.datetime(2026, 6, 7, tzinfo=dt.UTC)


def test_a_recorded_review_starts_the_period_and_a_long_one_shows_all_its_months() -> None:
    now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    span = span_of(now, dt.date(2025, 10, 20), 12)  # 14 months ago: no note, 15 months
    assert span.since_review and span.months_note == ""
    assert span.months[0] == dt.date(2025, 10, 1) and len(span.months) == 15


def test_kpis_story_first_responses_and_satisfaction_improve_since_june(pack: ReviewPack) -> None:
    # First responses within promise (target at least 80 %): in the period e1, e3, c1
    # met and e2, c2 breached: 3 of 5 = 60 %, missed; before it e5 met and e4
    # breached: 50 %. Better. Satisfaction (a survey answer in place of the imported
    # score, as the dashboard counts it): in the period e1 5, e2 2, e3 4 and c1's
    # answer 5: three of four are 4-5, 75 %; before it 3 and 5: 50 %. Better.
    lines = {k.id: k for k in pack.kpis}
    sla = lines["kpi-sla"]
    assert (sla.target, sla.before, sla.now, sla.met, sla.change, sla.count) == (
        "at least 80 %", "50 %", "60 %", False, "better", 5)  # fmt: skip
    csat = lines["kpi-csat"]
    assert (csat.before, csat.now, csat.change, csat.count) == ("50 %", "75 %", "better", 4)


@pytest.mark.parametrize(
    ("direction", "before", "now", "shown", "change"),
    [
        ("at_least", 0.5, 0.75, ("50 %", "75 %"), "better"),
        ("at_least", 0.75, 0.5, ("75 %", "50 %"), "worse"),
        ("at_most", 7200.0, 3600.0, ("2 h", "1 h"), "better"),
        ("at_most", 3600.0, 7200.0, ("1 h", "2 h"), "worse"),
        # 50.01 % and 49.99 % both read 50 %: what the reader sees did not move.
        ("at_least", 0.5001, 0.4999, ("50 %", "50 %"), "no change"),
    ],
)
def test_a_kpi_moves_better_or_worse_by_its_direction_and_not_below_what_is_shown(
    direction: str, before: float, now: float, shown: tuple[str, str], change: str
) -> None:
    kpis = Kpis.model_validate({"targets": [
        {"id": "k", "metric": "csat", "target": "90%", "direction": direction}]})  # fmt: skip
    target = kpis.targets[0]
    assert _change({"value": before}, {"value": now}, target, shown) == change
    assert _change(None, {"value": now}, target, shown) == "no figure before the period"


def test_each_promise_month_by_month_story_main_misses_in_august_and_november(
    pack: ReviewPack,
) -> None:
    # main (80 % within 2 h): August e5 met, e4 breached: 50 %, broken; November e1,
    # e3 met, e2 breached: 2 of 3 = 66.7 %, broken. chat (50 % within 1 h): November
    # c1 met, c2 breached: 50 %, kept. Every other month decided nothing.
    rows = {p.rule_id: p for p in pack.promises}
    decided = {
        rule: [(c.month.month, c.met, c.breached, c.share, c.kept)
               for c in row.cells if c.met + c.breached]
        for rule, row in rows.items()
    }  # fmt: skip
    assert decided == {
        "main": [(8, 1, 1, "50 %", False), (11, 2, 1, "66.7 %", False)],
        "chat": [(11, 1, 1, "50 %", True)],
    }
    assert rows["main"].promised == "80 %" and rows["main"].cells[0].share == "—"


def test_csat_and_nps_story_a_survey_answer_replaces_the_imported_score(pack: ReviewPack) -> None:
    # Kept: e1, e3, c1; broken: e2, c2 (November); e5 kept, e4 broken (August).
    # November CSAT kept: 5, 4 and c1's survey 5 (replacing its imported 1): 3 of 3 =
    # 100 %; broken: e2's 2: 0 %. NPS kept: e1 10 (promoter), e3 7 (passive): (1 - 0)
    # / 2 = 50; broken: e2 3 (detractor), c2's survey 9 (promoter): 0. August CSAT kept
    # e5's 5: 100 %; broken e4's 3: 0 %.
    months = {m.month.month: m for m in pack.scores.months}
    november = months[11]
    assert (november.csat_kept.value, november.csat_kept.answers) == ("100 %", 3)
    assert (november.csat_broken.value, november.csat_broken.answers) == ("0 %", 1)
    assert (november.nps_kept.value, november.nps_kept.answers) == ("50", 2)
    assert (november.nps_broken.value, november.nps_broken.answers) == ("0", 2)
    assert (months[8].csat_kept.value, months[8].csat_broken.value) == ("100 %", "0 %")
    assert months[8].nps_kept.answers == 0 and months[8].nps_kept.value == "—"
    # Imported: e4, e5 CSAT; e1, e2, e3 CSAT and NPS (8); c1's CSAT is replaced. Surveys: 2.
    assert (pack.scores.imported, pack.scores.surveyed) == (8, 2)


def test_themes_story_both_chat_comments_form_one_theme_tied_to_the_chat_rule(
    pack: ReviewPack,
) -> None:
    # The two survey comments of the period (10 November) are both about waiting on
    # the live chat: one theme of 2, in November, closest to the chat rule's clause.
    assert len(pack.themes) == 1
    theme = pack.themes[0]
    assert (theme.size, theme.by_month) == (2, {"2026-11": 2})
    assert theme.clauses[0][:2] == ("service_levels.rules.chat", "Service levels: Live chat")
    assert sorted(theme.examples) == sorted(SURVEY_COMMENTS.values())


def test_competitors_are_set_beside_the_everyday_promise_of_their_channel(pack: ReviewPack) -> None:
    # E-mail's everyday rule is main (the chat rule names another channel): 2 business
    # hours; chat's is the chat rule: 1 business hour.
    assert [(b.sentence, b.rule_id) for b in pack.benchmarks] == [
        ("first response by email: we promise 2 business hours, Rival 8 hours", "main"),
        ("first response by chat: we promise 1 business hour, Rival 30 minutes", "chat"),
    ]


def test_staff_comments_are_those_on_versions_written_in_the_period_by_clause(
    pack: ReviewPack,
) -> None:
    # Version 1 (written 1 June, before the period) had a comment: left out. Version 2
    # (today): one on the whole version, two on rule main's clause, oldest first.
    grouped = [(g.number, g.clause, [c.body for c in g.comments]) for g in pack.comments]
    assert grouped == [
        (2, "", ["Is three hours still a promise?"]),
        (2, "service_levels.rules.main", ["Rival gives 8 hours", "Keep 80 %"]),
    ]


def test_training_counts_the_people_asked_and_the_answers_per_clause(pack: ReviewPack) -> None:
    # Four accounts (two managers, two agents) must acknowledge version 1; the author
    # did. Two agents answered a question on rule main's clause, one wrongly.
    t = pack.training
    assert (t.people, t.acknowledged, t.passed, t.overdue) == (4, 1, 0, 0)
    rows = [(c.clause_id, c.heading, c.people, c.people_wrong, c.answers, c.wrong)
            for c in t.clauses]  # fmt: skip
    assert rows == [("service_levels.rules.main", "Everything else", 2, 1, 2, 1)]


def test_the_draft_is_backtested_against_the_live_version_promise_by_promise(
    pack: ReviewPack,
) -> None:
    # Version 2 gives main 3 h: e2 (3 h) now meets it; e4 (4 h) still does not. Main:
    # draft 4 of 5 = 80 % (kept, 80 % promised), live 3 of 5 = 60 %: +20 points.
    # Chat is unchanged: 1 of 2 both ways.
    assert pack.draft is not None and (pack.draft.number, pack.draft.live) == (2, 1)
    assert pack.draft.tickets == 7
    lines = {line.rule_id: line for line in pack.draft.lines}
    main = lines["main"]
    assert (main.draft, main.live, main.draft_counts, main.live_counts, main.change) == (
        "80 %", "60 %", "4 of 5", "3 of 5", "+20.0 points")  # fmt: skip
    assert (main.kept_draft, main.kept_live) == (True, False)
    assert (lines["chat"].draft, lines["chat"].change) == ("50 %", "+0.0 points")


def test_a_version_that_is_not_a_draft_is_refused_by_name_and_the_rest_is_read(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(database, monkeypatch)
    found = review_pack(database, draft=1)
    assert found is not None and found.draft is None
    assert found.draft_problem == (
        "draft: version 1 is published, not on its way to publishing; the drafts that can "
        "be backtested are: 2"
    )
    missing = review_pack(database, draft=9)
    assert missing is not None and missing.draft_problem.startswith(
        "draft: the policy has no version 9;"
    )
    assert len(found.kpis) == 2


def test_after_a_review_is_recorded_the_period_starts_on_its_day(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = build(database, monkeypatch)
    record_review(database, story.author, "new_draft", draft=2, now=TODAY)
    found = review_pack(database)
    assert found is not None and found.span.since_review
    assert found.span.words == "from 7 December 2026 to 7 December 2026"
    # One day, 7 December: no ticket was created, so the KPIs have no figure now.
    assert {k.change for k in found.kpis} == {"no figure in the period"}


def test_without_a_version_in_force_there_is_no_pack(database: Database) -> None:
    assert review_pack(database) is None
