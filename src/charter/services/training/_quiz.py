"""Taking a version's quiz, one answer at a time, and the refresher questions.

A quiz's questions are drawn when it starts (the changed clauses' first) and kept by
id; each answer is checked against the question regenerated from the same version's
policy, so what is right is always what that version says. A wrong answer comes back
with the clause's text, and as a refresher card (``charter.training.refresh``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter import clock
from charter.errors import Conflict, Forbidden, InvalidInput, NotFound
from charter.policy.clauses import clauses
from charter.policy.schema import Policy
from charter.services.lifecycle import Version
from charter.services.training._standing import chain, settings_of, standings
from charter.store import Database
from charter.store import training as records
from charter.training.quiz import Question, is_correct, questions, quiz
from charter.training.refresh import Card, after_answer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_RESPONSE = 500


@dataclass(frozen=True)
class Asked:
    """A question as the person sees it: no answer."""

    id: str
    clause_id: str
    prompt: str
    form: str
    options: tuple[str, ...]
    unit: str | None


@dataclass(frozen=True)
class Attempt:
    """A quiz in progress or done: its questions, what was answered, the outcome."""

    id: int
    version_number: int
    questions: list[Asked]
    answered: dict[str, bool]  # question id -> right
    pass_mark: float
    score: float | None
    passed: bool | None

    @property
    def next(self) -> Asked | None:
        return next((q for q in self.questions if q.id not in self.answered), None)


@dataclass(frozen=True)
class Answered:
    """What one answer came to; the clause's text when it was wrong."""

    correct: bool
    answer: str
    clause_id: str
    clause_heading: str
    clause_text: str | None
    attempt: Attempt | None


def _asked(question: Question) -> Asked:
    return Asked(question.id, question.clause_id, question.prompt, question.form,
                 question.options, question.unit)  # fmt: skip


def _by_id(policy: Policy) -> dict[str, Question]:
    return {q.id: q for q in questions(policy)}


def start_quiz(database: Database, user_id: int, now: dt.datetime | None = None) -> Attempt:
    """A new attempt at the quiz of the version in force: what is true now is what is
    asked (passing it covers an older version asked of the person). When that version
    is the one that asked them again, the clauses whose change asked them come first."""
    moment = clock.utc_moment(now)
    found = standings(database, moment, [user_id])
    standing = found[0] if found else None
    versions = chain(database, moment)
    if standing is None or standing.requirement is None or not versions:
        raise NotFound("no policy version is in force: there is no quiz to take yet")
    required, version = standing.requirement, versions[-1]
    changed = required.changed_clauses if required.version.id == version.id else []
    policy = version.policy()
    training = settings_of(policy)
    with database.transaction() as session:
        seed = len(records.attempts(session, [user_id]))
        drawn = quiz(policy, training.questions, changed=changed, seed=user_id * 7919 + seed)
        if not drawn:
            raise Conflict(f"version {version.number} gives no quiz questions")
        row = records.new_attempt(session, user_id, version.id, [q.id for q in drawn], moment)
        attempt_id = row.id
    return Attempt(attempt_id, version.number, [_asked(q) for q in drawn], {},
                   training.pass_mark, None, None)  # fmt: skip


def _version(database: Database, version_id: int, now: dt.datetime) -> Version:
    found = next((v for v in chain(database, now) if v.id == version_id), None)
    if found is None:
        raise Conflict("that quiz's policy version is no longer in force; start a new quiz")
    return found


def attempt_of(
    database: Database, user_id: int, attempt_id: int, now: dt.datetime | None = None
) -> Attempt:
    """One of the person's attempts, as it stands."""
    moment = clock.utc_moment(now)
    with database.reading() as session:
        row = records.attempt(session, attempt_id)
        if row is None or row.user_id != user_id:
            raise NotFound(f"no quiz {attempt_id} of yours")
        answers = records.answers_of(session, attempt_id=attempt_id)
        version_id, ids, score, passed = row.version_id, list(row.questions), row.score, row.passed
    version = _version(database, version_id, moment)
    known = _by_id(version.policy())
    asked = [_asked(known[i]) for i in ids if i in known]
    training = settings_of(version.policy())
    return Attempt(attempt_id, version.number, asked, {a.question_id: a.correct for a in answers},
                   training.pass_mark, score, passed)  # fmt: skip


def answer(
    database: Database, user_id: int, attempt_id: int, question_id: str, response: str,
    now: dt.datetime | None = None,
) -> Answered:  # fmt: skip
    """Record one answer of an attempt; when it was the last, the score and the pass."""
    moment = clock.utc_moment(now)
    given = _response(response)
    with database.reading() as session:
        row = records.attempt(session, attempt_id)
        if row is None or row.user_id != user_id:
            raise NotFound(f"no quiz {attempt_id} of yours")
        version_id = row.version_id
    version = _version(database, version_id, moment)
    policy = version.policy()
    known = _by_id(policy)
    with database.transaction() as session:
        row = records.attempt(session, attempt_id, lock=True)
        assert row is not None
        if row.finished_at is not None:
            raise Conflict(f"quiz {attempt_id} is finished; start a new one")
        if question_id not in row.questions or question_id not in known:
            raise InvalidInput(f"question {question_id[:80]!r} is not in quiz {attempt_id}",
                               [{"field": "question", "problem": "not in this quiz"}])  # fmt: skip
        answers = records.answers_of(session, attempt_id=attempt_id)
        if any(a.question_id == question_id for a in answers):
            raise Conflict("that question is answered already; go on to the next")
        question = known[question_id]
        right = is_correct(question, given)
        records.add_answer(session, user_id=user_id, attempt_id=attempt_id, version_id=version_id,
                           question_id=question_id, clause_id=question.clause_id,
                           prompt=question.prompt, response=given, correct=right,
                           answered_at=moment)  # fmt: skip
        _refresh(session, user_id, question_id, right, moment)
        done = len(answers) + 1 == len(row.questions)
        if done:
            score = (sum(a.correct for a in answers) + right) / len(row.questions)
            row.finished_at, row.score = moment, score
            row.passed = score >= settings_of(policy).pass_mark - 1e-9
    return _answered(question, right, policy, attempt_of(database, user_id, attempt_id, moment))


def _answered(question: Question, right: bool, policy: Policy, attempt: Attempt | None) -> Answered:
    clause = next(c for c in clauses(policy) if c.id == question.clause_id)
    return Answered(right, question.answer, clause.id, clause.heading,
                    None if right else clause.body, attempt)  # fmt: skip


def _response(response: str) -> str:
    text = response.strip()
    if not text:
        raise InvalidInput("answer: nothing given; choose an option or type a number",
                           [{"field": "answer", "problem": "empty"}])  # fmt: skip
    if len(text) > MAX_RESPONSE:
        raise InvalidInput(f"answer: {len(text):,} characters is too long; at most {MAX_RESPONSE}",
                           [{"field": "answer", "problem": "too long"}])  # fmt: skip
    return text


def _refresh(
    session: Session, user_id: int, question_id: str, right: bool, at: dt.datetime
) -> None:
    """Move the question's refresher card on after an answer (a first right answer
    makes none; a wrong one puts it back to the first step)."""
    row = records.card(session, user_id, question_id)
    before = Card(question_id, row.step, row.due_at) if row is not None else None
    after = after_answer(before, question_id, right, at)
    records.set_card(session, user_id, question_id,
                     (after.step, after.due_at) if after is not None else None)  # fmt: skip


def refreshers(database: Database, user_id: int, now: dt.datetime | None = None) -> list[Asked]:
    """The person's refresher questions due now, from the version in force; a card whose
    question the policy no longer asks is dropped."""
    moment = clock.utc_moment(now)
    versions = chain(database, moment)
    if not versions:
        return []
    known = _by_id(versions[-1].policy())
    with database.transaction() as session:
        due = records.cards_due(session, user_id, moment)
        records.drop_cards(
            session, user_id, [r.question_id for r in due if r.question_id not in known]
        )
        return [_asked(known[r.question_id]) for r in due if r.question_id in known]


def answer_refresher(
    database: Database, user_id: int, question_id: str, response: str,
    now: dt.datetime | None = None,
) -> Answered:  # fmt: skip
    """Answer a refresher question due now (of the version in force)."""
    moment = clock.utc_moment(now)
    given = _response(response)
    versions = chain(database, moment)
    if not versions:
        raise NotFound("no policy version is in force")
    version = versions[-1]
    known = _by_id(version.policy())
    with database.transaction() as session:
        due = {r.question_id for r in records.cards_due(session, user_id, moment)}
        if question_id not in due or question_id not in known:
            raise Forbidden("that question is not due for you now")
        question = known[question_id]
        right = is_correct(question, given)
        records.add_answer(session, user_id=user_id, attempt_id=None, version_id=version.id,
                           question_id=question_id, clause_id=question.clause_id,
                           prompt=question.prompt, response=given, correct=right,
                           answered_at=moment)  # fmt: skip
        _refresh(session, user_id, question_id, right, moment)
    return _answered(question, right, version.policy(), None)
