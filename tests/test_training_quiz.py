"""Quizzes generated from the policy's facts: the example policy's questions, worked out
by hand from example.yaml, the distractors' checks, changed clauses first, and how
typed answers are read."""

from __future__ import annotations

import pytest

from charter.policy import Policy, load_policy_text
from charter.policy.clauses import clauses
from charter.training.quiz import TOPICS, Question, is_correct, questions, quiz
from support import EXAMPLE_TEXT
from support.policies import option_value

EXAMPLE = load_policy_text(EXAMPLE_TEXT).policy


def asked(question_id: str, policy: Policy = EXAMPLE, **kwargs: object) -> Question:
    found = {q.id: q for q in questions(policy, **kwargs)}  # type: ignore[arg-type]
    assert question_id in found, sorted(found)
    return found[question_id]


def wrong_options(question: Question) -> set[str]:
    return set(question.options) - {question.answer}


# ---- the example policy, by hand from example.yaml --------------------------------------

UK = "on calendar uk-support"
SL = "service_levels.rules."


@pytest.mark.parametrize(
    ("question_id", "words", "answer"),
    [
        # A live chat ticket of normal priority: sl-urgent wants priority urgent, sl-us
        # segment us (the ticket has none), sl-chat channel chat: it matches, first
        # response within 5m on uk-support.
        (f"{SL}sl-chat#first_response", "chat", f"5 business minutes {UK}"),
        # Live chat resolution: 1d on 24x7, a day of real time.
        (f"{SL}sl-chat#resolution", "chat", "1 day around the clock (24x7)"),
        # E-mail, high priority: not urgent, no segment, not chat, not phone; sl-email-high
        # (email and high) matches: 4h on uk-support.
        (f"{SL}sl-email-high#first_response", "high-priority", f"4 business hours {UK}"),
        # An urgent phone call: sl-urgent is the first rule and matches on priority alone,
        # so its 1h wins over sl-phone's 2h, which matches the call too.
        (f"{SL}sl-urgent#first_response", "urgent-priority", f"1 business hour {UK}"),
        # A US customer (segment us), not urgent: sl-us, 4h on the New York desk's calendar.
        (f"{SL}sl-us#first_response", "segment us", "4 business hours on calendar us-support"),
        # Everything else (an e-mail of normal priority): sl-default, next response 12h.
        (f"{SL}sl-default#next_response", "email", f"12 business hours {UK}"),
    ],
)  # fmt: skip
def test_a_service_level_question_names_a_ticket_the_rule_governs_and_its_target(
    question_id: str, words: str, answer: str
) -> None:
    question = asked(question_id)
    assert (question.form, question.kind, question.topic) == (
        "choice",
        "duration",
        "service levels",
    )
    assert words in question.prompt
    assert question.answer == answer
    assert question.answer in question.options and len(question.options) in (3, 4)


def test_an_urgent_phone_call_is_asked_where_first_match_decides() -> None:
    # sl-urgent governs urgent tickets on every channel; on the phone, sl-phone (a later,
    # specific rule) would match too, so that is the ticket the question names.
    question = asked("service_levels.rules.sl-urgent#first_response")
    assert "urgent-priority ticket on the phone channel" in question.prompt


def test_the_ticket_asked_about_is_one_a_later_specific_rule_also_matches() -> None:
    # Urgent tickets on e-mail and on chat both reach rule "urgent" first; only on chat
    # does a later specific rule ("chat", 5m) match too, so the question names a chat
    # ticket: there the answer (1h) is the lesson of first match, not the obvious 5m.
    policy = load_policy_text("""
organisation: {name: Acme, mission: Delight}
contact_points:
  - {id: mail, channel: email, address: a@acme.example}
  - {id: live, channel: chat, address: https://acme.example/chat}
service_levels:
  rules:
    - {id: urgent, when: {priority: [urgent]}, targets: {first_response: {within: 1h, clock: 24x7}}}
    - {id: chat, when: {channel: [chat]}, targets: {first_response: {within: 5m, clock: 24x7}}}
    - {id: rest, targets: {first_response: {within: 8h, clock: 24x7}}}
""").policy
    question = asked(f"{SL}urgent#first_response", policy)
    assert "an urgent-priority ticket on the chat channel" in question.prompt
    assert question.answer == "1 hour around the clock (24x7)"
    assert "5 minutes around the clock (24x7)" in question.options


def test_a_targets_distractors_are_other_rules_targets_for_the_same_metric() -> None:
    # First responses in example.yaml: sl-us 4h (us-support), sl-chat 5m, sl-phone 2h,
    # sl-email-high 4h, sl-default 8h (uk-support). sl-urgent's 1h is the answer.
    siblings = {
        "4 business hours on calendar us-support", f"5 business minutes {UK}",
        f"2 business hours {UK}", f"4 business hours {UK}", f"8 business hours {UK}",
    }  # fmt: skip
    question = asked("service_levels.rules.sl-urgent#first_response")
    assert len(question.options) == 4
    assert wrong_options(question) <= siblings


def test_a_rule_without_a_metric_is_not_asked_about_it() -> None:
    # sl-chat promises no next response: a chat ticket has none.
    ids = {q.id for q in questions(EXAMPLE)}
    assert "service_levels.rules.sl-chat#next_response" not in ids
    assert "service_levels.rules.sl-phone#next_response" not in ids


@pytest.mark.parametrize(
    ("question_id", "answer", "unit"),
    [
        ("returns#window_days", "30", "days"),  # window_days: 30
        ("returns#refund.within", "5", "working days"),  # refund within 5wd
        ("complaints.stages.complaint-front-line#within", "2", "working days"),  # 2wd
        ("complaints.stages.complaint-review#within", "10", "working days"),  # 10wd
    ],
)
def test_a_number_question_asks_for_the_value_in_its_unit(
    question_id: str, answer: str, unit: str
) -> None:
    question = asked(question_id)
    assert (question.form, question.options, question.answer, question.unit) == (
        "number", (), answer, unit,
    )  # fmt: skip


def test_the_refund_method_is_original_payment_among_the_other_methods() -> None:
    # refund.method: original_payment; the others are the methods a policy may name.
    question = asked("returns#refund.method")
    assert question.answer == "original payment"
    assert set(question.options) == {
        "original payment", "store credit", "exchange", "customer choice",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        ("delivery.delivery-uk-express#transit_days", "1 business day"),  # min 1, max 1
        ("delivery.delivery-uk-express#handling_days", "0 business days"),  # min 0, max 0
        ("delivery.delivery-uk-standard#transit_days", "2–3 business days"),
        ("delivery.delivery-us-standard#transit_days", "5–8 business days"),
    ],
)
def test_delivery_days_per_region_and_method(question_id: str, answer: str) -> None:
    question = asked(question_id)
    assert (question.kind, question.answer) == ("day range", answer)


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        ("calendars.uk-support#hours.mon", "08:00–20:00"),
        ("calendars.uk-support#hours.sat", "09:00–13:00 and 14:00–17:00"),  # lunch break
        ("calendars.uk-support#hours.sun", "closed"),  # no sun: in weekly
        ("calendars.us-support#hours.mon", "09:00–18:00"),
        ("calendars.uk-support#date.2026-12-24", "09:00–12:00"),  # special: mornings only
        ("calendars.uk-support#date.2026-12-25", "closed"),  # Christmas Day, GB-ENG holiday
        ("calendars.uk-support#date.2026-12-29", "closed"),  # holidays.dates
        ("calendars.uk-support#date.2026-12-31", "09:00–15:00"),  # special
        ("calendars.us-support#date.2026-07-03", "closed"),  # Independence Day observed (Fri)
    ],
)
def test_opening_hours_of_a_contact_desk_on_a_weekday_and_on_its_dated_exceptions(
    question_id: str, answer: str
) -> None:
    question = asked(question_id)
    assert (question.kind, question.answer) == ("opening hours", answer)
    assert question.clause_id == question_id.split("#")[0]


def test_a_holiday_question_names_the_desk_and_the_day() -> None:
    question = asked("calendars.uk-support#date.2026-12-25")
    assert question.topic == "holidays"
    assert "Friday 25 December 2026" in question.prompt
    assert "UK customer care line" in question.prompt and "Live chat" in question.prompt
    # Its usual Friday hours are the most tempting wrong answer.
    assert "08:00–20:00" in question.options


def test_the_warehouse_keeps_no_contact_desk_and_is_not_asked_about() -> None:
    assert not [q for q in questions(EXAMPLE) if q.clause_id == "calendars.warehouse"]


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        ("escalation.esc-first-response-warning#notify", "Team lead"),
        ("escalation.esc-resolution-late#notify",
         "Customer service manager and escalations@larkfield.example"),
        ("escalation.esc-first-response-warning#at", "at 75% of the target time"),
        ("escalation.esc-resolution-late#at", "4h after breach"),
        ("complaints.stages.complaint-review#owner_role", "Customer service manager"),
        ("staff.roles.team-lead#responsibility.1", "Team lead"),
    ],
)  # fmt: skip
def test_escalation_complaint_owners_and_roles_by_name(question_id: str, answer: str) -> None:
    assert asked(question_id).answer == answer


def test_a_courtesy_question_offers_one_standard_and_principles_or_responsibilities() -> None:
    assert EXAMPLE.staff is not None
    standards = {c.text for c in EXAMPLE.staff.courtesy}
    duties = {text for role in EXAMPLE.staff.roles for text in role.responsibilities}
    others = {p.text for p in EXAMPLE.principles} | duties
    for key in ("courtesy-name", "courtesy-next-step", "courtesy-no-blame"):
        question = asked(f"staff.courtesy.{key}#standard")
        assert [o for o in question.options if o in standards] == [question.answer]
        assert wrong_options(question) <= others


def test_every_question_of_the_example_cites_a_clause_of_the_policy() -> None:
    known = {clause.id for clause in clauses(EXAMPLE)}
    made = questions(EXAMPLE)
    assert {q.clause_id for q in made} <= known
    assert len({q.id for q in made}) == len(made)
    assert {q.topic for q in made} == set(TOPICS)


# ---- distractors are checked by value -----------------------------------------------------

SAME_VALUES = """
organisation: {name: Acme, mission: Delight}
calendars:
  - id: desk
    timezone: Europe/London
    weekly: {mon: ["09:00-12:00", "13:00-17:00"], tue: ["13:00-17:00", "09:00-12:00"]}
contact_points: [{id: cp, channel: email, address: a@acme.example, calendar: desk}]
principles:
  - {id: p1, title: Names, text: "greet the customer by name"}
  - {id: p2, title: Own, text: Own it.}
  - {id: p3, title: Plain, text: Plain words.}
service_levels:
  rules:
    - {id: a, when: {priority: [urgent]}, targets: {first_response: {within: 1h, clock: desk}}}
    - {id: b, when: {priority: [high]}, targets: {first_response: {within: 60m, clock: desk}}}
    - {id: c, when: {priority: [low]}, targets: {first_response: {within: 1h0m, clock: desk}}}
    - {id: d, when: {priority: [normal]}, targets: {first_response: {within: 2h, clock: desk}}}
    - id: e
      targets: {first_response: {within: 1d, clock: 24x7}, resolution: {within: 24h, clock: 24x7}}
staff:
  courtesy: [{id: c1, text: Greet the customer by name.}]
"""


def test_a_distractor_equal_to_the_answer_in_value_but_not_in_words_is_never_offered() -> None:
    # Rules b (60m) and c (1h0m) promise what rule a promises (1h on desk); rule e's 1d
    # and 24h on 24x7 are one value too. The principle "greet the customer by name" is the
    # courtesy standard in other words. None of them may be offered as wrong.
    policy = load_policy_text(SAME_VALUES).policy
    urgent = asked("service_levels.rules.a#first_response", policy)
    values = [option_value("duration", o) for o in urgent.options]
    assert values.count(("s", 3600, "desk")) == 1
    assert len(set(values)) == len(values) == 4
    courtesy = asked("staff.courtesy.c1#standard", policy)
    assert set(courtesy.options) == {"Greet the customer by name.", "Own it.", "Plain words."}


def test_a_desk_open_the_same_hours_on_two_days_is_not_offered_twice() -> None:
    # Monday's and Tuesday's hours are written in another order but are one value: one
    # question asks about them (Mondays), and Tuesday's is not a distractor of it.
    policy = load_policy_text(SAME_VALUES).policy
    question = asked("calendars.desk#hours.mon", policy)
    assert question.answer == "09:00–12:00 and 13:00–17:00"
    assert question.options.count(question.answer) == 1
    assert len({option_value("opening hours", o) for o in question.options}) == len(
        question.options
    )
    assert "calendars.desk#hours.tue" not in {q.id for q in questions(policy)}


def test_another_right_answer_is_never_offered_as_a_wrong_one() -> None:
    # Both texts are courtesy standards, and principle p3 words the second one again:
    # asked about the first, p3 is right too and is not offered. "Answer." is the duty
    # of two roles: asked about the agent's, the lead is right too; the deputy is not,
    # but is called Lead as well, so offering it would read as right. Only the manager
    # and the clerk are wrong.
    policy = load_policy_text("""
organisation: {name: Acme, mission: Delight}
principles:
  - {id: p1, title: Own, text: Own it.}
  - {id: p2, title: Plain, text: Plain words.}
  - {id: p3, title: Next, text: say what happens next}
staff:
  roles:
    - {id: agent, name: Agent, responsibilities: [Answer.]}
    - {id: lead, name: Lead, responsibilities: [Answer.]}
    - {id: deputy, name: Lead}
    - {id: manager, name: Manager, responsibilities: [Review.]}
    - {id: clerk, name: Clerk}
  courtesy:
    - {id: c1, text: Greet by name.}
    - {id: c2, text: Say what happens next.}
""").policy
    courtesy = asked("staff.courtesy.c1#standard", policy)
    assert set(courtesy.options) == {"Greet by name.", "Own it.", "Plain words.", "Answer."}
    duty = asked("staff.roles.agent#responsibility.1", policy)
    assert set(duty.options) == {"Agent", "Manager", "Clerk"}


def test_a_fact_with_fewer_than_two_wrong_options_is_not_asked() -> None:
    # Two roles: "which role does X" has one wrong option only.
    policy = load_policy_text("""
organisation: {name: Acme, mission: Delight}
staff:
  roles:
    - {id: agent, name: Agent, responsibilities: [Answer.]}
    - {id: lead, name: Lead, responsibilities: [Watch.]}
""").policy
    assert questions(policy) == []


def test_a_rule_no_ticket_reaches_is_not_asked_about() -> None:
    # Rule "all" matches every ticket first, so "later" governs none.
    policy = load_policy_text("""
organisation: {name: Acme, mission: Delight}
service_levels:
  rules:
    - id: all
      targets: {first_response: {within: 1h, clock: 24x7}, resolution: {within: 2d, clock: 24x7}}
    - {id: later, when: {channel: [chat]}, targets: {first_response: {within: 5m, clock: 24x7}}}
""").policy
    assert {q.clause_id for q in questions(policy)} == {"service_levels.rules.all"}


# ---- changed clauses first -----------------------------------------------------------------


def test_questions_about_changed_clauses_come_first_then_in_the_policys_order() -> None:
    changed = {"delivery.delivery-uk-express", "returns"}
    made = questions(EXAMPLE, changed=changed)
    first = [q.clause_id for q in made[:5]]
    # returns comes after delivery in the document: delivery's 2 questions, returns' 3.
    assert first == ["delivery.delivery-uk-express"] * 2 + ["returns"] * 3
    position = {clause.id: clause.position for clause in clauses(EXAMPLE)}
    rest = [position[q.clause_id] for q in made[5:]]
    assert rest == sorted(rest) and not changed & {q.clause_id for q in made[5:]}


def test_a_quiz_for_a_new_version_asks_about_the_changed_clauses_first() -> None:
    made = quiz(EXAMPLE, 6, changed={"returns"})
    assert [q.clause_id for q in made[:3]] == ["returns"] * 3
    # The other three come from three different topics, none of them refunds.
    assert len({q.topic for q in made[3:]}) == 3 and "refunds" not in {q.topic for q in made[3:]}


def test_a_quiz_spreads_over_the_topics_and_is_the_same_for_a_seed() -> None:
    # Nine topics in the example: nine questions ask about each once.
    assert {q.topic for q in quiz(EXAMPLE, 9, seed=4)} == set(TOPICS)
    assert quiz(EXAMPLE, 10, seed=4) == quiz(EXAMPLE, 10, seed=4)
    assert len({tuple(q.id for q in quiz(EXAMPLE, 10, seed=s)) for s in range(5)}) > 1
    assert len(quiz(EXAMPLE, 500)) == len(questions(EXAMPLE))


def test_the_seed_orders_the_options_and_nothing_else() -> None:
    one, other = questions(EXAMPLE, seed=1), questions(EXAMPLE, seed=2)
    assert [q.id for q in one] == [q.id for q in other]
    assert [sorted(q.options) for q in one] == [sorted(q.options) for q in other]
    assert [q.options for q in one] != [q.options for q in other]


# ---- reading an answer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "right"),
    [
        ("30", True), (" 30 ", True), ("30 days", True), ("30 Days", True), ("30d", True),
        ("30,0", True), ("30.0 days", True), ("31", False), ("30 hours", False),
        ("thirty", False), ("", False), ("30 days 2", False),
    ],
)  # fmt: skip
def test_a_number_answer_tolerates_spaces_a_unit_word_and_a_decimal_comma(
    given: str, right: bool
) -> None:
    assert is_correct(asked("returns#window_days"), given) is right


def test_a_working_days_answer_takes_its_unit_and_refuses_another() -> None:
    question = asked("complaints.stages.complaint-review#within")  # 10wd
    assert is_correct(question, "10 working days") and is_correct(question, "10wd")
    assert not is_correct(question, "10 days") and not is_correct(question, "2")


def test_a_choice_answer_is_the_answer_option_only() -> None:
    question = asked("returns#refund.method")
    assert is_correct(question, "original payment")
    assert not any(is_correct(question, option) for option in wrong_options(question))
