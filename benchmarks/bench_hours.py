"""Business time: Charter's OpeningHours against the usual Python ways of computing it.

Run from the repository root (needs the ``bench`` extra):

    python benchmarks/bench_hours.py [--show-disagreements]

One calendar (Mon-Fri 09:00-17:30 Europe/London, England's bank holidays), one
million random pairs over three years, one table. Slow peers run on a sample and
are extrapolated; each peer's agreement with Charter on its sample is printed,
because a fast wrong answer is not a peer. A bare numpy kernel (two
``searchsorted`` over arrays built outside the timing) is the practical limit.
Compare ratios within one run: absolute speeds vary with the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import businesstimedelta as btd
import holidays
import numpy as np
import pandas as pd
import pytz
from rich.console import Console
from rich.table import Table

from charter.hours import OpeningHours

try:
    from business_duration import businessDuration
except ImportError:  # optional: the table says when it is missing
    businessDuration = None

TZ = "Europe/London"
OPEN, CLOSE = dt.time(9), dt.time(17, 30)
WEEKLY = {day: [("09:00", "17:30")] for day in ("mon", "tue", "wed", "thu", "fri")}
FIRST, END = np.datetime64("2022-01-01", "s"), np.datetime64("2025-01-01", "s")
PAIRS = 1_000_000
REPEAT = 5
KERNEL = "bare numpy kernel"


@dataclass
class Data:
    """The random pairs, and Charter's answers that every peer is compared with."""

    bank_holidays: list[dt.date]
    starts: np.ndarray  # datetime64[us], UTC, whole seconds
    ends: np.ndarray
    seconds: np.ndarray  # business seconds to add, whole seconds

    def calendar(self) -> OpeningHours:
        return OpeningHours(TZ, WEEKLY, holidays=self.bank_holidays, name="bench")


def draw(rng: np.random.Generator, bank_holidays: list[dt.date]) -> Data:
    span = int((END - FIRST) / np.timedelta64(1, "s"))
    starts = (FIRST + rng.integers(0, span, PAIRS).astype("m8[s]")).astype("M8[us]")
    ends = starts + rng.integers(0, 30 * 86_400, PAIRS).astype("m8[s]")
    seconds = rng.integers(0, 40 * 3600, PAIRS).astype(np.float64)
    return Data(bank_holidays, starts, ends, seconds)


@dataclass
class Row:
    implementation: str
    operation: str
    seconds: float  # time taken for ``pairs`` pairs (extrapolated for samples)
    pairs: int = PAIRS
    note: str = "all pairs"
    agreement: str = "—"


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def charter_rows(data: Data) -> list[Row]:
    warm = data.calendar()
    warm.elapsed(data.starts, data.ends)  # compile first: the rows below are the steady state
    ten_years = np.array(["2020-01-01", "2029-12-31"], dtype="M8[us]")
    return [
        Row("Charter", "elapsed", best_of(REPEAT, lambda: warm.elapsed(data.starts, data.ends))),
        Row(
            "Charter",
            "elapsed, first call",
            best_of(1, lambda: data.calendar().elapsed(data.starts, data.ends)),
            note="all pairs, compiling the calendar included",
        ),
        Row("Charter", "add", best_of(REPEAT, lambda: warm.add(data.starts, data.seconds))),
        Row(
            "Charter",
            "compile 10 years",
            best_of(7, lambda: data.calendar().is_open(ten_years)),
            pairs=0,
            note="new calendar asked about 2020-2029; best of 7",
        ),
    ]


def kernel_arrays(bank_holidays: list[dt.date]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interval starts, ends and cumulative ends in UTC microseconds, built day by day."""
    zone, closed = ZoneInfo(TZ), set(bank_holidays)
    day, spans = dt.date(2021, 12, 1), []
    while day < dt.date(2025, 3, 1):
        if day.weekday() < 5 and day not in closed:
            local_times = (dt.datetime.combine(day, t, tzinfo=zone) for t in (OPEN, CLOSE))
            spans.append([int(t.timestamp()) * 1_000_000 for t in local_times])
        day += dt.timedelta(days=1)
    starts, ends = np.array(spans, dtype=np.int64).T
    return starts, ends, np.cumsum(ends - starts)


def kernel_rows(data: Data, elapsed_wanted: np.ndarray, due_wanted: np.ndarray) -> list[Row]:
    starts, ends, cum_end = kernel_arrays(data.bank_holidays)
    a, b = data.starts.view(np.int64), data.ends.view(np.int64)
    x = (data.seconds * 1_000_000).astype(np.int64)

    def business(t: np.ndarray) -> np.ndarray:
        i = np.searchsorted(starts, t, "right") - 1
        return cum_end[i] - np.maximum(ends[i] - t, 0)

    def elapsed() -> np.ndarray:
        return (business(b) - business(a)) / 1e6

    def add() -> np.ndarray:
        target = business(a) + x
        j = np.searchsorted(cum_end, target, "left")
        return np.where(x == 0, a, ends[j] - (cum_end[j] - target)).view("M8[us]")

    return [
        Row(
            KERNEL, "elapsed", best_of(REPEAT, elapsed), agreement=share(elapsed(), elapsed_wanted)
        ),
        Row(KERNEL, "add", best_of(REPEAT, add), agreement=share(add(), due_wanted)),
    ]


def share(peer: np.ndarray, charter: np.ndarray) -> str:
    """Share of answers within one second of Charter's, as text."""
    gap = peer - charter
    if gap.dtype.kind == "m":
        gap = gap / np.timedelta64(1, "s")
    return f"{np.mean(np.abs(gap) <= 1.0):.1%}"  # NaN (a peer that raised) never agrees


def local(instant: np.datetime64) -> pd.Timestamp:
    return pd.Timestamp(instant).tz_localize("UTC").tz_convert(TZ)


def utc64(instant: dt.datetime) -> np.datetime64:
    return np.datetime64(pd.Timestamp(instant).tz_convert("UTC").tz_localize(None), "us")


@dataclass
class Peer:
    name: str
    operation: str  # "elapsed" (second argument: end) or "add" (second argument: seconds)
    answer: Callable[[np.datetime64, Any], Any]
    sample: int
    whole_hours: bool = False  # pandas offsets add whole business hours only


def pandas_peers(bank_holidays: list[dt.date]) -> list[Peer]:
    hour = pd.offsets.CustomBusinessHour(start="09:00", end="17:30", holidays=bank_holidays)

    def elapsed(start: np.datetime64, end: np.datetime64) -> float:
        # The idiom people use: count the business-hour ticks between the two times.
        return 3600.0 * len(pd.date_range(local(start), local(end), freq=hour))

    def add(start: np.datetime64, seconds: float) -> np.datetime64:
        return utc64(local(start) + hour * int(seconds // 3600))

    name = "pandas CustomBusinessHour"
    return [Peer(name, "elapsed", elapsed, 300), Peer(name, "add", add, 300, whole_hours=True)]


def businesstimedelta_peers(bank_holidays: list[dt.date]) -> list[Peer]:
    zone = pytz.timezone(TZ)
    workdays = btd.WorkDayRule(start_time=OPEN, end_time=CLOSE, working_days=range(5), tz=zone)
    rules = btd.Rules([workdays, btd.HolidayRule(bank_holidays, tz=zone)])

    def elapsed(start: np.datetime64, end: np.datetime64) -> float:
        delta = rules.difference(local(start).to_pydatetime(), local(end).to_pydatetime())
        return float(delta.timedelta.total_seconds())

    def add(start: np.datetime64, seconds: float) -> np.datetime64:
        return utc64(local(start).to_pydatetime() + btd.BusinessTimeDelta(rules, seconds=seconds))

    return [
        Peer("businesstimedelta", "elapsed", elapsed, 1_000),
        Peer("businesstimedelta", "add", add, 1_000),
    ]


def business_duration_peers(bank_holidays: list[dt.date]) -> list[Peer]:
    if businessDuration is None:
        return []

    def elapsed(start: np.datetime64, end: np.datetime64) -> float:
        first, last = (local(t).tz_localize(None).to_pydatetime() for t in (start, end))
        return float(businessDuration(first, last, OPEN, CLOSE, [5, 6], bank_holidays, unit="sec"))

    return [Peer("business-duration", "elapsed", elapsed, 2_000)]


def ask(peer: Peer, starts: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, float]:
    """The peer's answers pair by pair (NaN/NaT where it raised), and the time taken."""
    missing: Any = np.datetime64("NaT", "us") if peer.operation == "add" else np.nan
    answers = []
    began = time.perf_counter()
    for start, other in zip(starts, others, strict=True):
        try:
            answers.append(peer.answer(start, other))
        except Exception:  # a pair the peer cannot answer is counted as a disagreement
            answers.append(missing)
    took = time.perf_counter() - began
    return np.array(answers, dtype="M8[us]" if peer.operation == "add" else np.float64), took


def peer_rows(data: Data, elapsed_wanted: np.ndarray, notes: list[str]) -> list[Row]:
    """One row per peer and operation; the pairs it disagrees on go to ``notes``."""
    found = [
        *pandas_peers(data.bank_holidays),
        *businesstimedelta_peers(data.bank_holidays),
        *business_duration_peers(data.bank_holidays),
    ]
    rows = []
    for peer in found:
        n = peer.sample
        starts = data.starts[:n]
        if peer.operation == "elapsed":
            others, wanted = data.ends[:n], elapsed_wanted[:n]
        else:
            others = data.seconds[:n] // 3600 * 3600 if peer.whole_hours else data.seconds[:n]
            wanted = data.calendar().add(starts, others)
        answers, took = ask(peer, starts, others)
        note = f"sample of {n:,}, extrapolated" + ("; whole hours" if peer.whole_hours else "")
        rows.append(
            Row(
                peer.name,
                peer.operation,
                took * PAIRS / n,
                note=note,
                agreement=share(answers, wanted),
            )
        )
        notes.extend(disagreements(peer, starts, others, answers, wanted))
    if businessDuration is None:
        rows.append(
            Row("business-duration", "elapsed", float("nan"), pairs=0, note="not installed")
        )
    return rows


def disagreements(
    peer: Peer, starts: np.ndarray, others: np.ndarray, got: np.ndarray, wanted: np.ndarray
) -> list[str]:
    """The first three pairs where the peer and Charter differ by more than a second."""
    gap = got - wanted
    seconds = gap / np.timedelta64(1, "s") if gap.dtype.kind == "m" else gap
    lines = []
    for k in np.flatnonzero(~(np.abs(seconds) <= 1.0))[:3]:
        other = others[k] if peer.operation == "add" else local(others[k])
        lines.append(
            f"  {peer.name} {peer.operation}({local(starts[k])}, {other}): "
            f"peer {got[k]}, Charter {wanted[k]}"
        )
    return lines


def show_edge_cases() -> None:
    """Night shifts and clock-change nights, where the PyPI peers go wrong."""
    zone, every_day = pytz.timezone(TZ), ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    cases = [
        (
            "22:00-06:00 shift, Tue 02:00-05:00 BST",
            dt.time(22),
            dt.time(6),
            "2024-06-04T01:00",
            "2024-06-04T04:00",
        ),
        (
            "01:00-03:00 on the fall-back night",
            dt.time(1),
            dt.time(3),
            "2024-10-26T20:00",
            "2024-10-27T08:00",
        ),
        (
            "01:00-03:00 on the spring-forward night",
            dt.time(1),
            dt.time(3),
            "2024-03-30T20:00",
            "2024-03-31T08:00",
        ),
    ]
    for label, opens, closes, first, last in cases:
        a, b = (dt.datetime.fromisoformat(t).replace(tzinfo=dt.UTC) for t in (first, last))
        hours = OpeningHours(TZ, dict.fromkeys(every_day, [(f"{opens:%H:%M}", f"{closes:%H:%M}")]))
        rule = btd.WorkDayRule(start_time=opens, end_time=closes, working_days=range(7), tz=zone)
        found = [f"Charter {hours.elapsed(a, b) / 3600:g} h"]
        found.append(
            f"businesstimedelta {rule.difference(a, b).timedelta.total_seconds() / 3600:g} h"
        )
        if businessDuration is not None:
            naive = [t.astimezone(zone).replace(tzinfo=None) for t in (a, b)]
            hours_found = businessDuration(*naive, opens, closes, [], None, unit="sec") / 3600
            found.append(f"business-duration {hours_found:g} h")
        found.append(f"pandas {pandas_edge_case(opens, closes, a, b)}")
        print(f"  {label}: {', '.join(found)}")


def pandas_edge_case(opens: dt.time, closes: dt.time, a: dt.datetime, b: dt.datetime) -> str:
    hour = pd.offsets.CustomBusinessHour(
        start=f"{opens:%H:%M}", end=f"{closes:%H:%M}", weekmask="Mon Tue Wed Thu Fri Sat Sun"
    )
    first, last = (pd.Timestamp(t).tz_convert(TZ) for t in (a, b))
    try:
        return f"{len(pd.date_range(first, last, freq=hour)):g} h (hour marks)"
    except Exception as error:  # clock-change nights make pandas raise
        return f"raises {type(error).__name__}"


def report(rows: list[Row]) -> None:
    table = Table(title=f"Business time: {PAIRS:,} pairs, Mon-Fri 09:00-17:30 {TZ}, bank holidays")
    for column in (
        "implementation",
        "operation",
        "time",
        "pairs/s",
        "agrees with Charter",
        "measured on",
    ):
        table.add_column(column, justify="right" if column in ("time", "pairs/s") else "left")
    for row in rows:
        rate = f"{row.pairs / row.seconds:,.0f}" if row.pairs else "—"
        table.add_row(
            row.implementation, row.operation, duration(row.seconds), rate, row.agreement, row.note
        )
    console = Console(width=150)
    console.print(table)
    for line in ratios(rows):
        console.print(line)


def duration(seconds: float) -> str:
    if np.isnan(seconds):
        return "—"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.0f} s"


def ratios(rows: list[Row]) -> list[str]:
    def rate(row: Row) -> float:
        return row.pairs / row.seconds

    def find(implementation: str, operation: str) -> Row:
        return next(
            r for r in rows if (r.implementation, r.operation) == (implementation, operation)
        )

    lines = []
    for operation in ("elapsed", "add"):
        peers = [
            r
            for r in rows
            if r.operation == operation and r.implementation not in ("Charter", KERNEL)
        ]
        fastest = max((r for r in peers if r.pairs), key=rate)
        charter = find("Charter", operation)
        speedup = rate(charter) / rate(fastest)
        kernel = charter.seconds / find(KERNEL, operation).seconds
        lines.append(
            f"{operation}: Charter is {speedup:,.0f}x the fastest peer ({fastest.implementation})"
            f" and takes {kernel:.2f}x the bare kernel's time"
        )
    compiled = find("Charter", "compile 10 years")
    lines.append(f"compiling a 10-year calendar takes {compiled.seconds * 1000:.1f} ms")
    lines.append("targets: elapsed >= 100x the fastest peer, <= 2x the kernel; compile < 50 ms")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description="Business-time benchmark (see module docstring).")
    parser.add_argument(
        "--show-disagreements",
        action="store_true",
        help="print sample disagreements and edge cases",
    )
    args = parser.parse_args()
    bank_holidays = sorted(holidays.country_holidays("GB", subdiv="ENG", years=range(2022, 2026)))
    data = draw(np.random.default_rng(20240603), bank_holidays)
    notes: list[str] = []
    calendar = data.calendar()
    elapsed_wanted, due_wanted = (
        calendar.elapsed(data.starts, data.ends),
        calendar.add(data.starts, data.seconds),
    )
    rows = [
        *charter_rows(data),
        *kernel_rows(data, elapsed_wanted, due_wanted),
        *peer_rows(data, elapsed_wanted, notes),
    ]
    report(rows)
    if args.show_disagreements:
        print("Disagreements (first three per peer; times are Europe/London, answers UTC):")
        print("\n".join(notes))
        print("Night shifts and clock-change nights, every day open:")
        show_edge_cases()


if __name__ == "__main__":
    main()
