"""Taking a version's quiz, refreshers, the onboarding checklist, and the figures a
manager reads, on the training story (support.training): the example policy in force
from Monday 7 December 2026 09:00; its quiz has 10 questions and a pass mark of 80 %.
"""

from __future__ import annotations

import datetime as dt

import pytest

from charter.errors import Conflict, InvalidInput
from charter.policy.clauses import clauses
from charter.services.training import (
    acknowledge,
    answer,
    answer_refresher,
    checklist,
    mark_read,
    refreshers,
    results,
    results_csv,
    start_quiz,
    statements,
)
from charter.store import Database
from charter.training.quiz import questions
from support import EXAMPLE_TEXT
from support.training import V1_AT, digest, make_team, publish_chain, utc

MONDAY_10 = utc("2026-12-07 10:00")


def right_answers() -> dict[str, str]:
    """The answer of every question version 1 gives, from the quiz's own facts (the
    generator's answers are checked by hand in tests/test_training_quiz.py)."""
    from charter.policy import load_policy_text

    return {q.id: q.answer for q in questions(load_policy_text(EXAMPLE_TEXT).policy)}


def wrong_answer(question_id: str, options: tuple[str, ...]) -> str:
    right = right_answers()[question_id]
    return next(o for o in options if o != right) if options else str(int(right) + 1)


def take(database: Database, user: int, wrong: int, at: dt.datetime) -> list[object]:
    """Answer a new quiz with ``wrong`` wrong answers first, the rest right."""
    attempt = start_quiz(database, user, at)
    done = []
    for n, asked in enumerate(attempt.questions):
        given = wrong_answer(asked.id, asked.options) if n < wrong else right_answers()[asked.id]
        done.append(answer(database, user, attempt.id, asked.id, given, at))
    return done


def test_ava_gets_one_wrong_sees_the_clause_and_passes_with_nine_of_ten(
    database: Database,
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    done = take(database, team.ava, 1, MONDAY_10)
    first = done[0]
    assert not first.correct  # type: ignore[attr-defined]
    # The wrong answer comes back with the clause's own text, as the handbook shows it.
    body = {c.id: c.body for c in clauses(load_example())}
    assert first.clause_text == body[first.clause_id]  # type: ignore[attr-defined]
    assert all(d.correct and d.clause_text is None for d in done[1:])  # type: ignore[attr-defined]
    final = done[-1].attempt  # type: ignore[attr-defined]
    # 9 right of 10 = 90 %, over the pass mark of 80 %.
    assert (final.score, final.passed) == (0.9, True)


def load_example() -> object:
    from charter.policy import load_policy_text

    return load_policy_text(EXAMPLE_TEXT).policy


def test_three_wrong_of_ten_is_seventy_percent_and_fails(database: Database) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    final = take(database, team.ben, 3, MONDAY_10)[-1].attempt  # type: ignore[attr-defined]
    assert (final.score, final.passed) == (0.7, False)


def test_a_question_answered_twice_or_not_in_the_quiz_is_refused(database: Database) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    attempt = start_quiz(database, team.ava, MONDAY_10)
    asked = attempt.questions[0]
    answer(database, team.ava, attempt.id, asked.id, right_answers()[asked.id], MONDAY_10)
    with pytest.raises(Conflict, match="answered already"):
        answer(database, team.ava, attempt.id, asked.id, "x", MONDAY_10)
    with pytest.raises(InvalidInput, match="is not in quiz"):
        answer(database, team.ava, attempt.id, "returns#nothing", "x", MONDAY_10)
    with pytest.raises(InvalidInput, match="nothing given"):
        answer(database, team.ava, attempt.id, attempt.questions[1].id, "  ", MONDAY_10)


def test_the_question_ava_got_wrong_comes_back_a_day_later_then_after_three(
    database: Database,
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    missed = take(database, team.ava, 1, MONDAY_10)[0]
    assert refreshers(database, team.ava, utc("2026-12-08 09:59")) == []
    due = refreshers(database, team.ava, utc("2026-12-08 10:00"))  # one day on
    assert [q.clause_id for q in due] == [missed.clause_id]  # type: ignore[attr-defined]
    given = right_answers()[due[0].id]
    assert answer_refresher(database, team.ava, due[0].id, given, utc("2026-12-08 10:00")).correct
    # Right on a due card: the next step, 3 days on.
    assert refreshers(database, team.ava, utc("2026-12-11 09:59")) == []
    assert [q.id for q in refreshers(database, team.ava, utc("2026-12-11 10:00"))] == [due[0].id]


def test_avas_checklist_lists_her_sections_then_acknowledge_and_quiz(database: Database) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    found = checklist(database, team.ava, MONDAY_10)
    # A chat agent reads opening hours, contact points, service levels, delivery,
    # returns, complaints and the staff section; escalation notifies no agent.
    reads = [i.clause_id for i in found.items if i.kind == "read"]
    assert reads == ["calendars", "contact_points", "service_levels", "delivery", "returns",
                     "complaints", "staff"]  # fmt: skip
    assert [i.kind for i in found.items[-2:]] == ["acknowledge", "quiz"]
    assert found.done == 0 and found.deadline == utc("2026-12-12 17:00")
    mark_read(database, team.ava, "returns", MONDAY_10)
    mark_read(database, team.ava, "returns", utc("2026-12-07 11:00"))  # the first stands
    with pytest.raises(InvalidInput, match="not on your checklist"):
        mark_read(database, team.ava, "escalation", MONDAY_10)
    acknowledge(database, team.ava, 1, digest(EXAMPLE_TEXT), MONDAY_10)
    take(database, team.ava, 0, MONDAY_10)
    found = checklist(database, team.ava, MONDAY_10)
    done = {i.clause_id or i.kind: i.done_at for i in found.items if i.done}
    assert done == {"returns": MONDAY_10, "acknowledge": MONDAY_10, "quiz": MONDAY_10}
    assert found.state == "done"
    # Mo, the service manager, is notified by escalation levels: he reads that section.
    assert "escalation" in [i.clause_id for i in checklist(database, team.mo, MONDAY_10).items]


def test_the_manager_sees_completion_per_team_and_the_clause_people_get_wrong(
    database: Database,
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    acknowledge(database, team.ava, 1, digest(EXAMPLE_TEXT), MONDAY_10)
    missed = take(database, team.ava, 1, MONDAY_10)[0]
    found = results(database, now=MONDAY_10)
    by_name = {p.name: p for p in found.people}
    assert by_name["Ava"].state == "done" and by_name["Ava"].best_score == 0.9
    assert by_name["Ben"].state == "due" and by_name["Ben"].attempts == 0
    assert by_name["Ava"].sections == 7 and by_name["Ava"].sections_read == 0
    # UK care: Ava done, Ben not: 1 of 2. Managers: Mo not done: 0 of 1.
    assert [(t.team, t.people, t.done) for t in found.teams] == [
        ("Managers", 1, 0), ("UK care", 2, 1)
    ]  # fmt: skip
    worst = found.clauses[0]
    assert worst.clause_id == missed.clause_id  # type: ignore[attr-defined]
    assert (worst.people_wrong, worst.people, worst.share_wrong) == (1, 1, 1.0)
    # Filters: the CSV holds exactly the rows the filter keeps.
    due = results(database, state="due", now=MONDAY_10)
    lines = results_csv(due).strip().split("\r\n")
    assert len(lines) == 1 + len(due.people) == 3  # Ben and Mo
    assert lines[0].startswith("name,email,team,role,version")
    with pytest.raises(InvalidInput, match="state 'late'"):
        results(database, state="late", now=MONDAY_10)


def test_learning_records_hold_avas_acknowledgment_answers_and_result(database: Database) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    acknowledge(database, team.ava, 1, digest(EXAMPLE_TEXT), MONDAY_10)
    take(database, team.ava, 1, MONDAY_10)
    found = statements(database, "https://charter.larkfield.example", MONDAY_10)
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in found]
    # One acknowledgment, ten answers, one passed quiz.
    assert verbs.count("accept") == 1 and verbs.count("answered") == 10
    assert verbs.count("passed") == 1 and len(found) == 12
    assert {s["actor"]["mbox"] for s in found} == {"mailto:ava@larkfield.example"}
    answered = [s for s in found if s["verb"]["id"].endswith("answered")]
    assert all(s["object"]["id"].startswith("https://charter.larkfield.example/handbook#")
               for s in answered)  # fmt: skip


def test_avas_quiz_for_version_two_asks_about_live_chat_first(database: Database) -> None:
    from support.training import example

    slower = ("first_response: {within: 5m, clock: uk-support, attainment: 90%}=>"
              "first_response: {within: 10m, clock: uk-support, attainment: 90%}")  # fmt: skip
    publish_chain(database, (EXAMPLE_TEXT, V1_AT), (example(chat=slower), utc("2026-12-14 09:00")))
    team = make_team(database)
    attempt = start_quiz(database, team.ava, utc("2026-12-14 10:00"))
    assert attempt.version_number == 2
    # Version 2 asked Ava again because of rule sl-chat: its questions come first.
    clause_ids = [q.clause_id for q in attempt.questions]
    first = [c for c in clause_ids if c == "service_levels.rules.sl-chat"]
    assert first and clause_ids[: len(first)] == first
    # Ben (e-mail) was not asked again; his quiz is still the version in force, as what
    # it asks must be true now, with no clause first.
    ben = start_quiz(database, team.ben, utc("2026-12-14 10:00"))
    assert ben.version_number == 2
