"""When a planned escalation level is delivered: at once, or at a calendar's next opening.

A level with ``quiet_outside`` keeps quiet outside that calendar's opening hours: due
while it is open, it is delivered at its planned instant; due while it is closed, at
the calendar's next opening (what falls due at 02:00 on Sunday is delivered at
Monday's opening). Each quiet calendar's rows go to its ``OpeningHours.next_open`` as
one array, so the work is one vectorized call per calendar, never per row.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.hours import OpeningHours
from charter.policy.schema import Policy
from charter.sla._clock_ops import instants, per_clock
from charter.sla.targets import clocks_for


def with_delivery(policy: Policy, plan: pl.DataFrame) -> pl.DataFrame:
    """``plan`` (``due_at``, ``quiet_outside``) with ``deliver_at``: the planned instant,
    or for a quiet level due outside its calendar's hours, the next opening."""
    waiting = (pl.col("quiet_outside").is_not_null() & pl.col("due_at").is_not_null()).alias("q")
    mask = plan.select(waiting).to_series().to_numpy()
    deliver = instants(plan, "due_at").copy()
    if mask.any():
        quiet = plan.filter(mask).select(pl.col("quiet_outside").alias("clock"), "due_at")
        first, last = quiet["due_at"].min(), quiet["due_at"].max()
        assert isinstance(first, dt.datetime) and isinstance(last, dt.datetime)
        names = sorted(set(quiet["clock"].to_list()))
        calendars = clocks_for(policy, names, first.date(), last.date())
        opened = per_clock(quiet, calendars, _next_open)
        deliver[mask] = instants(opened, "deliver_at")
    series = pl.Series("deliver_at", deliver).dt.replace_time_zone("UTC")
    return plan.with_columns(series)


def _next_open(hours: OpeningHours, frame: pl.DataFrame) -> dict[str, NDArray[np.generic]]:
    return {"deliver_at": hours.next_open(instants(frame, "due_at"))}
