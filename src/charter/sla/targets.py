"""The policy's service-level targets as a table: one row per rule and metric."""

from __future__ import annotations

import datetime as dt

import polars as pl

from charter.hours import OpeningHours
from charter.policy.clock import opening_hours
from charter.policy.schema import Policy

TARGET_SCHEMA: dict[str, pl.DataType] = {
    "rule_id": pl.String(),
    "metric": pl.String(),
    "clock": pl.String(),
    "target_seconds": pl.Int64(),
    "target_working_days": pl.Int32(),
    "attainment": pl.Float64(),
}


def target_table(policy: Policy) -> pl.DataFrame:
    """``rule_id, metric, clock, target_seconds | target_working_days, attainment``."""
    rows = [
        {
            "rule_id": rule.id,
            "metric": metric,
            "clock": target.clock,
            "target_seconds": target.within.seconds or None,
            "target_working_days": target.within.working_days or None,
            "attainment": target.attainment,
        }
        for rule in policy.service_levels.rules
        for metric, target in rule.targets.items()
    ]
    return pl.DataFrame(rows, schema=TARGET_SCHEMA)


# Requester wait counts new, open and on-hold time, agent work new and open: neither
# counts the time a ticket spent solved before it was reopened, whatever the pauses.
NEVER_COUNTED: dict[str, tuple[str, ...]] = {
    "requester_wait": ("solved", "closed"),
    "agent_work": ("solved", "closed"),
}


def pause_table(policy: Policy) -> pl.DataFrame:
    """``rule_id, metric, status``: each status that stops each rule's metric clock (the
    target's own ``paused`` list, else the policy's pauses for the metric)."""
    levels = policy.service_levels
    rows = [
        {"rule_id": rule.id, "metric": metric, "status": status}
        for rule in levels.rules
        for metric, target in rule.targets.items()
        for status in dict.fromkeys(
            [*levels.pause_statuses(metric, target), *NEVER_COUNTED.get(metric, ())]
        )
    ]
    return pl.DataFrame(
        rows, schema={"rule_id": pl.String(), "metric": pl.String(), "status": pl.String()}
    )


def clocks_for(
    policy: Policy, names: list[str], first: dt.date, last: dt.date
) -> dict[str, OpeningHours]:
    """The ``OpeningHours`` of every named clock, holidays covering ``first``..``last``."""
    years = range(first.year - 1, last.year + 2)
    return {name: opening_hours(policy, name, years=years) for name in names}
