"""Working days: counting a calendar's opening days instead of its seconds.

Public charters promise "within 10 working days". A working day is an opening
day of the calendar — a local date on which at least one interval starts, after
holidays and special days — and the promise runs out at the close of the last
interval starting on the tenth opening day after the one the clock starts in.
The compiled ``day_first`` / ``day_close`` arrays hold one entry per opening day,
so the count is a ``searchsorted`` and an index shift for every clock at once.
"""

from __future__ import annotations

import numpy as np

from charter.hours._compile import I64
from charter.hours._lazy import LazyIntervals


def due_after_days(intervals: LazyIntervals, opened: I64, days: I64) -> I64:
    """The close of the ``days``-th opening day after the day each clock starts in.

    ``opened`` are instants at which the calendar is open (``next_open`` of the
    start) and ``days`` whole and non-negative, neither missing. Day 0 is the
    latest opening day begun by then (its first interval has started): the local
    date of the opening, or within an overnight interval the date it started on.
    A due time is never before its clock starts, even when an earlier day's
    overnight interval outlasts day 0's own intervals.
    """
    compiled = intervals.covering(int(opened.min()), int(opened.max()))
    while True:
        day_zero = np.searchsorted(compiled.day_first, opened, "right") - 1
        target = day_zero + days
        if int(target.max()) < len(compiled.day_close):
            break
        # The compiled dates end before the last due day: grow them (or learn none exists).
        compiled = intervals.extended(compiled)
    due: I64 = np.maximum(compiled.day_close[target], opened)
    return due
