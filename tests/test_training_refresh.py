"""Refreshers: a question answered wrong comes back after 1, 3, 7, 14, 30 days, then
every 60 days."""

from __future__ import annotations

import datetime as dt

import pytest

from charter.errors import UsageError
from charter.training.refresh import Card, after_answer, due

MON = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
Q = "returns#window_days"


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)


def test_a_question_answered_right_and_never_wrong_gets_no_card() -> None:
    assert after_answer(None, Q, True, MON) is None


def test_a_wrong_answer_comes_back_the_next_day() -> None:
    assert after_answer(None, Q, False, MON) == Card(Q, 0, MON + days(1))


def test_each_right_answer_on_a_due_card_waits_longer_then_every_60_days() -> None:
    # Answered on time each time: wrong Mon 7 Dec → due Tue 8 (+1); right then → +3 =
    # Fri 11; right → +7 = Fri 18; right → +14 = Fri 1 Jan; right → +30 = Sun 31 Jan;
    # right → +60 = Thu 1 Apr (28 days of February, 31 of March); right → +60 =
    # Mon 31 May 2027 (30 days of April).
    card = after_answer(None, Q, False, MON)
    assert card is not None
    seen = []
    for _ in range(6):
        card = after_answer(card, Q, True, card.due_at)
        assert card is not None
        seen.append((card.step, card.due_at.date().isoformat()))
    assert seen == [
        (1, "2026-12-11"),
        (2, "2026-12-18"),
        (3, "2027-01-01"),
        (4, "2027-01-31"),
        (5, "2027-04-01"),
        (5, "2027-05-31"),
    ]


def test_a_wrong_answer_at_any_step_starts_again_at_one_day() -> None:
    card = Card(Q, 4, MON)
    assert after_answer(card, Q, False, MON + days(2)) == Card(Q, 0, MON + days(3))


def test_a_right_answer_before_the_card_is_due_leaves_it_as_it_was() -> None:
    # Due Fri 11 Dec; answered right in a quiz on Wed 9: no spaced recall yet.
    card = Card(Q, 1, dt.datetime(2026, 12, 11, 9, 0, tzinfo=dt.UTC))
    assert after_answer(card, Q, True, dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.UTC)) == card


def test_a_late_right_answer_counts_the_next_gap_from_the_answer() -> None:
    # Due Tue 8 Dec, answered right on Thu 10 Dec at 09:00: step 1, due Sun 13 Dec.
    card = Card(Q, 0, MON + days(1))
    answered = MON + days(3)
    assert after_answer(card, Q, True, answered) == Card(Q, 1, answered + days(3))


def test_due_lists_the_cards_due_now_longest_waiting_first() -> None:
    at = MON + days(10)
    cards = [
        Card("b", 0, at),  # due exactly now
        Card("a", 2, at - days(3)),
        Card("c", 1, at + dt.timedelta(minutes=1)),  # not yet
        Card("d", 0, at - days(3)),  # same instant as a: by question id
    ]
    assert [c.question_id for c in due(cards, at)] == ["a", "d", "b"]


def test_a_card_for_another_question_is_refused() -> None:
    with pytest.raises(UsageError, match="the card is for question 'other'"):
        after_answer(Card("other", 0, MON), Q, True, MON)


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(UsageError, match="has no timezone"):
        after_answer(None, Q, False, dt.datetime(2026, 12, 7, 9, 0))
