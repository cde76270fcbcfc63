"""Deadlines counted by the policy's conventions, with the steps that explain them.

A limit is whole working days (``10wd``; business days are the working days of the
named calendar), calendar days (``14d``) or weeks (``8w``). The anchor (a receipt,
an acknowledgment) is placed on its first counted day, the limit counted from there,
and the end moved or not and fixed to the end of the day or to close of business, as
``charter.policy.counting.Counting`` says. Each convention applied adds a step in
plain words.

>>> import datetime as dt
>>> from charter.hours import OpeningHours
>>> from charter.policy.counting import Counting
>>> desk = OpeningHours("Europe/London", {d: [("09:00", "17:00")]
...                     for d in ("mon", "tue", "wed", "thu", "fri")}, name="desk")
>>> sunday = dt.datetime(2026, 6, 7, 10, 0, tzinfo=dt.UTC)
>>> d = deadline(sunday, "2wd", desk, Counting())
>>> d.first_counted_day, d.ends_local.isoformat()
(datetime.date(2026, 6, 8), '2026-06-10T23:59:59+01:00')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from charter import figures
from charter.decisions.working_days import WorkingDays
from charter.errors import InvalidInput
from charter.hours import OpeningHours
from charter.policy.counting import Counting
from charter.policy.units import Duration

_LIMIT = re.compile(r"^\s*(\d+)\s*(wd|bd|d|w)\s*$")
_UNIT_WORDS = {"wd": "working day", "bd": "business day", "d": "day", "w": "week"}
LIMIT_HINT = "write whole days with a unit: 10wd (working days), 15bd, 14d or 8w"


@dataclass(frozen=True)
class Limit:
    """A time limit: a count of working days (``wd``/``bd``), days (``d``) or weeks (``w``)."""

    count: int
    unit: str

    @classmethod
    def parse(cls, value: str | Duration | Limit) -> Limit:
        """``"10wd"``, ``"15bd"``, ``"14d"``, ``"8w"`` or a whole-day ``Duration``."""
        if isinstance(value, Limit):
            return value
        if isinstance(value, Duration):
            if value.weeks:
                return cls(value.weeks, "w")
            if value.working_days:
                return cls(value.working_days, "wd")
            if value.seconds % 86400 == 0:
                return cls(value.seconds // 86400, "d")
            raise InvalidInput(f"limit: {value} is not whole days; {LIMIT_HINT}")
        match = _LIMIT.match(value.lower())
        if match is None or int(match.group(1)) == 0:
            raise InvalidInput(f"limit: {value!r} is not a time limit; {LIMIT_HINT}")
        return cls(int(match.group(1)), match.group(2))

    @property
    def working(self) -> bool:
        """Whether the limit counts the calendar's working days."""
        return self.unit in ("wd", "bd")

    def __str__(self) -> str:
        noun = _UNIT_WORDS[self.unit]
        return f"{self.count} {noun}{'' if self.count == 1 else 's'}"


@dataclass(frozen=True)
class Deadline:
    """When a limit counted from an anchor runs out, and why."""

    anchor: dt.datetime
    limit: Limit
    calendar: OpeningHours = field(compare=False, repr=False)
    first_counted_day: dt.date
    end_day: dt.date
    ends_utc: dt.datetime
    ends_local: dt.datetime
    steps: tuple[str, ...]
    extended_days: int = 0


def deadline(
    anchor: dt.datetime,
    limit: str | Duration | Limit,
    calendar: OpeningHours,
    counting: Counting,
    *,
    anchor_name: str = "received",
) -> Deadline:
    """The deadline of ``limit`` counted from ``anchor`` on ``calendar`` by ``counting``.

    ``anchor`` must be aware. Day 0 (or day 1) is the first counted day; the limit's
    last day is that many working days, days or weeks on; a day or week period ending
    on a non-working day moves as ``counting`` says; the deadline is the end of that
    day or its close of business. ``anchor_name`` words the first step (received,
    acknowledged).
    """
    if anchor.tzinfo is None:
        raise InvalidInput("anchor: the instant has no timezone; give it in UTC or with an offset")
    parsed = Limit.parse(limit)
    days = WorkingDays(calendar)
    local = anchor.astimezone(days.zone)
    received = local.date()
    steps = [f"{anchor_name} {_day(received)} at {local:%H:%M}"]
    start = received
    if counting.closed_day_receipt == "next_working_day" and not days.working(received):
        start = days.after(received)
        steps.append(f"{_day(received)} is not a working day: counting starts {_day(start)}")
    elif counting.cutoff and f"{local:%H:%M}" >= counting.cutoff and days.working(received):
        start = days.after(received)
        steps.append(
            f"{anchor_name} after the {counting.cutoff} cut-off: counting starts {_day(start)}"
        )
    first_number = 0 if counting.anchor_day == "day_0" else 1
    steps_on = parsed.count - first_number
    if first_number and parsed.working and not days.working(start):
        # A closed day counted from (same_day) is never working day 1: the first
        # working day after it is, so a working-day limit ends on a working day.
        steps_on = parsed.count
        steps.append(f"{_day(start)} is not a working day: the next working day is day 1")
    else:
        steps.append(f"{_day(start)} is day {first_number}")
    if parsed.working:
        end = days.later(start, steps_on)
        steps.append(f"{parsed} later is {_day(end)}")
    else:
        length = parsed.count * (7 if parsed.unit == "w" else 1)
        end = start + dt.timedelta(days=length - first_number)
        steps.append(f"{parsed} later is {_day(end)}")
        moves = (
            counting.weeks_move
            if parsed.unit == "w"
            else (counting.closed_day_end == "next_working_day")
        )
        if not days.working(end):
            if moves:
                moved = days.after(end)
                steps.append(
                    f"{_day(end)} is not a working day: the deadline moves to {_day(moved)}"
                )
                end = moved
            elif parsed.unit == "w":
                steps.append(f"{_day(end)} is not a working day; a period in weeks does not move")
            else:
                steps.append(f"{_day(end)} is not a working day; the deadline stays on it")
    ends, words = _ending(days, end, counting)
    steps.append(words)
    return Deadline(
        anchor=anchor,
        limit=parsed,
        calendar=calendar,
        first_counted_day=start,
        end_day=end,
        ends_utc=ends.astimezone(dt.UTC),
        ends_local=ends,
        steps=tuple(steps),
    )


def extend(
    original: Deadline, by: str | Duration | Limit, reason: str | None, counting: Counting
) -> Deadline:
    """``original`` moved ``by`` working days later, if ``counting`` allows it.

    Raises ``InvalidInput`` naming the field: extensions not allowed (``by``), a limit
    not in working days (``by``), a cap passed (``by``), a missing reason (``reason``).
    """
    if not counting.extensions:
        raise InvalidInput("by: the policy allows no extension of this deadline")
    extra = Limit.parse(by)
    if not extra.working:
        raise InvalidInput(f"by: extensions are counted in working days, e.g. 5wd; got {extra}")
    if counting.extension_reason and not (reason and reason.strip()):
        raise InvalidInput("reason: an extension needs a written reason")
    total = original.extended_days + extra.count
    if counting.extension_cap is not None and total > counting.extension_cap:
        raise InvalidInput(
            f"by: {total} working days of extensions in all would pass the policy's cap of "
            f"{counting.extension_cap}"
        )
    days = WorkingDays(original.calendar)
    end = days.later(original.end_day, extra.count)
    ends, words = _ending(days, end, counting)
    step = f"extended by {extra} to {_day(end)}" + (f" ({reason.strip()})" if reason else "")
    return replace(
        original,
        end_day=end,
        ends_utc=ends.astimezone(dt.UTC),
        ends_local=ends,
        steps=(*original.steps, step, words),
        extended_days=total,
    )


def _ending(days: WorkingDays, end: dt.date, counting: Counting) -> tuple[dt.datetime, str]:
    end_of_day = dt.datetime.combine(end, dt.time(23, 59, 59), days.zone)
    if counting.ends_at == "end_of_day" or days.calendar.is_24x7:
        return (
            end_of_day,
            f"the deadline is the end of the day: {figures.instant(end_of_day, seconds=True)}",
        )
    if not days.working(end):
        return end_of_day, (
            f"closed on {_day(end)}, so no close of business: the deadline is the end of "
            f"the day, {figures.instant(end_of_day, seconds=True)}"
        )
    close = days.close(end)
    return close, f"the deadline is close of business: {figures.instant(close)}"


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _day(day: dt.date) -> str:
    """``Saturday 26 December 2026``, the same words whatever the process's locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"
