"""Business time: opening hours and the arithmetic of service-level clocks.

An ``OpeningHours`` calendar holds a company's weekly wall-clock hours in one
timezone, its holidays and its special days. It answers, for whole numpy arrays
of UTC instants at once: how many business seconds lie between two instants
(``elapsed``), when a clock of N business seconds started at an instant runs out
(``add``), when a promise of N working days runs out (``add_working_days``),
and whether or when it is open (``is_open``, ``next_open``).

The calendar is compiled lazily into sorted UTC interval arrays covering the
dates the queries need (``charter.hours._compile``); every query is then
``searchsorted`` and arithmetic. Errors: a malformed calendar or one that cannot
answer raises ``CalendarError``; bad arguments raise ``UsageError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from charter.errors import CalendarError
from charter.hours._compile import NAT, US_PER_DAY, US_PER_S, Compiled
from charter.hours._input import (
    check_shapes,
    instants_out,
    known_range,
    read_days,
    read_instants,
    read_seconds,
)
from charter.hours._lazy import LazyIntervals
from charter.hours._spec import (
    DAY_KEYS,
    MINUTES_PER_DAY,
    Interval,
    Weekly,
    opens_at_all,
    read_spec,
    week_minutes,
)
from charter.hours._working import due_after_days

__all__ = ["Interval", "OpeningHours"]

Instant = dt.datetime | np.datetime64
InstantArray = NDArray[np.datetime64]
Seconds = int | float | np.integer[Any] | np.floating[Any] | np.timedelta64 | dt.timedelta
Days = int | float | np.integer[Any] | np.floating[Any]

_NO_SPECIAL: Mapping[dt.date, Sequence[Interval]] = MappingProxyType({})


class OpeningHours:
    """A business-hours calendar in one timezone.

    >>> import datetime as dt
    >>> support = OpeningHours(
    ...     "Europe/London", {"mon": [("09:00", "17:30")]}, name="support")
    >>> monday_9am = dt.datetime(2024, 6, 3, 8, 0, tzinfo=dt.UTC)  # 09:00 BST
    >>> support.elapsed(monday_9am, monday_9am + dt.timedelta(days=1))
    30600.0
    >>> support.add(monday_9am, 8.5 * 3600)  # exactly fills the day: lands on its close
    datetime.datetime(2024, 6, 3, 16, 30, tzinfo=datetime.timezone.utc)
    """

    def __init__(
        self,
        timezone: str,
        weekly: Weekly,
        holidays: Iterable[dt.date] = (),
        special: Mapping[dt.date, Sequence[Interval]] = _NO_SPECIAL,
        name: str = "calendar",
    ) -> None:
        self._spec = read_spec(name, timezone, weekly, holidays, special)
        self._week_minutes = week_minutes(self._spec)
        closed_or_special = self._spec.holidays or self._spec.special
        self._is_24x7 = self._week_minutes == 7 * MINUTES_PER_DAY and not closed_or_special
        self._intervals = LazyIntervals(self._spec)

    @classmethod
    def always(cls, name: str = "24x7") -> OpeningHours:
        """The 24x7 clock: open at every instant, midnight included.

        >>> OpeningHours.always().elapsed(
        ...     np.datetime64("2024-01-01T23:59"), np.datetime64("2024-01-02T00:01"))
        120.0
        """
        return cls("UTC", dict.fromkeys(DAY_KEYS, [("00:00", "24:00")]), name=name)

    @property
    def name(self) -> str:
        return self._spec.name

    @property
    def timezone(self) -> str:
        return self._spec.timezone

    @property
    def is_24x7(self) -> bool:
        """True when the calendar is open at every instant (one infinite interval)."""
        return self._is_24x7

    def __repr__(self) -> str:
        return f"OpeningHours(name={self.name!r}, timezone={self.timezone!r})"

    def weekly_seconds(self) -> int:
        """Open seconds in a normal week on the wall clock (no holidays, no DST change).

        >>> OpeningHours("UTC", {"mon": [("09:00", "17:30")]}).weekly_seconds()
        30600
        """
        return self._week_minutes * 60

    def never_opens(self) -> bool:
        """True when no weekly day and no special day has opening hours.

        >>> OpeningHours("UTC", {}, special={dt.date(2024, 12, 24): []}).never_opens()
        True
        """
        return not opens_at_all(self._spec)

    @overload
    def elapsed(self, start: Instant, end: Instant) -> float: ...
    @overload
    def elapsed(self, start: InstantArray, end: Instant | InstantArray) -> NDArray[np.float64]: ...
    @overload
    def elapsed(self, start: Instant, end: InstantArray) -> NDArray[np.float64]: ...
    def elapsed(self, start: object, end: object) -> float | NDArray[np.float64]:
        """Business seconds in ``[start, end)``; negative when ``end`` is before ``start``.

        Arrays broadcast like numpy; a NaT on either side gives NaN.

        >>> OpeningHours("UTC", {"sat": [("10:00", "12:00")]}).elapsed(
        ...     np.array(["2024-06-01T11:00", "NaT"], dtype="datetime64[us]"),
        ...     np.datetime64("2024-06-08T10:30"))
        array([5400.,   nan])
        """
        a, b = read_instants(start, "start"), read_instants(end, "end")
        check_shapes(a.us, b.us)
        if self._is_24x7:
            micros = b.us - a.us
        elif (span := known_range(a.us, b.us)) is not None:
            compiled = self._intervals.covering(*span)
            micros = compiled.business(b.us) - compiled.business(a.us)
        else:
            micros = np.zeros(np.broadcast_shapes(a.us.shape, b.us.shape), dtype=np.int64)
        seconds = micros / US_PER_S
        seconds[(a.us == NAT) | (b.us == NAT)] = np.nan
        return float(seconds[0]) if a.is_scalar and b.is_scalar else seconds

    @overload
    def add(self, start: dt.datetime, seconds: Seconds) -> dt.datetime: ...
    @overload
    def add(self, start: np.datetime64, seconds: Seconds) -> np.datetime64: ...
    @overload
    def add(
        self, start: InstantArray, seconds: Seconds | NDArray[Any]
    ) -> NDArray[np.datetime64]: ...
    @overload
    def add(self, start: Instant, seconds: NDArray[Any]) -> NDArray[np.datetime64]: ...
    def add(self, start: object, seconds: object) -> Any:
        """The earliest instant ``t >= start`` with ``elapsed(start, t) == seconds``.

        A clock started while closed begins at the next opening; ``seconds == 0``
        gives ``start`` itself; a due time that exactly fills an interval is its
        close. Negative seconds raise ``UsageError``.

        >>> support = OpeningHours("Europe/London", {"fri": [("09:00", "17:00")]})
        >>> friday_7pm = np.datetime64("2024-06-07T18:00")  # 19:00 BST, closed
        >>> support.add(friday_7pm, 3600)  # opens next Friday 09:00 BST, due 10:00 BST
        np.datetime64('2024-06-14T09:00:00.000000')
        """
        begin, micros = read_instants(start, "start"), read_seconds(seconds)
        check_shapes(begin.us, micros)
        s_us, x_us = np.broadcast_arrays(begin.us, np.atleast_1d(micros))
        missing = (s_us == NAT) | (x_us == NAT)
        due = s_us + x_us if self._is_24x7 else self._due(s_us, x_us, ~missing)
        due = np.where(missing, NAT, due)
        return instants_out(due, begin, begin.is_scalar and micros.ndim == 0)

    @overload
    def next_open(self, t: dt.datetime) -> dt.datetime: ...
    @overload
    def next_open(self, t: np.datetime64) -> np.datetime64: ...
    @overload
    def next_open(self, t: InstantArray) -> NDArray[np.datetime64]: ...
    def next_open(self, t: object) -> Any:
        """``t`` itself when open, else the instant the calendar next opens.

        >>> support = OpeningHours("UTC", {"mon": [("09:00", "17:00")]})
        >>> support.next_open(np.datetime64("2024-06-03T17:00"))  # closes at 17:00
        np.datetime64('2024-06-10T09:00:00.000000')
        """
        instants = read_instants(t, "t")
        us = instants.us
        span = known_range(us)
        if self._is_24x7 or span is None:
            return instants_out(us.copy(), instants, instants.is_scalar)  # not a view of t
        return instants_out(self._opened(us, span), instants, instants.is_scalar)

    @overload
    def is_open(self, t: Instant) -> bool: ...
    @overload
    def is_open(self, t: InstantArray) -> NDArray[np.bool_]: ...
    def is_open(self, t: object) -> bool | NDArray[np.bool_]:
        """Whether the calendar is open at ``t``: an interval's start is open, its end is not.

        >>> OpeningHours.always().is_open(np.datetime64("2024-06-03T00:00"))
        True
        """
        instants = read_instants(t, "t")
        us = instants.us
        span = known_range(us)
        if self._is_24x7 or span is None:
            result = us != NAT
        else:
            compiled = self._intervals.covering(*span)
            i = np.searchsorted(compiled.starts, us, "right") - 1
            result = (us < compiled.ends[i]) & (us != NAT)
        return bool(result[0]) if instants.is_scalar else result

    @overload
    def add_working_days(self, start: dt.datetime, days: Days) -> dt.datetime: ...
    @overload
    def add_working_days(self, start: np.datetime64, days: Days) -> np.datetime64: ...
    @overload
    def add_working_days(
        self, start: InstantArray, days: Days | NDArray[Any]
    ) -> NDArray[np.datetime64]: ...
    @overload
    def add_working_days(self, start: Instant, days: NDArray[Any]) -> NDArray[np.datetime64]: ...
    def add_working_days(self, start: object, days: object) -> Any:
        """The due instant of a promise of ``days`` working days started at ``start``.

        The clock starts at ``next_open(start)``; day 0 is the local date of that
        opening (within an overnight interval, the date the interval started on).
        A working day is an opening day: a local date on which at least one
        interval starts, after holidays and special days. The due instant is the
        close of the last interval starting on the ``days``-th opening day after
        day 0; ``days == 0`` gives day 0's close. On the 24x7 clock a working day
        is 24 hours. Missing starts or days (NaT, NaN) give NaT; negative or
        fractional days raise ``UsageError``.

        >>> office = OpeningHours("Europe/London", {"mon": [("09:00", "17:00")],
        ...                       "tue": [("09:00", "17:00")], "wed": [("09:00", "17:00")]})
        >>> office.add_working_days(np.datetime64("2024-06-03T09:00"), 1)  # Mon 10:00 BST
        np.datetime64('2024-06-04T16:00:00.000000')
        >>> office.add_working_days(np.datetime64("2024-06-03T18:00"), 1)  # Mon 19:00, closed
        np.datetime64('2024-06-05T16:00:00.000000')
        """
        begin, count = read_instants(start, "start"), read_days(days)
        check_shapes(begin.us, count)
        s_us, n = np.broadcast_arrays(begin.us, np.atleast_1d(count))
        known = (s_us != NAT) & (n != NAT)
        due = np.full(s_us.shape, NAT, dtype=np.int64)
        if self._is_24x7:
            due[known] = s_us[known] + n[known] * US_PER_DAY
        elif known.any():
            first = s_us[known]
            opened = self._opened(first, (int(first.min()), int(first.max())))
            due[known] = due_after_days(self._intervals, opened, n[known])
        return instants_out(due, begin, begin.is_scalar and count.ndim == 0, "days")

    def _opened(self, us: NDArray[np.int64], span: tuple[int, int]) -> NDArray[np.int64]:
        """Each instant itself when open, else the next opening; ``span`` bounds the known ones."""
        self._check_opens()
        compiled = self._intervals.covering(*span)
        while not _open_or_opens_after(compiled, span[1]):
            compiled = self._intervals.extended(compiled)
        i = np.searchsorted(compiled.starts, us, "right") - 1
        opening = compiled.starts[np.minimum(i + 1, len(compiled.starts) - 1)]
        opened: NDArray[np.int64] = np.where(us < compiled.ends[i], us, opening)
        return opened

    def _due(
        self, s_us: NDArray[np.int64], x_us: NDArray[np.int64], known: NDArray[np.bool_]
    ) -> NDArray[np.int64]:
        counting = known & (x_us > 0)
        if not counting.any():
            return s_us
        self._check_opens()
        counted = s_us[counting]
        compiled = self._intervals.covering(int(counted.min()), int(counted.max()))
        while True:
            # Every due time must fall where the compiled intervals are exact.
            target = compiled.business(s_us) + x_us
            reach = compiled.business(np.array([compiled.hi], dtype=np.int64))[0]
            if target[counting].max() <= reach:
                break
            compiled = self._intervals.extended(compiled)
        j = np.minimum(np.searchsorted(compiled.cum_end, target, "left"), len(compiled.ends) - 1)
        due = compiled.ends[j] - (compiled.cum_end[j] - target)
        return np.where(counting, due, s_us)

    def _check_opens(self) -> None:
        if self.never_opens():
            raise CalendarError(
                f"calendar {self.name!r} never opens: add opening hours to weekly or special days"
            )


def _open_or_opens_after(compiled: Compiled, t: int) -> bool:
    """Whether ``compiled`` answers ``next_open`` for every instant up to ``t``.

    It does when ``t`` is open or an interval starts after it: an earlier closed
    instant then also has a start after it.
    """
    k = int(np.searchsorted(compiled.starts, t, "right"))
    if t < int(compiled.ends[k - 1]):
        return True
    return k < len(compiled.starts) and int(compiled.starts[k]) < compiled.hi
