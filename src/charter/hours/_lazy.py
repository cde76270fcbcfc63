"""Compiling a calendar only for the dates that queries need, and keeping the result.

Queries name UTC instants; the compiled arrays must cover them with a margin of
local dates on both sides (see ``compile_days``). Ranges are rounded out to whole
years, so a stream of queries moving forward recompiles about once a year of
data rather than once a query, and a range once compiled is never given up.
"""

from __future__ import annotations

import numpy as np

from charter.errors import CalendarError, UsageError
from charter.hours._compile import US_PER_DAY, Compiled, compile_days
from charter.hours._spec import CalendarSpec

_FIRST_DAY = np.datetime64("0001-01-03", "D")  # zoneinfo cannot look before year 1
_LAST_DAY = np.datetime64("9999-12-28", "D")
_YEAR = np.timedelta64(366, "D")


class LazyIntervals:
    """A calendar's compiled intervals, built on demand and cached."""

    def __init__(self, spec: CalendarSpec) -> None:
        self._spec = spec
        self._compiled: Compiled | None = None

    def covering(self, lo: int, hi: int) -> Compiled:
        """Intervals answering every UTC instant (microseconds) in ``[lo, hi]``."""
        compiled = self._compiled
        if compiled is not None and compiled.covers(lo, hi):
            return compiled
        first = _year_floor(np.datetime64(lo // US_PER_DAY - 3, "D"))
        end = _year_ceil(np.datetime64(hi // US_PER_DAY + 4, "D"))
        if compiled is not None:
            # Keep what was compiled, so queries alternating between ranges do not thrash.
            first, end = min(first, compiled.first_day), max(end, compiled.end_day)
        compiled = self._compile(first, end)
        if not compiled.covers(lo, hi):
            raise UsageError(
                f"calendar {self._spec.name!r}: instants must lie between {_FIRST_DAY + 2} and "
                f"{_LAST_DAY - 2}, got {np.datetime64(lo, 'us')} to {np.datetime64(hi, 'us')}; "
                "check for placeholder timestamps"
            )
        return compiled

    def extended(self, compiled: Compiled) -> Compiled:
        """``compiled`` grown forwards, doubling its span, to reach a due time or opening.

        Raises CalendarError when no opening lies ahead: a calendar without weekly
        hours stops opening after its last special day.
        """
        last = self._last_opening_day()
        if last is not None and compiled.end_day > last + 3:
            raise CalendarError(
                f"calendar {self._spec.name!r} has no opening hours after {last}, so no due "
                "time exists; add weekly opening hours or later special days"
            )
        if compiled.end_day >= _LAST_DAY:
            raise CalendarError(
                f"calendar {self._spec.name!r}: the answer falls after {_LAST_DAY - 2}, "
                "beyond the dates the tz database covers; check the seconds given"
            )
        grow = max(_YEAR, compiled.end_day - compiled.first_day)
        return self._compile(compiled.first_day, compiled.end_day + grow)

    def _compile(self, first: np.datetime64, end: np.datetime64) -> Compiled:
        self._compiled = compile_days(self._spec, max(first, _FIRST_DAY), min(end, _LAST_DAY))
        return self._compiled

    def _last_opening_day(self) -> np.datetime64 | None:
        # With weekly hours the calendar opens every week; otherwise only on special days.
        if any(self._spec.weekly):
            return None
        days = [day for day, spans in self._spec.special.items() if spans]
        return np.datetime64(max(days), "D") if days else None


def _year_floor(day: np.datetime64) -> np.datetime64:
    return np.datetime64(day.astype("datetime64[Y]"), "D")


def _year_ceil(day: np.datetime64) -> np.datetime64:
    return np.datetime64(day.astype("datetime64[Y]") + 1, "D")
