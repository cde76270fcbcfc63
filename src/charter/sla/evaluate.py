"""Service levels applied to tickets: per ticket and metric, where each promise stands.

>>> import datetime as dt
>>> import polars as pl
>>> from charter.policy import load_policy_text
>>> from charter.tickets.dataset import TicketData, empty_events
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... service_levels:
...   rules: [{id: all, targets: {first_response: {within: 1h, clock: 24x7}}}]
... ''').policy
>>> tickets = pl.DataFrame({"id": ["t1"], "created_at": [dt.datetime(2026, 1, 5, 9)],
...     "channel": ["email"], "priority": ["normal"], "status": ["open"],
...     "first_response_at": [dt.datetime(2026, 1, 5, 9, 30)]})
>>> from charter.tickets.schema import conform, TICKET_SCHEMA
>>> data = TicketData(conform(tickets, TICKET_SCHEMA), empty_events())
>>> row = evaluate(policy, data, now=dt.datetime(2026, 1, 6, tzinfo=dt.UTC)).row(0, named=True)
>>> row["metric"], row["status"], row["elapsed_seconds"]
('first_response', 'met', 1800.0)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.hours import OpeningHours
from charter.policy.schema import Policy
from charter.sla._clock_ops import Arrays, instants, per_clock, seconds
from charter.sla._windows import sort_events, status_spells, windows
from charter.sla.rules import rule_columns, rule_expr
from charter.sla.targets import clocks_for, pause_table, target_table
from charter.tickets.dataset import TicketData

STATUSES = ("met", "breached", "pending", "at_risk", "none")
SlaStatus = pl.Enum(STATUSES)
_WORST_FIRST = {"breached": 0, "at_risk": 1, "pending": 2, "met": 3, "none": 4}
REPEATING = ("next_response", "periodic_update")  # metrics with one run per occurrence


@dataclass(frozen=True)
class Prepared:
    """What evaluation needs from the tickets alone, whatever the policy: every metric's
    clock runs and each status spell. Prepare once to evaluate several drafts."""

    windows: pl.DataFrame
    spells: pl.DataFrame


def prepare(data: TicketData) -> Prepared:
    """The metric windows and status spells of ``data``, for ``evaluate(prepared=...)``."""
    events = sort_events(data.events)
    return Prepared(windows(data.tickets, events), status_spells(data.tickets, events))


# The ticket columns evaluation reads whatever the rules: its clocks' instants and
# the status that says whether it is solved.
CLOCK_COLUMNS = ("created_at", "first_response_at", "solved_at", "status")


def ticket_columns(policy: Policy) -> tuple[str, ...]:
    """The ticket columns ``evaluate`` reads under ``policy`` (besides ``id`` and the
    events): the clocks' and those its rules match on. A store reads only these."""
    return (*CLOCK_COLUMNS, *rule_columns(policy.service_levels.rules))


def settle_times(data: TicketData, prepared: Prepared | None = None) -> pl.DataFrame:
    """``ticket_id, settles_at``: from when each ticket's evaluation no longer changes
    with ``now`` (the last start or stop of any of its clocks); null while a clock has
    no stop. Only new events (a re-import) can change a settled ticket's state."""
    ready = prepared or prepare(data)
    running = pl.col("start_at").is_not_null() & pl.col("stop_at").is_null()
    last = ready.windows.group_by("ticket_id").agg(
        running.any().alias("_running"),
        pl.max_horizontal(pl.col("start_at").max(), pl.col("stop_at").max()).alias("_last"),
    )
    return (
        data.tickets.select(pl.col("id").alias("ticket_id"), "created_at")
        .join(last, on="ticket_id", how="left", maintain_order="left")
        .select(
            "ticket_id",
            pl.when(pl.col("_running").fill_null(False))
            .then(None)
            .otherwise(pl.max_horizontal("created_at", "_last"))
            .alias("settles_at"),
        )
    )


def evaluate(
    policy: Policy,
    data: TicketData,
    now: dt.datetime,
    *,
    at_risk: float = 0.75,
    prepared: Prepared | None = None,
) -> pl.DataFrame:
    """One row per ticket and targeted metric: target, due, elapsed, status at ``now``.

    Ticket ids may be text (the canonical frames) or integers (the store's own ids,
    cheaper to sort and join); the events' ``ticket_id`` must be of the same type.

    ``status`` is ``met`` or ``breached`` for a stopped clock; for a running one,
    ``breached`` past its target, ``at_risk`` from ``at_risk`` of it, else
    ``pending``; ``none`` where the ticket's rule sets no target for the metric or
    the metric never started (no next reply was awaited).
    """
    moment = now.astimezone(dt.UTC)
    tickets = data.tickets.with_columns(rule_expr(policy.service_levels.rules))
    targets = target_table(policy)
    clocks = _clocks(policy, targets, tickets, moment)
    ready = prepared or prepare(data)
    runs = _runs(tickets, ready.windows, targets, moment)
    runs = _with_pauses(runs, ready.spells, pause_table(policy), clocks)
    runs = per_clock(runs, clocks, _measure(moment))
    runs = runs.with_columns(_status(at_risk).alias("status"))
    return _per_ticket(tickets, targets, runs)


def _clocks(
    policy: Policy, targets: pl.DataFrame, tickets: pl.DataFrame, now: dt.datetime
) -> dict[str, OpeningHours]:
    first = tickets["created_at"].min() if tickets.height else now
    assert isinstance(first, dt.datetime)
    names = sorted(set(targets["clock"].to_list()))
    return clocks_for(policy, names, first.date(), now.date())


def _runs(
    tickets: pl.DataFrame, windows: pl.DataFrame, targets: pl.DataFrame, now: dt.datetime
) -> pl.DataFrame:
    """Metric windows of targeted metrics as they stood at ``now``."""
    moment = pl.lit(now).dt.cast_time_unit("us")
    return (
        windows.filter(pl.col("start_at").is_not_null() & (pl.col("start_at") <= moment))
        .join(tickets.select(pl.col("id").alias("ticket_id"), "rule_id"), on="ticket_id")
        .join(targets, on=["rule_id", "metric"])
        .with_columns(pl.when(pl.col("stop_at") <= moment).then(pl.col("stop_at")).alias("stop_at"))
        .with_columns(pl.coalesce("stop_at", moment).alias("_end"))
        .with_row_index("_run")
    )


def _with_pauses(
    runs: pl.DataFrame,
    spells: pl.DataFrame,
    pauses: pl.DataFrame,
    clocks: dict[str, OpeningHours],
) -> pl.DataFrame:
    """Add ``paused_seconds``: business time the run spent in its metric's paused statuses,
    and ``paused_now``: whether a running clock is paused at its end."""
    paused = spells.join(pauses, on="status")
    overlap = (
        runs.select("_run", "ticket_id", "metric", "clock", "start_at", "_end")
        .join(paused, on=["ticket_id", "metric"])
        .with_columns(
            pl.max_horizontal("start_at", "from_at").alias("_from"),
            pl.min_horizontal("_end", pl.coalesce("until_at", "_end")).alias("_until"),
        )
        .filter(pl.col("_until") > pl.col("_from"))
    )
    overlap = per_clock(
        overlap,
        clocks,
        lambda hours, f: {"_paused": hours.elapsed(instants(f, "_from"), instants(f, "_until"))},
    )
    totals = overlap.group_by("_run").agg(
        pl.col("_paused").sum().alias("paused_seconds"),
        (pl.col("until_at").is_null() | (pl.col("until_at") >= pl.col("_end")))
        .any()
        .alias("paused_now"),
    )
    return runs.join(totals, on="_run", how="left").with_columns(
        pl.col("paused_seconds").fill_null(0.0), pl.col("paused_now").fill_null(False)
    )


def _measure(now: dt.datetime) -> Arrays:
    moment = np.datetime64(now.replace(tzinfo=None), "us")

    def compute(hours: OpeningHours, frame: pl.DataFrame) -> dict[str, NDArray[np.generic]]:
        start, end = instants(frame, "start_at"), instants(frame, "_end")
        paused = seconds(frame, "paused_seconds")
        elapsed = hours.elapsed(start, end) - paused
        target = _target_business(hours, frame, start)
        due = hours.add(start, np.maximum(target + paused, 0))
        # A running clock paused now resumes later: its due time is the rest from now.
        waiting = frame["stop_at"].is_null().to_numpy() & frame["paused_now"].to_numpy()
        waiting &= elapsed < target
        if waiting.any():
            rest = np.where(waiting, target - elapsed, 0)
            due = np.where(waiting, hours.add(np.full(len(due), moment), rest), due)
        return {"elapsed_seconds": elapsed, "_target": target, "due_at": due}

    return compute


def _target_business(hours: OpeningHours, frame: pl.DataFrame, start: np.ndarray) -> np.ndarray:
    """The target in business seconds; working days become the time to their due instant."""
    target = seconds(frame, "target_seconds")
    days = frame["target_working_days"].fill_null(0).to_numpy()
    in_days = days > 0
    if in_days.any():
        due = hours.add_working_days(start[in_days], days[in_days])
        target[in_days] = hours.elapsed(start[in_days], due)
    return target


def _status(at_risk: float) -> pl.Expr:
    stopped = pl.col("stop_at").is_not_null()
    elapsed, target = pl.col("elapsed_seconds"), pl.col("_target")
    return (
        pl.when(stopped & (elapsed <= target))
        .then(pl.lit("met"))
        .when(stopped | (elapsed > target))
        .then(pl.lit("breached"))
        .when(elapsed >= target * at_risk)
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("pending"))
        .cast(SlaStatus)
    )


RESULT_COLUMNS = [
    "ticket_id", "rule_id", "metric", "clock", "target_seconds", "target_working_days",
    "attainment", "target_business_seconds", "start_at", "stop_at", "due_at", "elapsed_seconds",
    "paused_seconds", "status", "occurrences",
]  # fmt: skip


def _per_ticket(tickets: pl.DataFrame, targets: pl.DataFrame, runs: pl.DataFrame) -> pl.DataFrame:
    """One row per ticket and metric: a metric with several runs (next response,
    periodic update) takes its worst run, the longest elapsed and the run count."""
    columns = [
        "ticket_id", "metric", "start_at", "stop_at", "due_at", "status", "paused_seconds",
        "target_business_seconds", "elapsed_seconds", "occurrences",
    ]  # fmt: skip
    runs = runs.rename({"_target": "target_business_seconds"})
    repeating = pl.col("metric").is_in(list(REPEATING))
    # Most metrics run once per ticket: only the repeating ones need grouping.
    single = runs.filter(~repeating).with_columns(pl.lit(1, pl.Int32).alias("occurrences"))
    rank = pl.col("status").cast(pl.String).replace_strict(_WORST_FIRST, return_dtype=pl.Int8)
    several = (
        runs.filter(repeating)
        .sort(["ticket_id", "metric", rank, "due_at"])
        .group_by("ticket_id", "metric", maintain_order=True)
        .agg(
            pl.col("start_at", "stop_at", "due_at", "status", "paused_seconds").first(),
            pl.col("target_business_seconds").first(),
            pl.col("elapsed_seconds").max(),
            pl.len().cast(pl.Int32).alias("occurrences"),
        )
    )
    worst = pl.concat([single.select(columns), several.select(columns)])
    metrics = pl.DataFrame({"metric": targets["metric"].unique(maintain_order=True)})
    grid = tickets.select(pl.col("id").alias("ticket_id"), "rule_id").join(metrics, how="cross")
    return (
        grid.join(targets, on=["rule_id", "metric"], how="left")
        .join(worst, on=["ticket_id", "metric"], how="left")
        .with_columns(
            pl.col("status").fill_null(pl.lit("none")).cast(SlaStatus),
            pl.col("occurrences").fill_null(0),
        )
        .select(RESULT_COLUMNS)
    )
