"""When synthetic tickets arrive: hour buckets of the history, weighted by season.

The history is cut into UTC hour buckets. Each desk (the UK desk in
Europe/London, the US desk in America/New_York) weights a bucket by the local
hour of day and day of week it falls on, a yearly swell peaking after the New
Year, a slow growth, and a little day-to-day noise. One multinomial draw over
every (desk, bucket) cell gives exactly the number of tickets asked for; each
ticket then lands uniformly within its hour. Because whole local hours are
weighted, clock changes need no special case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
from numpy.typing import NDArray

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

US_PER_S: Final = 1_000_000
US_PER_HOUR: Final = 3600 * US_PER_S
HISTORY_ZONE: Final = "Europe/London"

# Relative arrivals by local hour 00..23: quiet nights, peaks late morning and
# early afternoon with a dip over lunch.
HOUR_PROFILE: Final = np.array(
    [0.15, 0.08, 0.05, 0.04, 0.05, 0.10, 0.30, 0.90, 2.00, 3.20, 4.00, 4.30,
     3.60, 3.80, 4.10, 3.70, 3.20, 2.70, 2.20, 1.90, 1.60, 1.20, 0.80, 0.40]
)  # fmt: skip
# Relative arrivals by local weekday, Monday first: Monday busiest, weekends quiet.
WEEKDAY_PROFILE: Final = np.array([1.30, 1.15, 1.05, 1.00, 0.95, 0.50, 0.40])
YEARLY_SWELL: Final = 0.15  # +15 % in early January (returns), -15 % in early July
GROWTH_PER_YEAR: Final = 0.08
DAY_NOISE: Final = 0.08  # lognormal sigma of a day's volume


@dataclass(frozen=True)
class Window:
    """The history: ``hours`` UTC hour buckets from ``first_us`` (UTC microseconds)."""

    first_us: int
    hours: int

    @property
    def end_us(self) -> int:
        return self.first_us + self.hours * US_PER_HOUR

    def bucket_starts(self) -> I64:
        return self.first_us + np.arange(self.hours, dtype=np.int64) * US_PER_HOUR

    def bucket_of(self, t_us: I64) -> I64:
        """The bucket holding each instant, clipped into the history."""
        return np.clip((t_us - self.first_us) // US_PER_HOUR, 0, self.hours - 1)


@dataclass(frozen=True)
class Arrivals:
    """Tickets in creation order: UTC microseconds and desk (0 UK, 1 US); per-desk counts
    of arrivals in each hour bucket."""

    created_us: I64
    desk: NDArray[np.int8]
    per_bucket: tuple[I64, ...]


def history_window(start: dt.date, days: int) -> Window:
    """Local midnight of ``start`` in London to local midnight ``days`` later."""
    zone = ZoneInfo(HISTORY_ZONE)
    first = dt.datetime.combine(start, dt.time(), zone)
    end = dt.datetime.combine(start + dt.timedelta(days=days), dt.time(), zone)
    first_us = _epoch_us(first)
    return Window(first_us, (_epoch_us(end) - first_us) // US_PER_HOUR)


def _epoch_us(moment: dt.datetime) -> int:
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def bucket_weights(window: Window, timezone: str, rng: np.random.Generator) -> F64:
    """Relative arrival rate of each hour bucket for a desk in ``timezone``."""
    local = (
        pl.Series(window.bucket_starts())
        .cast(pl.Datetime("us", "UTC"))
        .dt.convert_time_zone(timezone)
        .to_frame("t")
        .select(
            hour=pl.col("t").dt.hour(),
            weekday=pl.col("t").dt.weekday() - 1,
            day_of_year=pl.col("t").dt.ordinal_day(),
            day=pl.col("t").dt.date().rank("dense") - 1,
        )
    )
    hour, weekday = local["hour"].to_numpy(), local["weekday"].to_numpy()
    day = local["day"].to_numpy().astype(np.int64)
    angle = 2 * np.pi * (local["day_of_year"].to_numpy() - 5) / 365.25
    years = np.arange(window.hours) / (24 * 365.25)
    noise = rng.lognormal(0.0, DAY_NOISE, size=int(day.max()) + 1)[day]
    weights: F64 = (
        HOUR_PROFILE[hour]
        * WEEKDAY_PROFILE[weekday]
        * (1 + YEARLY_SWELL * np.cos(angle))
        * (1 + GROWTH_PER_YEAR * years)
        * noise
    )
    return weights


def draw_arrivals(
    tickets: int, window: Window, desks: tuple[tuple[str, float], ...], rng: np.random.Generator
) -> Arrivals:
    """``tickets`` creation instants over ``window``, shared among ``desks``
    (timezone, share of tickets), sorted in time."""
    weights = [bucket_weights(window, zone, rng) for zone, _ in desks]
    shares = np.array([share for _, share in desks]) / sum(share for _, share in desks)
    cells = np.concatenate([s * w / w.sum() for s, w in zip(shares, weights, strict=True)])
    counts = rng.multinomial(tickets, cells)
    cell = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    desk, bucket = np.divmod(cell, window.hours)
    offset = rng.integers(0, 3600, size=tickets, dtype=np.int64) * US_PER_S
    created = window.first_us + bucket * US_PER_HOUR + offset
    order = np.argsort(created, kind="stable")
    per_bucket = tuple(c.astype(np.int64) for c in counts.reshape(len(desks), window.hours))
    return Arrivals(created[order], desk[order].astype(np.int8), per_bucket)
