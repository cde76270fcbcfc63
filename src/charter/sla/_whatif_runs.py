"""One promise's clock runs as numpy arrays, and their verdicts under another target.

What the target does not change is measured once (``measure_promises``): each run's
start, stop, ticket and, for each paused spell of the run, the clock time used before
it began and its length. A target then decides which pauses came before its due
instant (those begun while clock time was left: a prefix of the run's pauses), the due
instant itself and each run's verdict (``judge``), as ``evaluate`` does, with one
``add`` per run and no join.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.hours import OpeningHours
from charter.sla._clock_ops import instants, per_clock
from charter.sla._pauses import _LENGTHS_READ, _pause_lengths, paused_overlaps, target_business

Instants = NDArray[np.datetime64]
Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Flags = NDArray[np.bool_]


@dataclass(frozen=True)
class PromiseRuns:
    """The runs of one rule's metric: ``ticket`` is each run's ticket among the
    promise's (a place in ``rows``); a run's pauses are ``pause_run`` (its run),
    ``pause_used`` (clock time used before the pause began), ``pause_length`` and
    ``pause_open`` (the pause lasts to the run's end)."""

    clock: str
    start: Instants
    stop: Instants  # NaT while the clock runs
    ticket: Ints
    rows: Ints  # each of the promise's tickets' row in the tickets judged
    pause_run: Ints
    pause_used: Floats
    pause_length: Floats
    pause_open: Flags


def measure_promises(
    runs: pl.DataFrame,
    spells: pl.DataFrame,
    pauses: pl.DataFrame,
    clocks: dict[str, OpeningHours],
) -> dict[tuple[str, str], PromiseRuns]:
    """Per rule and metric, its runs as ``judge_runs`` left them (``runs``' ``_run`` is
    the row), with their paused spells measured on their clocks."""
    # Each run's place among its promise's runs (partitions keep the rows' order).
    runs = runs.with_columns(pl.int_range(pl.len()).over("rule_id", "metric").alias("_local"))
    spans = _pause_spans(runs, spells, pauses, clocks)
    spans = spans.with_columns(runs["_local"].gather(spans["_run"]).alias("_local"))
    by_run = dict(spans.partition_by("rule_id", "metric", as_dict=True))
    empty = spans.clear()
    promises: dict[tuple[str, str], PromiseRuns] = {}
    for key, part in runs.partition_by("rule_id", "metric", as_dict=True).items():
        rule, metric = str(key[0]), str(key[1])
        promises[(rule, metric)] = _promise(part, by_run.get(key, empty))
    return promises


def _pause_spans(
    runs: pl.DataFrame, spells: pl.DataFrame, pauses: pl.DataFrame, clocks: dict[str, OpeningHours]
) -> pl.DataFrame:
    """Each paused spell of each run in start order: the clock time used before it (the
    business time before it less the pauses before it), its length, and whether it
    lasts to the run's end (as ``with_pauses`` counts them)."""
    measured = per_clock(paused_overlaps(runs, spells, pauses), clocks, _pause_lengths,
                         _LENGTHS_READ)  # fmt: skip
    before = pl.col("_paused").cum_sum().over("_run") - pl.col("_paused")
    open_ended = pl.col("until_at").is_null() | (pl.col("until_at") >= pl.col("_end"))
    return measured.sort("_run", "_from").select(
        "rule_id",
        "metric",
        "_run",
        (pl.col("_before") - before).alias("_used"),
        "_paused",
        open_ended.alias("_open"),
    )


def _promise(part: pl.DataFrame, spans: pl.DataFrame) -> PromiseRuns:
    rows, ticket = np.unique(part["_t"].to_numpy(), return_inverse=True)
    return PromiseRuns(
        clock=str(part["clock"][0]),
        start=instants(part, "start_at"),
        stop=instants(part, "stop_at"),
        ticket=ticket.astype(np.int64).ravel(),
        rows=rows.astype(np.int64),
        pause_run=spans["_local"].to_numpy().astype(np.int64),
        pause_used=spans["_used"].to_numpy().astype(np.float64),
        pause_length=spans["_paused"].to_numpy().astype(np.float64),
        pause_open=spans["_open"].to_numpy().astype(bool),
    )


def judge(
    promise: PromiseRuns, hours: OpeningHours, seconds: int, working_days: int, now: dt.datetime
) -> tuple[Flags, Flags]:
    """Per run, ``(met, breached)`` under a target of ``seconds`` or ``working_days``."""
    count = len(promise.start)
    frame = pl.DataFrame(
        {
            "target_seconds": np.full(count, seconds or np.nan),
            "target_working_days": np.full(count, working_days, dtype=np.int32),
        }
    )
    target = target_business(hours, frame, promise.start)
    # The pauses begun with clock time left move the due instant; one of them lasting
    # to now, on a running clock, leaves it without a due instant.
    counted = promise.pause_used < target[promise.pause_run]
    runs = promise.pause_run[counted]
    paused = np.bincount(runs, weights=promise.pause_length[counted], minlength=count)
    waiting = np.bincount(runs, weights=promise.pause_open[counted], minlength=count) > 0
    due = hours.add(promise.start, np.maximum(target + paused, 0)).astype("datetime64[us]")
    stopped = ~np.isnat(promise.stop)
    due[waiting & ~stopped] = np.datetime64("NaT")
    met = stopped & (promise.stop <= due)
    moment = np.datetime64(now.astimezone(dt.UTC).replace(tzinfo=None), "us")
    breached = (stopped & ~met) | (~stopped & ~np.isnat(due) & (moment > due))
    return met, breached


def per_ticket(promise: PromiseRuns, met: Flags, breached: Flags) -> tuple[Flags, Flags]:
    """Per ticket of the promise, ``(met, breached)``: a ticket with several runs is
    breached when one is, met when every one is (none still running)."""
    tickets = len(promise.rows)
    if tickets == len(met):  # one run per ticket
        ticket_met, ticket_breached = np.empty_like(met), np.empty_like(breached)
        ticket_met[promise.ticket], ticket_breached[promise.ticket] = met, breached
        return ticket_met, ticket_breached
    runs = np.bincount(promise.ticket, minlength=tickets)
    mets = np.bincount(promise.ticket, weights=met, minlength=tickets)
    breaches = np.bincount(promise.ticket, weights=breached, minlength=tickets)
    return mets == runs, breaches > 0
