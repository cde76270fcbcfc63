"""Quiz answers as typed values, their plausible variants, and the choice of distractors
(private to ``charter.training.quiz``).

A value (a duration on a clock, a day's hours, a day range, or a choice: a role, the
recipients of a level, a threshold, a method, a text) knows its words (``text``) and its
variants (half, double, a step more or less). Two values are equal when they mean the
same — seconds and clock for a duration, the intervals for a day's hours, the ends of a
day range, the key of a choice — whatever their words. ``pick`` keeps a candidate only
when it is wrong under the policy (equal to no right value) and says something neither
a right option nor a chosen one says.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from charter.policy.calendar import ALWAYS
from charter.policy.service_level import Threshold
from charter.policy.units import Duration


def norm(text: str) -> str:
    """Text compared for meaning: case, spacing and a final full stop do not count."""
    return " ".join(text.casefold().split()).rstrip(".")


def _tidy(seconds: int) -> bool:
    """Durations that read cleanly in words: whole minutes, or half hours from an hour."""
    return seconds > 0 and seconds % 60 == 0 and (seconds < 3600 or seconds % 1800 == 0)


@dataclass(frozen=True)
class Span:
    """A duration on a clock, equal by seconds, working days and clock."""

    seconds: int
    working_days: int
    clock: str

    @classmethod
    def of(cls, within: Duration, clock: str) -> Span:
        return cls(within.seconds, within.working_days, clock)

    @property
    def text(self) -> str:
        """As the handbook writes it: ``4 business hours on calendar uk-support``."""
        said = Duration(self.seconds, self.working_days).words(business=self.clock != ALWAYS)
        where = "around the clock (24x7)" if self.clock == ALWAYS else f"on calendar {self.clock}"
        return f"{said} {where}"

    def variants(self) -> list[Span]:
        """Double, half, one step more and one less (a working day, an hour, minutes)."""
        if self.working_days:
            days = self.working_days
            halves = [days // 2] if days % 2 == 0 else []
            return [Span(0, d, self.clock) for d in [days * 2, *halves, days + 1, days - 1] if d]
        s = self.seconds
        step = 3600 if s >= 3600 else 300 if s >= 600 else 60
        wanted = [s * 2, s // 2 if s % 2 == 0 else 0, s + step, s - step]
        return [Span(x, 0, self.clock) for x in wanted if _tidy(x)]

    def number(self) -> tuple[str, str] | None:
        """The duration as a whole number and its unit, or None when it has none."""
        business = "" if self.clock == ALWAYS else "business "
        if self.working_days:
            return str(self.working_days), "working days"
        if self.clock == ALWAYS and self.seconds % 86400 == 0:
            return str(self.seconds // 86400), "days"
        if self.seconds % 3600 == 0:
            return str(self.seconds // 3600), f"{business}hours"
        return None


@dataclass(frozen=True)
class Hours:
    """A day's opening intervals (sorted), equal by the intervals; none is closed."""

    intervals: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, intervals: Sequence[tuple[str, str]]) -> Hours:
        return cls(tuple(sorted(set(intervals))))

    @property
    def text(self) -> str:
        return " and ".join(f"{start}–{end}" for start, end in self.intervals) or "closed"

    def variants(self) -> list[Hours]:
        """Opening an hour earlier or later, closing an hour later or earlier."""
        if not self.intervals:
            return []
        (start, end), rest = self.intervals[0], self.intervals[1:]
        moved = [(_shift(start, -60), end), (start, _shift(end, 60)),
                 (_shift(start, 60), end), (start, _shift(end, -60))]  # fmt: skip
        return [Hours.of([(a, b), *rest]) for a, b in moved if a and b and a != b and a != "24:00"]


def _shift(clock: str, minutes: int) -> str:
    hours, mins = clock.split(":")
    total = int(hours) * 60 + int(mins) + minutes
    return f"{total // 60:02d}:{total % 60:02d}" if 0 <= total <= 24 * 60 else ""


CLOSED = Hours(())


@dataclass(frozen=True)
class Days:
    """A range of business days (handling or transit), equal by its ends."""

    min: int
    max: int

    @property
    def text(self) -> str:
        span = f"{self.min}" if self.min == self.max else f"{self.min}–{self.max}"
        return f"{span} business day{'' if self.max == 1 else 's'}"

    def variants(self) -> list[Days]:
        """A day more at both ends, at the top, a day less, and a wider range."""
        low, high = self.min, self.max
        wanted = [(low + 1, high + 1), (low, high + 1), (low - 1, high - 1), (low, high + 2)]
        return [Days(a, b) for a, b in wanted if 0 <= a <= b]


@dataclass(frozen=True)
class Choice:
    """A value known by a key (a role id, a set of recipients, a method); its words are
    not compared."""

    key: Hashable
    text: str = field(compare=False)

    def variants(self) -> list[Choice]:
        return []


def recipients(notify: Sequence[str], names: dict[str, str]) -> Choice:
    """Whom a level notifies: role names, then addresses, ``A, B and C``. Sorted and
    each said once, so two sets a reader cannot tell apart read the same and only one
    of them is offered (two roles may share a name)."""
    said = sorted({names.get(who, who) for who in notify}, key=lambda w: ("@" in w, w))
    text = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return Choice(frozenset(notify), text)


def threshold(at: Threshold) -> Choice:
    """``at 75% of the target time``, ``at breach``, ``4h after breach``."""
    key = (round(at.fraction * 100, 6), at.offset.seconds, at.offset.working_days)
    if at.fraction != 1:
        return Choice(key, f"at {at.fraction * 100:g}% of the target time")
    return Choice(key, f"{at.offset} after breach" if at.offset != Duration() else "at breach")


THRESHOLDS = tuple(Threshold(f) for f in (0.5, 0.75, 0.9, 1.0)) + tuple(
    Threshold(1.0, Duration(seconds=h * 3600)) for h in (1, 2, 4, 8)
)


Value = Span | Hours | Days | Choice


def pick(
    answer: Value, right: Collection[Value], candidates: Iterable[Value], limit: int = 3
) -> list[Value] | None:
    """Up to ``limit`` distractors, in the candidates' order: each wrong (equal to neither
    the answer nor any other right value, nor worded like one: two roles may share a
    name) and unlike every option chosen before it, by value and by words. None when
    fewer than two are left: a question needs three options at least.

    >>> hour, minute = Span(3600, 0, "desk"), Span(60, 0, "desk")
    >>> [v.text for v in pick(minute, (), [hour, hour, Span(60, 0, "24x7")])]
    ['1 business hour on calendar desk', '1 minute around the clock (24x7)']
    >>> pick(minute, (), [hour, hour]) is None  # a question needs two wrong options
    True
    """
    chosen: list[Value] = []
    said = {norm(answer.text), *(norm(value.text) for value in right)}  # words read as right
    for candidate in candidates:
        if candidate == answer or candidate in right or candidate in chosen:
            continue
        if norm(candidate.text) in said:
            continue
        chosen.append(candidate)
        said.add(norm(candidate.text))
        if len(chosen) == limit:
            break
    return chosen if len(chosen) >= 2 else None


@dataclass(frozen=True)
class Draft:
    """One fact to ask about: the number form when ``number`` is set, else a choice."""

    clause_id: str
    key: str
    topic: str
    prompt: str
    kind: str
    answer: Value
    siblings: tuple[Value, ...] = ()
    also_right: frozenset[Value] = frozenset()
    number: tuple[str, str] | None = None
