"""A pilot against its control group, from the stored tickets and their SLA state.

The pilot's tickets are its group's tickets created in its period (judged under the
pilot version); the control group is every other ticket created in the same period
(judged under the version in force). Both are compared with the statistics of
``charter.analytics.pilot``: compliance per promise (two-proportion z test), first
reply and resolution times (Mann-Whitney U, stopped clocks only, business hours) and
CSAT (share of 4-5 ratings), each with a verdict in plain language. A pilot still
running is compared up to now.

``pilot_comparison(database, slug)`` answers for the policy's running or most recent
pilot (the review pack shows it); ``dashboard_pilot(database)`` for the policy in force
(the dashboard's *Pilot* panel).

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> dashboard_pilot(db) is None
True
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from dataclasses import dataclass, field, replace

import polars as pl

from charter import figures
from charter.analytics.pilot import PilotResult, compare_pilot
from charter.analytics.stats import DurationComparison, ProportionComparison
from charter.clock import utc_moment
from charter.errors import UsageError
from charter.policy.pilot_group import Pilot
from charter.policy.service_level import METRICS
from charter.services.lifecycle import Version, last_pilot, operating_version
from charter.store import Database
from charter.store import tickets as stored

TIMES = {"first_response": "replied", "resolution": "solved"}  # a stopped clock's sign
MAX_AGE = 60.0  # seconds the dashboard's comparison is given again for the same pilot


@dataclass(frozen=True)
class Figure:
    """One comparison as a row: what, the pilot's figure, the control's, the verdict."""

    label: str
    pilot: str
    control: str
    verdict: str
    enough: bool


@dataclass(frozen=True)
class PilotComparison:
    """The pilot of version ``number`` of ``slug`` against control, as of ``as_of``.
    ``result`` is None (and ``note`` says why) while either group has no ticket."""

    slug: str
    number: int
    group: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str
    as_of: dt.datetime
    pilot_tickets: int = 0
    control_tickets: int = 0
    result: PilotResult | None = None
    figures: list[Figure] = field(default_factory=list)
    note: str = ""


def pilot_comparison(
    database: Database, slug: str, *, now: dt.datetime | None = None
) -> PilotComparison | None:
    """The policy's running or most recent pilot against control; None when none of its
    versions was piloted with a group."""
    version = last_pilot(database, slug)
    if version is None or version.pilot is None:
        return None
    return compare(database, version, version.pilot, utc_moment(now))


def dashboard_pilot(
    database: Database, *, now: dt.datetime | None = None, max_age: float = MAX_AGE
) -> PilotComparison | None:
    """``pilot_comparison`` for the policy in force, if there is one.

    Its pilot's period can hold a year of tickets (half a second to read per 100,000
    on SQLite), so an answer computed less than ``max_age`` seconds ago for the same
    pilot (same version, group, period and outcome: a lifecycle step shows at once) is
    given again; with ``now``, it is always computed."""
    live = operating_version(database, now)
    version = last_pilot(database, live.slug) if live is not None else None
    if version is None or version.pilot is None:
        return None
    key, known = (version.id, version.pilot), _RECENT.get(database)
    if now is None and known is not None and known[1] == key:
        if time.monotonic() - known[0] < max_age:
            return known[2]
    moment = utc_moment(now)
    found = compare(database, version, version.pilot, moment)
    if now is None:
        _RECENT[database] = (time.monotonic(), key, found)
    return found


def compare(
    database: Database, version: Version, pilot: Pilot, now: dt.datetime
) -> PilotComparison:
    """``version``'s pilot against control, over its period up to ``now``."""
    span = stored.PilotSpan(
        version.id, pilot.group.column, pilot.group.values, pilot.starts_at, pilot.ends_at
    )
    with database.reading() as session:
        frame = stored.pilot_frame(session, span, now, METRICS)
    marks = frame["pilot"] == 1
    size = int(marks.sum())
    base = PilotComparison(
        version.slug, version.number, pilot.group.describe(), pilot.starts_at,
        pilot.ends_at, pilot.state(now), now, size, frame.height - size,
    )  # fmt: skip
    try:
        result = compare_pilot(_sla(frame), frame.select("id", "csat"), marks)
    except UsageError:
        group = "the pilot's group" if size == 0 else "the control group"
        return replace(base, note=f"No ticket of {group} was created in the period yet.")
    return replace(base, result=result, figures=_figures(result))


def _sla(frame: pl.DataFrame) -> pl.DataFrame:
    """The stored states as ``compare_pilot`` reads a backtest's: a row per ticket and
    metric with ``status``, ``elapsed_seconds`` and ``stop_at`` (set when the clock
    stopped: the first reply or the solve happened)."""
    parts = []
    for metric in METRICS:
        stopped = pl.col(TIMES[metric]) == 1 if metric in TIMES else pl.lit(False)
        parts.append(
            frame.filter(pl.col(f"{metric}_status").is_not_null()).select(
                pl.col("id").alias("ticket_id"),
                pl.lit(metric).alias("metric"),
                pl.col(f"{metric}_status").alias("status"),
                pl.col(f"{metric}_elapsed_seconds").alias("elapsed_seconds"),
                pl.when(stopped).then(pl.lit(1)).otherwise(None).alias("stop_at"),
            )
        )
    return pl.concat(parts)


def _figures(result: PilotResult) -> list[Figure]:
    rows = [_share(c) for c in result.compliance]
    rows += [_times(c) for c in result.durations]
    rows.append(_share(result.csat))
    return rows


def _share(c: ProportionComparison) -> Figure:
    def shown(met: int, total: int, rate: float) -> str:
        return f"{figures.share(rate)} ({figures.count(met)} of {figures.count(total)})"

    return Figure(
        c.label[0].upper() + c.label[1:],
        shown(c.pilot_met, c.pilot_total, c.pilot_rate),
        shown(c.control_met, c.control_total, c.control_rate),
        c.verdict,
        c.enough,
    )


def _times(c: DurationComparison) -> Figure:
    def shown(median: float, count: int) -> str:
        return f"median {figures.duration(median, business=True)} ({figures.count(count)})"

    return Figure(
        c.label[0].upper() + c.label[1:],
        shown(c.pilot_median, c.pilot_count),
        shown(c.control_median, c.control_count),
        c.verdict,
        c.enough,
    )


# Per database: when the dashboard's comparison was computed (monotonic), for which
# pilot (version id and its terms), and the comparison.
_RECENT: weakref.WeakKeyDictionary[Database, tuple[float, tuple[int, Pilot], PilotComparison]] = (
    weakref.WeakKeyDictionary()
)
