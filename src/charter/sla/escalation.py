"""Escalation planning: when each level of the chain is due and delivered for each ticket.

A level at ``fraction`` of the target plus ``offset`` is due when the metric's
clock has run that long: ``75%`` of a 4-hour target after 3 business hours (paused
time moves it), ``breach + 2h`` two business hours after the metric's due instant (a
clock paused with target left has no due, so its breach levels wait). A level with
``quiet_outside`` is delivered at its due instant when that calendar is open then,
else at its next opening. ``withdrawn`` compares two plans and lists, with a reason,
the levels no longer wanted. Firing comes later, exactly once per ticket, metric and
level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from charter.hours import OpeningHours
from charter.policy.schema import Policy
from charter.sla._clock_ops import instants, per_clock, seconds
from charter.sla._delivery import with_delivery
from charter.sla._withdrawal import WITHDRAWN_COLUMNS, withdrawn
from charter.sla.targets import clocks_for

__all__ = ["PLAN_COLUMNS", "WITHDRAWN_COLUMNS", "escalation_plan", "level_table", "withdrawn"]

PLAN_COLUMNS = [
    "ticket_id", "metric", "level_id", "level", "rule_id", "clock", "due_at",
    "quiet_outside", "deliver_at", "notify", "action", "stopped_before", "due_now",
]  # fmt: skip


def level_table(policy: Policy) -> pl.DataFrame:
    """One row per escalation level: metric, level, fraction, offsets, who and what."""
    rows = [
        {
            "level_id": e.id,
            "metric": e.metric,
            "level": e.level,
            "fraction": e.at.fraction,
            "offset_seconds": e.at.offset.seconds,
            "offset_working_days": e.at.offset.working_days,
            "notify": list(e.notify),
            "action": _action(e.action.raise_priority, e.action.reassign_to) if e.action else None,
            "quiet_outside": e.quiet_outside,
        }
        for e in policy.escalation
    ]
    schema: dict[str, Any] = {"level_id": pl.String, "metric": pl.String, "level": pl.Int32,
              "fraction": pl.Float64, "offset_seconds": pl.Int64,
              "offset_working_days": pl.Int32, "notify": pl.List(pl.String),
              "action": pl.String, "quiet_outside": pl.String}  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


def _action(raise_priority: bool, reassign_to: str | None) -> str | None:
    parts = (["raise priority"] if raise_priority else []) + (
        [f"reassign to {reassign_to}"] if reassign_to else []
    )
    return ", ".join(parts) or None


def escalation_plan(
    policy: Policy, sla: pl.DataFrame, now: dt.datetime, *, keep: Sequence[str] = ()
) -> pl.DataFrame:
    """For every evaluated ticket metric and every level of its chain, the due instant
    (``due_at``) and the delivery instant (``deliver_at``: the next opening of the
    level's ``quiet_outside`` calendar when it is closed at ``due_at``).

    ``sla`` is the frame of ``charter.sla.evaluate``. ``stopped_before`` marks levels
    the metric stopped at or before their delivery (they will never fire); ``due_now``
    those to deliver at ``now``. ``keep`` names columns of ``sla`` to carry along, after
    the plan's own.
    """
    rows = sla.filter(pl.col("clock").is_not_null() & pl.col("start_at").is_not_null())
    plan = rows.join(level_table(policy), on="metric")
    if plan.height == 0:
        kinds: dict[str, Any] = {**plan.schema, "deliver_at": pl.Datetime("us", "UTC"),
                 "stopped_before": pl.Boolean, "due_now": pl.Boolean}  # fmt: skip
        return pl.DataFrame(schema={c: kinds.get(c, pl.String) for c in [*PLAN_COLUMNS, *keep]})
    first = rows["start_at"].min()
    assert isinstance(first, dt.datetime)
    clocks = clocks_for(policy, sorted(plan["clock"].unique().to_list()), first.date(), now.date())
    plan = with_delivery(policy, per_clock(plan, clocks, _level_due, LEVEL_DUE_READS))
    moment = pl.lit(now.astimezone(dt.UTC)).dt.cast_time_unit("us")
    deliver = pl.col("deliver_at")
    stopped = pl.col("stop_at").is_not_null() & (pl.col("stop_at") <= deliver).fill_null(False)
    return plan.with_columns(
        stopped.alias("stopped_before"),
        (~stopped & (deliver <= moment).fill_null(False)).alias("due_now"),
    ).select(*PLAN_COLUMNS, *keep)


LEVEL_DUE_READS = ("fraction", "due_at", "start_at", "target_business_seconds",
                   "paused_seconds", "offset_seconds", "offset_working_days")  # fmt: skip


def _level_due(hours: OpeningHours, frame: pl.DataFrame) -> dict[str, np.ndarray]:
    """A breach level counts from the metric's due instant (none while the clock is
    paused with target left); an earlier level from the start, plus paused time."""
    breach = frame["fraction"].to_numpy() >= 1
    start = np.where(breach, instants(frame, "due_at"), instants(frame, "start_at"))
    before = seconds(frame, "fraction") * seconds(frame, "target_business_seconds")
    before += seconds(frame, "paused_seconds")
    run = seconds(frame, "offset_seconds") + np.where(breach, 0.0, before)
    due = hours.add(start, run)
    days = frame["offset_working_days"].to_numpy()
    if (days > 0).any():
        later = hours.add_working_days(due[days > 0], days[days > 0])
        due[days > 0] = later
    return {"due_at": due}
