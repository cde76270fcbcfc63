"""Properties of the quiz for random valid policies: one right option, no two options
alike in words or meaning, all of one kind, cited clauses that exist, and answers that
are the policy's own values."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings

from charter.policy import Policy
from charter.policy.calendar import WEEKDAYS
from charter.policy.clauses import clauses
from charter.training.quiz import TOPICS, Question, is_correct, questions
from support.policies import option_value, policies

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(policies())
def test_every_choice_has_one_right_option_and_no_two_alike(policy: Policy) -> None:
    for question in questions(policy):
        if question.form != "choice":
            continue
        assert 3 <= len(question.options) <= 4, question
        assert question.unit is None
        assert [is_correct(question, o) for o in question.options].count(True) == 1, question
        words = [" ".join(o.casefold().split()).rstrip(".") for o in question.options]
        assert len(set(words)) == len(words), question
        # Every option reads as the question's kind, and no two mean the same.
        values = [option_value(question.kind, o) for o in question.options]
        assert len(set(values)) == len(values), question


@SETTINGS
@given(policies())
def test_every_number_question_has_a_number_answer_in_its_unit(policy: Policy) -> None:
    for question in questions(policy):
        if question.form != "number":
            continue
        assert question.options == () and question.unit
        assert float(question.answer) >= 0
        assert is_correct(question, question.answer)
        assert is_correct(question, f"{question.answer} {question.unit}")


@SETTINGS
@given(policies())
def test_every_question_cites_a_clause_of_its_policy_under_a_unique_id(policy: Policy) -> None:
    known = {clause.id for clause in clauses(policy)}
    made = questions(policy)
    assert len({q.id for q in made}) == len(made)
    for question in made:
        assert question.clause_id in known, question
        assert question.id.startswith(question.clause_id + "#")
        assert question.topic in TOPICS


@SETTINGS
@given(policies())
def test_the_answer_is_the_cited_clauses_value(policy: Policy) -> None:
    for question in questions(policy):
        expected = _expected(policy, question)
        if expected is not None:
            assert option_value(question.kind, question.answer) == expected, question


def _expected(policy: Policy, question: Question) -> object:
    """The answer worked out from the cited clause, independently of the quiz code, for
    the facts whose right answer is one value; None for the others."""
    clause, key = question.id.split("#")
    section, _, item = clause.partition(".")
    if section == "service_levels":
        rule = next(r for r in policy.service_levels.rules if clause.endswith("." + r.id))
        target = rule.targets[key]  # type: ignore[index]
        if target.within.working_days:
            return ("wd", target.within.working_days, target.clock)
        return ("s", target.within.seconds, target.clock)
    if section == "calendars" and key.startswith("hours."):
        calendar = next(c for c in policy.calendars if c.id == item)
        hours = calendar.weekly.get(key.removeprefix("hours."), [])  # type: ignore[call-overload]
        assert key.removeprefix("hours.") in WEEKDAYS
        return tuple(sorted(set(hours)))
    if section == "calendars" and key.startswith("date."):
        calendar = next(c for c in policy.calendars if c.id == item)
        day = dt.date.fromisoformat(key.removeprefix("date."))
        if day in calendar.special:
            return tuple(sorted(set(calendar.special[day])))
        if day in calendar.holidays.closed_dates(day.year, day.year):
            return ()
        return tuple(sorted(set(calendar.weekly.get(WEEKDAYS[day.weekday()], []))))
    if section == "delivery":
        promise = next(p for p in policy.delivery if p.id == item)
        days = getattr(promise, key)
        return (days.min, days.max)
    if section == "escalation" and key == "notify":
        level = next(lv for lv in policy.escalation if lv.id == item)
        names = {r.id: r.name for r in policy.staff.roles} if policy.staff else {}
        return frozenset(names.get(who, who) for who in level.notify)
    return None


@SETTINGS
@given(policies())
def test_where_several_texts_are_right_only_one_is_offered(policy: Policy) -> None:
    # "Which of these is one of our courtesy standards?": every standard is right, so one
    # only may be an option; "whose responsibility is this?": every role that has it.
    staff = policy.staff
    for question in questions(policy):
        if question.topic == "courtesy":
            assert staff is not None
            standards = {option_value("text", c.text) for c in staff.courtesy}
            right = [o for o in question.options if option_value("text", o) in standards]
            assert right == [question.answer], question
        if question.topic == "roles":
            assert staff is not None
            duty = question.prompt.split("“")[1].split("”")[0]
            having = {
                r.name
                for r in staff.roles
                if option_value("text", duty)
                in {option_value("text", t) for t in r.responsibilities}
            }
            assert [o for o in question.options if o in having] == [question.answer], question
