"""A support desk of the synthetic history: its opening hours and its queue.

Staffing is flat across opening hours, at ``STAFFING`` times the history's
average demand per open hour, so quiet hours have spare hands and busy hours
build a queue. The queue is the Lindley recursion over hour buckets,
``backlog[t] = max(0, backlog[t-1] + arrivals[t] - capacity[t])``, solved in
closed form with a cumulative sum and a running minimum. Out of hours capacity
is zero, so the night's and the weekend's tickets wait for the next opening.

A ticket's *load* is the queue ahead of it when its clock starts, in hours of
full staffing; a reply's business-time delay is scaled by ``LOAD_FLOOR + load``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from charter.hours import OpeningHours
from charter.tickets.synth._arrivals import F64, I64, US_PER_HOUR, Window

STAFFING: Final = 1.35  # capacity of a fully open hour / average demand per open hour
LOAD_FLOOR: Final = 0.5  # the delay factor with an empty queue


@dataclass(frozen=True)
class Desk:
    """Opening hours and the load a ticket meets in each hour bucket of ``window``."""

    hours: OpeningHours
    load: F64
    window: Window

    def reply(self, t_us: I64, delay: F64) -> I64:
        """When the agent answers a message at ``t_us``: ``delay`` business seconds,
        scaled by the load of the hour the clock starts in, after the next opening."""
        opens = self.hours.next_open(t_us.view("datetime64[us]"))
        factor = LOAD_FLOOR + self.load[self.window.bucket_of(opens.view(np.int64))]
        seconds = np.maximum(np.rint(delay * factor), 1).astype(np.int64)
        replies: I64 = self.hours.add(opens, seconds).view(np.int64)
        return replies


def build_desk(hours: OpeningHours, arrivals: I64, window: Window) -> Desk:
    """The desk answering ``arrivals`` (tickets per hour bucket) in ``hours``."""
    starts = window.bucket_starts()
    ends = starts + US_PER_HOUR
    open_share = hours.elapsed(starts.view("datetime64[us]"), ends.view("datetime64[us]")) / 3600
    full = STAFFING * max(int(arrivals.sum()), 1) / max(float(open_share.sum()), 1.0)
    backlog = queue_after(arrivals.astype(np.float64), full * open_share)
    waiting_before = np.concatenate([[0.0], backlog[:-1]])
    load: F64 = (waiting_before + arrivals / 2) / full
    return Desk(hours, load, window)


def queue_after(arrivals: F64, capacity: F64) -> F64:
    """Tickets waiting at the end of each bucket, starting empty.

    >>> queue_after(np.array([5.0, 0.0, 4.0, 1.0]), np.array([2.0, 2.0, 2.0, 2.0]))
    array([3., 1., 3., 2.])
    """
    total = np.cumsum(arrivals - capacity)
    backlog: F64 = total - np.minimum(np.minimum.accumulate(total), 0.0)
    return backlog
