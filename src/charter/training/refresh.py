"""Refreshers: a question a person got wrong comes back after growing intervals.

Fixed steps, not the FSRS scheduler (the ``fsrs`` package), for five reasons:

- answers are right or wrong only, while FSRS wants graded recall (again, hard, good,
  easy) to set each card's difficulty;
- each person sees few questions, and FSRS's parameters are fitted over hundreds of
  reviews per person before they beat a fixed schedule;
- a manager can read the schedule: "comes back in 7 days";
- no extra dependency;
- deterministic, hand-checkable tests.

The steps: a wrong answer puts the question on a card due 1 day later (step 0). Each
right answer once the card is due moves it a step: due again 3, 7, 14, 30 days after
that answer, then every 60 days for as long as the question exists. A question once
missed stays in a light rotation (six times a year) rather than being retired: the
mistake showed the clause is easy to forget, and a new version of the policy retires
the question itself when its clause changes. A right answer before the card is due
(in a quiz, say) leaves the card as it was: only recall after the gap counts. A
question answered right and never wrong gets no card.

>>> monday = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
>>> card = after_answer(None, "q-refund-window", False, monday)
>>> card.step, card.due_at.date().isoformat()
(0, '2026-12-08')
>>> card = after_answer(card, "q-refund-window", True, card.due_at)
>>> card.step, card.due_at.date().isoformat()
(1, '2026-12-11')
>>> after_answer(None, "q-refund-window", True, monday) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from charter.errors import UsageError

__all__ = ["STEPS_DAYS", "Card", "after_answer", "due"]

STEPS_DAYS: tuple[int, ...] = (1, 3, 7, 14, 30, 60)  # the last step repeats
LAST_STEP = len(STEPS_DAYS) - 1


@dataclass(frozen=True)
class Card:
    """A question that comes back to one person: its step and when it is due."""

    question_id: str
    step: int
    due_at: dt.datetime

    @property
    def interval(self) -> dt.timedelta:
        """The gap the card's step waits: 1 day at step 0, 60 days from step 5 on."""
        return dt.timedelta(days=STEPS_DAYS[min(self.step, LAST_STEP)])


def after_answer(
    card: Card | None, question_id: str, correct: bool, at: dt.datetime
) -> Card | None:
    """The card after an answer given at ``at``; None when there is none to keep."""
    _aware(at)
    if card is not None and card.question_id != question_id:
        raise UsageError(
            f"the card is for question {card.question_id!r}, the answer for "
            f"{question_id!r}; pass the card of the question answered"
        )
    if not correct:
        return Card(question_id, 0, at + dt.timedelta(days=STEPS_DAYS[0]))
    if card is None or at < card.due_at:
        return card
    step = min(card.step + 1, LAST_STEP)
    return Card(question_id, step, at + dt.timedelta(days=STEPS_DAYS[step]))


def due(cards: Iterable[Card], at: dt.datetime) -> list[Card]:
    """The cards due at ``at`` (due at or before it), longest waiting first.

    >>> at = dt.datetime(2026, 12, 10, tzinfo=dt.UTC)
    >>> cards = [Card("b", 0, at), Card("a", 1, at - dt.timedelta(days=1)),
    ...          Card("c", 0, at + dt.timedelta(seconds=1))]
    >>> [c.question_id for c in due(cards, at)]
    ['a', 'b']
    """
    _aware(at)
    return sorted((c for c in cards if c.due_at <= at), key=lambda c: (c.due_at, c.question_id))


def _aware(at: dt.datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise UsageError(
            f"at={at.isoformat()} has no timezone; give an aware instant (UTC), "
            "as charter.clock.now() returns"
        )
