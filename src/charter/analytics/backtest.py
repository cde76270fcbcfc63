"""Would we have kept this promise? A policy draft replayed on past tickets.

Read-only: the tickets are evaluated under the draft's rules as they stood at
``now`` (by default the latest instant in the data), and each promise reports the
share of finished tickets that would have met it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from charter.policy.schema import Policy
from charter.sla.attainment import attainment
from charter.sla.evaluate import Prepared, evaluate
from charter.tickets.dataset import TicketData

DECIDED = ("met", "breached")


@dataclass(frozen=True)
class Backtest:
    """The SLA results of one draft on one ticket set, and their summaries."""

    sla: pl.DataFrame
    promises: pl.DataFrame
    breaches: pl.DataFrame
    worst: pl.DataFrame
    attainment: pl.DataFrame
    now: dt.datetime


def latest_instant(data: TicketData) -> dt.datetime:
    """The last moment the data knows about: its latest creation, reply, solve or event."""
    columns = ("created_at", "first_response_at", "solved_at", "updated_at")
    candidates = [
        *(data.tickets[column].max() for column in columns),
        data.events["at"].max() if data.events.height else None,
    ]
    known = [c for c in candidates if isinstance(c, dt.datetime)]
    if not known:
        raise ValueError("the ticket set is empty: nothing to test the policy on")
    return max(known)


def backtest(
    policy: Policy,
    data: TicketData,
    *,
    now: dt.datetime | None = None,
    timezone: str = "UTC",
    prepared: Prepared | None = None,
) -> Backtest:
    """Evaluate ``policy`` on ``data`` and summarise each promise.

    ``timezone`` is where "hour of day" is read for the breach breakdown; pass the
    same ``prepared`` (``charter.sla.evaluate.prepare``) to test several drafts.
    """
    moment = now or latest_instant(data)
    sla = evaluate(policy, data, now=moment, prepared=prepared)
    decided = sla.filter(pl.col("status").cast(pl.String).is_in(DECIDED)).join(
        data.tickets.select(pl.col("id").alias("ticket_id"), "channel", "segment", "priority"),
        on="ticket_id",
    )
    return Backtest(
        sla=sla,
        promises=promise_table(sla),
        breaches=breach_table(decided, timezone),
        worst=worst_tickets(decided),
        attainment=attainment(sla, data.tickets, period="month", by=["segment"]),
        now=moment,
    )


def promise_table(sla: pl.DataFrame) -> pl.DataFrame:
    """Per rule and metric: tickets decided, met, breached, still running, share, kept."""
    status = pl.col("status").cast(pl.String)
    return (
        sla.filter(pl.col("rule_id").is_not_null() & pl.col("clock").is_not_null())
        .group_by("rule_id", "metric")
        .agg(
            pl.col("clock", "target_seconds", "target_working_days").first(),
            pl.col("attainment").first().fill_null(1.0).alias("promised"),
            (status == "met").sum().alias("met"),
            (status == "breached").sum().alias("breached"),
            status.is_in(["pending", "at_risk"]).sum().alias("running"),
        )
        .with_columns(
            (pl.col("met") / (pl.col("met") + pl.col("breached"))).alias("share"),
        )
        .with_columns((pl.col("share") >= pl.col("promised")).alias("kept"))
        .sort("rule_id", "metric")
    )


def breach_table(decided: pl.DataFrame, timezone: str) -> pl.DataFrame:
    """Breaches and breach share by segment, channel and hour of day (in ``timezone``)."""
    hour = pl.col("start_at").dt.convert_time_zone(timezone).dt.hour().cast(pl.String)
    dimensions = {"segment": pl.col("segment"), "channel": pl.col("channel"), "hour": hour}
    breached = pl.col("status") == "breached"
    parts = [
        decided.group_by("metric", value.alias("value"))
        .agg(breached.sum().alias("breached"), pl.len().alias("decided"))
        .with_columns(
            pl.lit(name).alias("by"), (pl.col("breached") / pl.col("decided")).alias("share")
        )
        for name, value in dimensions.items()
    ]
    columns = ["metric", "by", "value", "breached", "decided", "share"]
    return pl.concat([p.select(columns) for p in parts]).sort(["metric", "by", "value"])


def worst_tickets(decided: pl.DataFrame, count: int = 10) -> pl.DataFrame:
    """The ``count`` breaches furthest over their target, as a multiple of it."""
    ratio = pl.col("elapsed_seconds") / pl.col("target_business_seconds")
    return (
        decided.filter(pl.col("status") == "breached")
        .with_columns(ratio.alias("times_target"))
        .sort(["times_target", "ticket_id"], descending=[True, False])
        .head(count)
        .select(
            "ticket_id",
            "rule_id",
            "metric",
            "channel",
            "segment",
            "elapsed_seconds",
            "target_business_seconds",
            "times_target",
        )  # fmt: skip
    )


def side_by_side(new: Backtest, old: Backtest) -> pl.DataFrame:
    """Each promise under both drafts: shares, kept, and the change in points."""
    keep = ["rule_id", "metric", "promised", "met", "breached", "share", "kept"]
    joined = new.promises.select(keep).join(
        old.promises.select(keep), on=["rule_id", "metric"], how="full", suffix="_old",
        coalesce=True,
    )  # fmt: skip
    return joined.with_columns(
        ((pl.col("share") - pl.col("share_old")) * 100).alias("change_points")
    ).sort("rule_id", "metric")
