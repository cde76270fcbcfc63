"""What each metric's clock did, in order: the metric events of a ticket's audit trail.

For every run of a targeted metric's clock (``charter.sla.evaluate.judge_runs``, as it
stood at ``now``) the events are:

- ``started`` at the run's start (a clock started outside opening hours counts from
  the next opening; the event keeps the instant it started);
- ``paused`` when the ticket entered a status that stops this rule's metric clock,
  and ``resumed`` when it left it while the clock still ran (back-to-back paused
  statuses, pending then on hold, are one pause); a pause that lasts until the clock
  stops, or until ``now``, has no ``resumed``;
- ``breached`` at the due instant when the clock was still running then: the due
  passed before the clock stopped (a clock stopped exactly at its due is met);
- ``stopped`` at the run's stop, with its verdict.

Events at one instant read in that order: started, resumed, paused, breached, stopped.
A clock paused now with target left has no due instant, so no ``breached`` until it
resumes. Whole columns: one pass per clock, no loop per ticket.

>>> import datetime as dt
>>> import polars as pl
>>> from charter.policy import load_policy_text
>>> from charter.tickets.dataset import TicketData, empty_events
>>> from charter.tickets.schema import conform, TICKET_SCHEMA
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... service_levels:
...   rules: [{id: all, targets: {first_response: {within: 1h, clock: 24x7}}}]
... ''').policy
>>> tickets = conform(pl.DataFrame({"id": ["t1"], "created_at": [dt.datetime(2026, 1, 5, 9)],
...     "channel": ["email"], "priority": ["normal"], "status": ["open"],
...     "first_response_at": [dt.datetime(2026, 1, 5, 10, 30)]}), TICKET_SCHEMA)
>>> events = clock_events(policy, TicketData(tickets, empty_events()),
...     now=dt.datetime(2026, 1, 6, tzinfo=dt.UTC))
>>> [(e["kind"], e["at"].strftime("%H:%M")) for e in events.iter_rows(named=True)]
[('started', '09:00'), ('breached', '10:00'), ('stopped', '10:30')]
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.hours import OpeningHours
from charter.policy.schema import Policy
from charter.sla._clock_ops import instants, per_clock
from charter.sla._pauses import paused_overlaps
from charter.sla.evaluate import Prepared, judge_runs, prepare
from charter.sla.targets import pause_table
from charter.tickets.dataset import TicketData
from charter.tickets.schema import conform

KINDS = ("started", "resumed", "paused", "breached", "stopped")  # order at one instant
EVENT_COLUMNS = (
    "ticket_id", "metric", "occurrence", "kind", "at", "status", "seconds", "due_at",
    "verdict", "clock",
)  # fmt: skip


def clock_events(
    policy: Policy, data: TicketData, now: dt.datetime, *, prepared: Prepared | None = None
) -> pl.DataFrame:
    """Every clock event of ``data``'s tickets under ``policy`` up to ``now``, by ticket,
    instant and kind (``KINDS``): ``ticket_id, metric, occurrence, kind, at`` and

    - ``status``: the status a ``paused`` clock waits in;
    - ``seconds``: business seconds: a ``resumed`` pause's length, a ``stopped`` run's
      elapsed time (pauses excluded), a ``breached`` run's target;
    - ``due_at``: the run's due instant (null while paused with target left);
    - ``verdict``: a ``stopped`` run's status (``met`` or ``breached``);
    - ``clock``: the calendar the target counts on (``24x7`` or a calendar id).
    """
    ready = prepared or prepare(data)
    judged = judge_runs(policy, data, now, prepared=ready)
    runs = judged.runs
    pauses = _pauses(runs, ready.spells, pause_table(policy), judged.clocks)
    base = ["ticket_id", "metric", "occurrence", "clock", "due_at"]
    started = runs.select(*base, pl.lit("started").alias("kind"), pl.col("start_at").alias("at"))
    stopped = runs.filter(pl.col("stop_at").is_not_null()).select(
        *base,
        pl.lit("stopped").alias("kind"),
        pl.col("stop_at").alias("at"),
        pl.col("elapsed_seconds").alias("seconds"),
        pl.col("status").cast(pl.String).alias("verdict"),
    )
    breached = runs.filter(pl.col("due_at") < pl.col("_end")).select(
        *base,
        pl.lit("breached").alias("kind"),
        pl.col("due_at").alias("at"),
        pl.col("_target").alias("seconds"),
    )
    paused = pauses.select(*base, pl.lit("paused").alias("kind"), pl.col("_from").alias("at"),
                           "status")  # fmt: skip
    resumed = pauses.filter(pl.col("_until") < pl.col("_end")).select(
        *base,
        pl.lit("resumed").alias("kind"),
        pl.col("_until").alias("at"),
        pl.col("_paused").alias("seconds"),
    )
    parts = [started, paused, resumed, breached, stopped]
    order = pl.col("kind").replace_strict(KINDS, range(len(KINDS)), return_dtype=pl.Int8)
    return pl.concat([conform(part, _types(runs)) for part in parts]).sort(
        ["ticket_id", "at", order, "metric", "occurrence"], maintain_order=True
    )


def _types(runs: pl.DataFrame) -> dict[str, pl.DataType]:
    """Each of ``EVENT_COLUMNS``' types, in order."""
    return {
        "ticket_id": runs.schema["ticket_id"], "metric": pl.String(), "occurrence": pl.Int32(),
        "kind": pl.String(), "at": pl.Datetime("us", "UTC"), "status": pl.String(),
        "seconds": pl.Float64(), "due_at": pl.Datetime("us", "UTC"), "verdict": pl.String(),
        "clock": pl.String(),
    }  # fmt: skip


def _pauses(
    runs: pl.DataFrame,
    spells: pl.DataFrame,
    pauses: pl.DataFrame,
    clocks: dict[str, OpeningHours],
) -> pl.DataFrame:
    """Each pause of each run, clipped to it: ``_from`` to ``_until``, its first status,
    its length in business time (``_paused``); back-to-back paused spells merged."""
    overlaps = paused_overlaps(runs, spells, pauses).sort("_run", "_from")
    if overlaps.height == 0:
        return runs.head(0).with_columns(
            pl.lit(None, pl.String).alias("status"),
            pl.lit(None, pl.Datetime("us", "UTC")).alias("_from"),
            pl.lit(None, pl.Datetime("us", "UTC")).alias("_until"),
            pl.lit(None, pl.Float64).alias("_paused"),
        )
    same_run = pl.col("_run") == pl.col("_run").shift(1)
    joined = same_run.fill_null(False) & (pl.col("_from") <= pl.col("_until").shift(1))
    merged = (
        overlaps.with_columns((~joined).cum_sum().alias("_pause"))
        .group_by("_run", "_pause", maintain_order=True)
        .agg(
            pl.col("status").first(),
            pl.col("_from").first(),
            pl.col("_until").max(),
        )
        .join(runs, on="_run", how="left", maintain_order="left")
    )
    return per_clock(merged, clocks, _pause_length, ("_from", "_until"))


def _pause_length(hours: OpeningHours, frame: pl.DataFrame) -> dict[str, NDArray[np.generic]]:
    return {"_paused": hours.elapsed(instants(frame, "_from"), instants(frame, "_until"))}
