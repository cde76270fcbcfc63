"""Comparing due points that may run on different clocks, only where the answer is certain.

A target's due point is an amount of time on a clock: business seconds of a
calendar, real seconds of ``24x7``, or working days of a calendar. Two due points
can be compared for every ticket only in a few cases:

- same clock, same unit: compare the amounts;
- same clock, the first in working days: ``n`` working days hold at most
  ``n + 1`` of the calendar's longest opening days (the day a ticket arrives may
  count in part) plus one hour for a clock change, so compare that upper bound;
- the first on ``24x7``, the second on a calendar, both in seconds: business time
  never runs faster than real time, so ``x`` real seconds end no later than ``x``
  business seconds.

Anything else (two different calendars, a lower bound for working days) is
never certain, and the linter stays silent rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from charter.policy.calendar import ALWAYS, WEEKDAYS, Calendar, day_seconds
from charter.policy.schema import Policy
from charter.policy.service_level import Target, Threshold
from charter.policy.units import Duration

DAY_SECONDS = 86_400
CLOCK_CHANGE_SECONDS = 3_600


@dataclass(frozen=True)
class Span:
    """A due point: ``amount`` seconds (or working days) on ``clock``."""

    clock: str
    amount: float
    working_days: bool = False


def span_of(duration: Duration, clock: str) -> Span:
    """The due point of ``duration`` on ``clock``."""
    if duration.is_working_days:
        return Span(clock, float(duration.working_days), working_days=True)
    return Span(clock, float(duration.seconds))


def threshold_span(threshold: Threshold, target: Target) -> Span | None:
    """When an escalation ``threshold`` falls for ``target``; None if units mix."""
    within = span_of(target.within, target.clock)
    offset = threshold.offset
    amount = within.amount * threshold.fraction
    if offset == Duration():
        return Span(within.clock, amount, within.working_days)
    if offset.is_working_days != within.working_days:
        return None
    extra = offset.working_days if offset.is_working_days else offset.seconds
    return Span(within.clock, amount + extra, within.working_days)


def no_later(first: Span, second: Span, policy: Policy) -> bool:
    """True when ``first`` is due at or before ``second`` for every ticket."""
    if first.clock == second.clock:
        if first.working_days == second.working_days:
            return first.amount <= second.amount
        if first.working_days:
            bound = working_days_bound(first, policy)
            return bound is not None and bound <= second.amount
        return False
    if first.clock == ALWAYS and not (first.working_days or second.working_days):
        return first.amount <= second.amount
    return False


def working_days_bound(span: Span, policy: Policy) -> float | None:
    """Most business seconds that ``span`` working days can hold, or None if unknown."""
    longest = longest_day(span.clock, policy)
    if not longest:
        return None
    return (span.amount + 1) * longest + CLOCK_CHANGE_SECONDS


def longest_day(clock: str, policy: Policy) -> int:
    """Business seconds of the clock's longest opening day (0 if it never opens)."""
    if clock == ALWAYS:
        return DAY_SECONDS
    calendar = policy.calendar(clock)
    if calendar is None:
        return 0
    days = [*calendar.weekly.values(), *calendar.special.values()]
    return max((day_seconds(day) for day in days), default=0)


def weekly_seconds(calendar: Calendar) -> int:
    """Business seconds in an ordinary week of ``calendar``."""
    return sum(day_seconds(calendar.weekly.get(day, [])) for day in WEEKDAYS)


def never_opens(calendar: Calendar) -> bool:
    """True when no weekday and no special day has an opening interval."""
    days = [*calendar.weekly.values(), *calendar.special.values()]
    return not any(days)


def words(duration: Duration, clock: str) -> str:
    """``4 business hours`` on a calendar, ``4 hours`` on ``24x7``."""
    return duration.words(business=clock != ALWAYS)


def amount_words(span: Span) -> str:
    """A span's amount in words, for messages."""
    if span.working_days:
        return f"{span.amount:g} working days"
    duration = Duration(seconds=round(span.amount)) if span.amount >= 1 else Duration(seconds=1)
    return words(duration, span.clock)
