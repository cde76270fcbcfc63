"""A pilot group against the rest: did the pilot keep its promises better?

The pilot is marked by a ticket column (``team == "tier-2"``) or by a list of values
of a column (ticket ids, or agents in ``assignee``). Compliance per metric is
compared with a two-proportion z test, response and resolution times with
Mann-Whitney U, CSAT as the share of 4-5 ratings; each with a plain-language verdict.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from charter.analytics.stats import (
    DurationComparison,
    ProportionComparison,
    compare_csat,
    compare_durations,
    compare_proportions,
)
from charter.errors import UsageError
from charter.policy.calendar import suggest
from charter.policy.service_level import METRIC_WORDS

TIMED_METRICS = ("first_response", "resolution")


@dataclass(frozen=True)
class PilotResult:
    """Every comparison of the pilot with the control group."""

    pilot_tickets: int
    control_tickets: int
    compliance: list[ProportionComparison]
    durations: list[DurationComparison]
    csat: ProportionComparison


def pilot_marks(
    tickets: pl.DataFrame,
    *,
    column: str,
    values: Collection[str] | None = None,
) -> pl.Series:
    """True for the pilot's tickets: ``column`` is true, or holds one of ``values``."""
    if column not in tickets.columns:
        raise UsageError(
            f"the tickets have no column {column!r}{suggest(column, tickets.columns)}; "
            f"columns: {', '.join(tickets.columns)}"
        )
    series = tickets[column]
    if values is None:
        if series.dtype != pl.Boolean:
            raise UsageError(f"column {column!r} is not true/false; say which values mark "
                             f"the pilot, e.g. --pilot {column}=VALUE")  # fmt: skip
        return series.fill_null(False).alias("pilot")
    return series.cast(pl.String).is_in(list(values)).fill_null(False).alias("pilot")


def compare_pilot(sla: pl.DataFrame, tickets: pl.DataFrame, pilot: pl.Series) -> PilotResult:
    """Compare the tickets where ``pilot`` is true with the others."""
    marks = tickets.select(pl.col("id").alias("ticket_id"), pilot.alias("pilot"))
    size = int(pilot.sum())
    if size == 0 or size == tickets.height:
        group = "no ticket" if size == 0 else "every ticket"
        raise UsageError(f"{group} is in the pilot; a comparison needs both groups")
    rows = sla.join(marks, on="ticket_id")
    return PilotResult(
        pilot_tickets=size,
        control_tickets=tickets.height - size,
        compliance=_compliance(rows),
        durations=_durations(rows),
        csat=_csat(tickets, pilot),
    )


def _compliance(rows: pl.DataFrame) -> list[ProportionComparison]:
    decided = rows.filter(pl.col("status").cast(pl.String).is_in(["met", "breached"]))
    counts = (
        decided.group_by("metric", "pilot")
        .agg((pl.col("status") == "met").sum().alias("met"), pl.len().alias("total"))
        .sort("metric")
    )
    found = []
    for metric in counts["metric"].unique(maintain_order=True).to_list():
        group = {r["pilot"]: r for r in counts.filter(pl.col("metric") == metric).to_dicts()}
        pilot, control = group.get(True), group.get(False)
        if pilot is None or control is None:
            continue
        label = f"the {METRIC_WORDS.get(metric, metric)} promise"
        found.append(compare_proportions(pilot["met"], pilot["total"], control["met"],
                                         control["total"], label=label))  # fmt: skip
    return found


def _durations(rows: pl.DataFrame) -> list[DurationComparison]:
    stopped = rows.filter(pl.col("stop_at").is_not_null())
    found = []
    for metric in TIMED_METRICS:
        times = stopped.filter(pl.col("metric") == metric)
        if times.height == 0:
            continue
        pilot = times.filter(pl.col("pilot"))["elapsed_seconds"].to_numpy()
        control = times.filter(~pl.col("pilot"))["elapsed_seconds"].to_numpy()
        label = f"{METRIC_WORDS[metric]} time (business hours)"
        found.append(compare_durations(pilot, control, label=label, business=True))
    return found


def _csat(tickets: pl.DataFrame, pilot: pl.Series) -> ProportionComparison:
    scores = tickets.select(pl.col("csat").cast(pl.Float64), pilot.alias("pilot"))
    return compare_csat(
        scores.filter(pl.col("pilot"))["csat"].to_numpy(),
        scores.filter(~pl.col("pilot"))["csat"].to_numpy(),
    )
