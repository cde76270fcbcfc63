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
from charter.sla._clock_ops import instants, per_clock, seconds
from charter.sla._pauses import target_business, with_pauses
from charter.sla._windows import sort_events, status_spells, windows
from charter.sla.rules import rule_columns, rule_expr
from charter.sla.targets import clocks_for, pause_table, target_table
from charter.tickets.dataset import TicketData

STATUSES = ("met", "breached", "pending", "at_risk", "none")
SlaStatus = pl.Enum(STATUSES)
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
    spells = status_spells(data.tickets, events)
    return Prepared(windows(data.tickets, events, spells), spells)


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
    final = ready.windows.filter(pl.col("valid_until").is_null())
    last = final.group_by("ticket_id").agg(
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

    ``status`` is ``met`` for a clock stopped at or before its due instant, else
    ``breached``; a running one is ``breached`` once ``now`` is past its due,
    ``at_risk`` from ``at_risk`` of its target, else ``pending``; ``none`` where the
    ticket's rule sets no target for the metric or the metric never started (no next
    reply was awaited). A clock paused now with target left has no due instant.
    """
    judged = judge_runs(policy, data, now, at_risk=at_risk, prepared=prepared)
    return _per_ticket(judged.tickets, judged.targets, judged.runs)


@dataclass(frozen=True)
class Runs:
    """Every run of the targeted metrics' clocks as it stood at a ``now``: ``runs`` has
    one row per run (``ticket_id, rule_id, metric, occurrence, clock, start_at,
    stop_at`` (null while running), ``_end`` (its stop, else ``now``), ``due_at``,
    ``elapsed_seconds``, ``paused_seconds``, ``_target`` (business seconds),
    ``status``); ``clocks`` the calendars they count on. ``tickets`` and ``targets``
    are the keyed frames ``evaluate`` reduces the runs with."""

    runs: pl.DataFrame
    clocks: dict[str, OpeningHours]
    tickets: pl.DataFrame
    targets: pl.DataFrame


def judge_runs(
    policy: Policy,
    data: TicketData,
    now: dt.datetime,
    *,
    at_risk: float = 0.75,
    prepared: Prepared | None = None,
) -> Runs:
    """Every clock run ``evaluate`` judges, before it keeps one per ticket and metric."""
    moment = now.astimezone(dt.UTC)
    tickets = data.tickets.with_columns(rule_expr(policy.service_levels.rules)).with_columns(
        _rule_index(policy)
    )
    targets = _keyed(target_table(policy), policy)
    clocks = _clocks(policy, targets, tickets, moment)
    ready = prepared or prepare(data)
    runs = _runs(tickets, ready.windows, targets, moment)
    runs = with_pauses(runs, ready.spells, pause_table(policy), clocks)
    runs = per_clock(runs, clocks, _measure, _MEASURED)
    runs = runs.with_columns(_status(at_risk, moment).alias("status"))
    return Runs(runs, clocks, tickets, targets)


# Evaluation joins on integers, never on the ticket ids' text: each ticket is ``_t``
# (its row in the tickets), each rule ``_r`` (its place in the policy), each targeted
# metric ``_m`` (its place among the targeted ones); a ticket's metric is the key
# ``_k = _t * metrics + _m``, the row it takes in the result.


def _metrics(targets: pl.DataFrame) -> pl.Series:
    return targets["metric"].unique(maintain_order=True)


def _place(column: str, values: list[str]) -> pl.Expr:
    """Each value's place in ``values`` (null: not there)."""
    if not values:
        return pl.lit(None, dtype=pl.Int64)
    return pl.col(column).replace_strict(values, range(len(values)), default=None,
                                         return_dtype=pl.Int64)  # fmt: skip


def _rule_index(policy: Policy) -> pl.Expr:
    """``_r``: the place of the ticket's rule in the policy (null: no rule governs it)."""
    return _place("rule_id", [rule.id for rule in policy.service_levels.rules]).alias("_r")


def _keyed(targets: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """The target table with each row's rule and metric key: ``_rm = _r * metrics + _m``."""
    metrics = _metrics(targets)
    place = _place("metric", metrics.to_list())
    return targets.with_columns(place.alias("_m"), _rule_index(policy)).with_columns(
        (pl.col("_r") * len(metrics) + pl.col("_m")).alias("_rm")
    )


def _clocks(
    policy: Policy, targets: pl.DataFrame, tickets: pl.DataFrame, now: dt.datetime
) -> dict[str, OpeningHours]:
    first = tickets["created_at"].min() if tickets.height else now
    assert isinstance(first, dt.datetime)
    names = sorted(set(targets["clock"].to_list()))
    return clocks_for(policy, names, first.date(), now.date())


def _rule_ids(tickets: pl.DataFrame) -> pl.DataFrame:
    """``ticket_id, rule_id, _r, _t`` of the tickets a rule governs."""
    return tickets.select(
        pl.col("id").alias("ticket_id"),
        "rule_id",
        "_r",
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_t"),
    ).drop_nulls("rule_id")


def _target_rows(targets: pl.DataFrame, keys: pl.Series) -> pl.Series:
    """For each rule and metric key ``_rm`` in ``keys``, its row in ``targets`` (null:
    the rule sets no target for the metric, or no rule governs the ticket)."""
    size = max(int(keys.max() or 0), int(targets["_rm"].max() or 0)) + 1  # type: ignore[arg-type]
    rows = pl.int_range(targets.height, dtype=pl.UInt32, eager=True)
    return (
        pl.repeat(None, size, dtype=pl.UInt32, eager=True)
        .scatter(targets["_rm"], rows)
        .gather(keys)
    )


def _target_columns(targets: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """The target of each of ``rows`` (null rows: no target)."""
    columns = targets.drop("rule_id", "metric", "_r", "_m", "_rm")
    return columns.select(pl.all().gather(rows))


def _runs(
    tickets: pl.DataFrame, windows: pl.DataFrame, targets: pl.DataFrame, now: dt.datetime
) -> pl.DataFrame:
    """Metric windows of targeted metrics as they stood at ``now``, each with its rule's
    target (a window whose rule sets none for its metric is left out)."""
    moment = pl.lit(now).dt.cast_time_unit("us")
    valid = (pl.col("valid_from").is_null() | (pl.col("valid_from") <= moment)) & (
        pl.col("valid_until").is_null() | (moment < pl.col("valid_until"))
    )
    started = pl.col("start_at").is_not_null() & (pl.col("start_at") <= moment)
    metrics = _metrics(targets)
    count = metrics.len()
    # Only the targeted metrics' windows (``_m`` null for the others): the others
    # would be joined to be dropped.
    place = _place("metric", metrics.to_list())
    keyed = (
        windows.filter(started & valid)
        .select("ticket_id", "metric", "occurrence", "start_at", "stop_at", place.alias("_m"))
        .drop_nulls("_m")
        .join(_rule_ids(tickets), on="ticket_id")
        .with_columns((pl.col("_r") * count + pl.col("_m")).alias("_rm"))
    )
    # The rule's target for the metric, gathered by the key ``_rm``.
    where = _target_rows(targets, keyed["_rm"])
    kept = where.is_not_null()
    keyed, where = keyed.filter(kept), where.filter(kept)
    return (
        pl.concat([keyed, _target_columns(targets, where)], how="horizontal")
        .with_columns(
            pl.when(pl.col("stop_at") <= moment).then(pl.col("stop_at")).alias("stop_at"),
            (pl.col("_t") * count + pl.col("_m")).alias("_k"),
        )
        .with_columns(pl.coalesce("stop_at", moment).alias("_end"))
        .with_row_index("_run")
    )


_MEASURED = ("start_at", "_end", "paused_seconds", "_paused_due", "_waiting",
             "target_seconds", "target_working_days")  # fmt: skip


def _measure(hours: OpeningHours, frame: pl.DataFrame) -> dict[str, NDArray[np.generic]]:
    """Elapsed business time (paused time excluded), the target in business seconds and
    the due instant: ``add(start, target + paused before the due)``, none while waiting."""
    start, end = instants(frame, "start_at"), instants(frame, "_end")
    elapsed = hours.elapsed(start, end) - seconds(frame, "paused_seconds")
    target = target_business(hours, frame, start)
    due = hours.add(start, np.maximum(target + seconds(frame, "_paused_due"), 0))
    due[frame["_waiting"].to_numpy()] = np.datetime64("NaT")
    return {"elapsed_seconds": elapsed, "_target": target, "due_at": due}


def _status(at_risk: float, now: dt.datetime) -> pl.Expr:
    """The instant rule: a stopped clock is met when it stopped at or before its due."""
    moment = pl.lit(now).dt.cast_time_unit("us")
    stopped, due = pl.col("stop_at").is_not_null(), pl.col("due_at")
    return (
        pl.when(stopped & (pl.col("stop_at") <= due))
        .then(pl.lit("met"))
        .when(stopped | (moment > due).fill_null(False))
        .then(pl.lit("breached"))
        .when(pl.col("elapsed_seconds") >= pl.col("_target") * at_risk)
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
    periodic update) reports one run whole (``_one_run``) and the run count."""
    columns = [
        "_k", "start_at", "stop_at", "due_at", "status", "paused_seconds",
        "target_business_seconds", "elapsed_seconds", "occurrences",
    ]  # fmt: skip
    runs = runs.rename({"_target": "target_business_seconds"})
    repeating = pl.col("metric").is_in(list(REPEATING))
    # Most metrics run once per ticket: only the repeating ones need grouping.
    single = runs.filter(~repeating).with_columns(pl.lit(1, pl.Int32).alias("occurrences"))
    several = _one_run(runs.filter(repeating), columns[1:-1])
    chosen = pl.concat([single.select(columns), several.select(columns)])
    count = targets["metric"].n_unique()
    # Every ticket times every targeted metric, in ticket order: the row ``_k``.
    grid = (
        tickets.select(pl.col("id").alias("ticket_id"), "rule_id", "_r")
        .join(targets.select("metric", "_m").unique("_m").sort("_m"), how="cross")
        .with_columns(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("_k"),
            (pl.col("_r") * count + pl.col("_m")).alias("_rm"),
        )
    )
    # Each grid row's target and chosen run are gathered by its keys, not joined.
    by_rule = _target_columns(targets, _target_rows(targets, grid["_rm"]))
    runs_at = _placed(chosen.drop("_k"), chosen["_k"], grid.height)
    return (
        pl.concat([grid, by_rule, runs_at], how="horizontal")
        .with_columns(
            pl.col("status").fill_null(pl.lit("none")).cast(SlaStatus),
            pl.col("occurrences").fill_null(0),
        )
        .select(RESULT_COLUMNS)
    )


def _placed(frame: pl.DataFrame, at: pl.Series, height: int) -> pl.DataFrame:
    """``height`` rows: ``frame``'s rows at the places ``at`` names, nulls elsewhere."""
    rows = pl.int_range(frame.height, dtype=pl.UInt32, eager=True)
    where = pl.repeat(None, height, dtype=pl.UInt32, eager=True).scatter(at, rows)
    return frame.select(pl.all().gather(where))


def _one_run(runs: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Per ticket and metric, the run that speaks for it: the first breached run, else
    the running one, else the one with the largest elapsed time (the first on ties)."""
    breached = pl.col("status") == "breached"
    pick = pl.when(breached).then(0).when(pl.col("stop_at").is_null()).then(1).otherwise(2)
    longest = pl.when(pick == 2).then(-pl.col("elapsed_seconds")).otherwise(0.0)
    return (
        runs.sort(["_k", pick, longest, "occurrence"])
        .group_by("_k", maintain_order=True)
        .agg(pl.col(columns).first(), pl.len().cast(pl.Int32).alias("occurrences"))
    )
