"""Quizzes made from the policy's own facts: every answer is a typed value of the policy,
never retyped text, and every question cites the clause that holds it.

A question asks for a number (the return window in days) or offers three or four
options of one kind: the answer and distractors taken first from sibling facts
(another priority's target, another desk's hours, another region's transit days), then
from plausible variants (half, double, a day more). Each distractor is checked to be
wrong under the policy by comparing values, not words; a fact with fewer than two
wrong options left is not asked.

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: Acme, mission: Delight}
... calendars: [{id: desk, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]}}]
... returns: {window_days: 30, refund: {method: store_credit, within: 5wd, clock: desk}}
... ''').policy
>>> window = questions(policy)[0]
>>> window.id, window.form, window.answer, window.unit
('returns#window_days', 'number', '30', 'days')
>>> window.prompt
'How many days does a customer have to return an item, counted from delivery?'
>>> is_correct(window, "30 days"), is_correct(window, "31")
(True, False)
>>> method = questions(policy)[1]
>>> method.answer, sorted(method.options)
('store credit', ['customer choice', 'exchange', 'original payment', 'store credit'])
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from charter.policy.clauses import clauses
from charter.policy.schema import Policy
from charter.training._distractors import Draft, pick
from charter.training._facts import drafts

TOPICS = ("opening hours", "holidays", "service levels", "refunds", "delivery", "escalation",
          "complaints", "courtesy", "roles")  # fmt: skip
"""What a question can be about, in the order the handbook tells them."""


@dataclass(frozen=True)
class Question:
    """One question: its prompt, its options (none for a number) and the answer.

    ``id`` is ``<clause id>#<fact key>`` and stays the same while the fact does (a
    changed value keeps it; a removed rule takes its questions with it).
    """

    id: str
    clause_id: str
    topic: str
    prompt: str
    form: Literal["choice", "number"]
    options: tuple[str, ...]
    answer: str
    kind: str
    unit: str | None


def questions(policy: Policy, *, changed: Collection[str] = (), seed: int = 0) -> list[Question]:
    """Every question the policy's facts give; those citing a clause in ``changed``
    first, then in the policy's clause order. Deterministic for a seed (option order)."""
    position = {clause.id: clause.position for clause in clauses(policy)}
    made = [q for draft in drafts(policy) if (q := _question(draft, seed)) is not None]
    wanted = frozenset(changed)
    return sorted(made, key=lambda q: (q.clause_id not in wanted, position[q.clause_id]))


def quiz(
    policy: Policy, count: int, *, changed: Collection[str] = (), seed: int = 0
) -> list[Question]:
    """``count`` questions: the changed clauses' first, the rest a deterministic
    sample by ``seed`` spread over topics.

    Each part keeps the policy's clause order; when the changed clauses give more than
    ``count`` questions, they too are sampled across their topics.
    """
    every = questions(policy, changed=changed, seed=seed)
    wanted = frozenset(changed)
    first = [q for q in every if q.clause_id in wanted]
    rest = [q for q in every if q.clause_id not in wanted]
    chosen = _spread(first, count, random.Random(f"changed:{seed}"))
    return chosen + _spread(rest, count - len(chosen), random.Random(f"rest:{seed}"))


def _spread(pool: Sequence[Question], count: int, rng: random.Random) -> list[Question]:
    """``count`` of ``pool`` taken a topic at a time, round the topics in turn, so each
    topic is asked about before any is asked twice; in the pool's order."""
    if count >= len(pool):
        return list(pool)
    by_topic: dict[str, list[int]] = {}
    for place, question in enumerate(pool):
        by_topic.setdefault(question.topic, []).append(place)
    turns = [rng.sample(places, len(places)) for places in by_topic.values()]
    rng.shuffle(turns)
    taken: list[int] = []
    while len(taken) < max(count, 0):
        for turn in turns:
            if turn and len(taken) < count:
                taken.append(turn.pop())
    return [pool[place] for place in sorted(taken)]


def _question(draft: Draft, seed: int) -> Question | None:
    ident = f"{draft.clause_id}#{draft.key}"
    if draft.number is not None:
        amount, unit = draft.number
        return Question(
            ident, draft.clause_id, draft.topic, draft.prompt, "number", (), amount,
            draft.kind, unit,
        )  # fmt: skip
    candidates = [*draft.siblings, *draft.answer.variants()]
    wrong = pick(draft.answer, draft.also_right, candidates)
    if wrong is None:
        return None
    options = [draft.answer.text, *(value.text for value in wrong)]
    random.Random(f"{seed}:{ident}").shuffle(options)
    return Question(
        ident, draft.clause_id, draft.topic, draft.prompt, "choice", tuple(options),
        draft.answer.text, draft.kind, None,
    )  # fmt: skip


_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*([^\d]*?)\s*$")
_UNIT_WORDS = {
    "days": {"d", "day", "days"},
    "working days": {"wd", "working day", "working days", "business day", "business days"},
    "hours": {"h", "hr", "hrs", "hour", "hours"},
    "business hours": {"h", "hr", "hrs", "hour", "hours", "business hour", "business hours"},
}


def is_correct(question: Question, given: str) -> bool:
    """Choice: the given text is the answer option. Number: the number given (spaces,
    a trailing unit word, a decimal comma tolerated) equals the answer.

    >>> days = Question("returns#window_days", "returns", "refunds", "How many days?",
    ...                 "number", (), "30", "duration", "days")
    >>> [is_correct(days, text) for text in ("30", " 30 days", "30,0", "30 hours", "thirty")]
    [True, True, True, False, False]
    """
    if question.form == "choice":
        return given.strip() == question.answer
    match = _NUMBER.match(given)
    if match is None:
        return False
    amount, unit = match.groups()
    words = _UNIT_WORDS.get(question.unit or "", {question.unit or ""})
    if unit and unit.casefold() not in words:
        return False
    return float(amount.replace(",", ".")) == float(question.answer)
