"""Business time: opening hours and the arithmetic of service-level clocks.

An ``OpeningHours`` calendar holds a company's weekly wall-clock hours in one
timezone, its holidays and its special days. It answers, for whole numpy arrays
of UTC instants at once: how many business seconds lie between two instants
(``elapsed``), when a clock of N business seconds started at an instant runs out
(``add``), and whether or when it is open (``is_open``, ``next_open``).

The calendar is compiled lazily into sorted UTC interval arrays covering the
dates the queries need (``charter._hours_compile``); every query is then
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

from charter._hours_compile import NAT, US_PER_S, Compiled
from charter._hours_input import Instants, known_range, read_instants, read_seconds, to_datetime
from charter._hours_lazy import LazyIntervals
from charter._hours_spec import (
    DAY_KEYS,
    MINUTES_PER_DAY,
    Interval,
    Weekly,
    opens_at_all,
    read_spec,
    week_minutes,
)
from charter.errors import CalendarError, UsageError

__all__ = ["Interval", "OpeningHours"]

Instant = dt.datetime | np.datetime64
InstantArray = NDArray[np.datetime64]
Seconds = int | float | np.integer[Any] | np.floating[Any] | np.timedelta64 | dt.timedelta

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
        _check_shapes(a.us, b.us)
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
        _check_shapes(begin.us, micros)
        s_us, x_us = np.broadcast_arrays(begin.us, np.atleast_1d(micros))
        missing = (s_us == NAT) | (x_us == NAT)
        due = s_us + x_us if self._is_24x7 else self._due(s_us, x_us, ~missing)
        due = np.where(missing, NAT, due)
        return _instants_out(due, begin, begin.is_scalar and micros.ndim == 0)

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
            return _instants_out(us.copy(), instants, instants.is_scalar)  # not a view of t
        self._check_opens()
        compiled = self._intervals.covering(*span)
        while not _has_start_after(compiled, span[1]):
            compiled = self._intervals.extended(compiled)
        i = np.searchsorted(compiled.starts, us, "right") - 1
        opening = compiled.starts[np.minimum(i + 1, len(compiled.starts) - 1)]
        return _instants_out(
            np.where(us < compiled.ends[i], us, opening), instants, instants.is_scalar
        )

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


def _has_start_after(compiled: Compiled, t: int) -> bool:
    k = int(np.searchsorted(compiled.starts, t, "right"))
    return k < len(compiled.starts) and int(compiled.starts[k]) < compiled.hi


def _check_shapes(*arrays: NDArray[np.int64]) -> None:
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = " and ".join(str(a.shape) for a in arrays)
        raise UsageError(f"array shapes {shapes} do not broadcast together") from None


def _instants_out(us: NDArray[np.int64], like: Instants, scalar: bool) -> Any:
    if not scalar:
        return us.view("datetime64[us]")
    value = int(us.flat[0])
    if not like.is_datetime:
        return np.datetime64(value, "us")
    if value == NAT:
        raise UsageError("seconds is missing (NaN or NaT); a datetime result cannot be missing")
    return to_datetime(value)
