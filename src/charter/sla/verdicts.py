"""Per-ticket verdicts as anyone can audit them: one row per ticket and metric.

The columns are the ones ``charter sla evaluate`` writes and the ticket page and
``/api/tickets/{id}`` show (``VERDICT_COLUMNS``):

- ``rule_id``: the service-level rule that governs the ticket (first match wins);
- ``clock``: the calendar the target counts on, or ``24x7``;
- ``target_seconds``: the target in business seconds on that clock (a working-days
  target is the business time from the start to its due instant; the rule's own
  seconds where the clock never started);
- ``start_at``, ``stop_at``, ``due_at``: the run's instants (UTC); ``stop_at`` is
  null while the clock runs, ``due_at`` while it is paused with target left;
- ``elapsed_seconds``, ``paused_seconds``: business seconds counted, and paused;
- ``status``: ``met | breached | pending | at_risk | none``;
- ``runs``: how many runs the metric had (next response and periodic update have
  one per occurrence; the row reports one of them whole).

>>> import datetime as dt
>>> from charter.policy import load_policy_text
>>> from charter.sla.evaluate import evaluate
>>> from charter.tickets.dataset import TicketData, empty_events
>>> from charter.tickets.schema import TICKET_SCHEMA, conform
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... service_levels:
...   rules: [{id: all, targets: {first_response: {within: 1h, clock: 24x7}}}]
... ''').policy
>>> tickets = conform(pl.DataFrame({"id": ["t1"], "created_at": [dt.datetime(2026, 1, 5, 9)],
...     "channel": ["email"], "priority": ["normal"], "status": ["open"],
...     "first_response_at": [dt.datetime(2026, 1, 5, 9, 30)]}), TICKET_SCHEMA)
>>> at = dt.datetime(2026, 1, 6, tzinfo=dt.UTC)
>>> row = verdicts(evaluate(policy, TicketData(tickets, empty_events()), at)).row(0, named=True)
>>> row["rule_id"], row["clock"], row["target_seconds"], row["due_at"].time(), row["status"]
('all', '24x7', 3600.0, datetime.time(10, 0), 'met')
"""

from __future__ import annotations

from typing import Final

import polars as pl

from charter.policy.service_level import METRICS

VERDICT_COLUMNS: Final = (
    "ticket_id", "metric", "rule_id", "clock", "target_seconds", "start_at", "stop_at",
    "due_at", "elapsed_seconds", "paused_seconds", "status", "runs",
)  # fmt: skip


def target_given() -> pl.Expr:
    """The target a ticket was given, in business seconds: what its clock counted to
    (a working-days target's time to its due), else the rule's seconds."""
    return pl.coalesce(pl.col("target_business_seconds"), pl.col("target_seconds").cast(pl.Float64))


def verdicts(states: pl.DataFrame, ticket_ids: pl.Series | None = None) -> pl.DataFrame:
    """``evaluate``'s frame in ``VERDICT_COLUMNS``: the tickets in the order of
    ``ticket_ids`` (when given; else as ``states`` holds them), each ticket's metrics in
    the policy reference's order. A metric the ticket's rule sets no target for keeps
    its row, with no clock and status ``none``, so every ticket has a row for every
    metric the policy targets."""
    untargeted = pl.col("target_seconds").is_null() & pl.col("target_working_days").is_null()
    rows = states.select(
        "ticket_id",
        "metric",
        "rule_id",
        "clock",
        pl.when(untargeted).then(None).otherwise(target_given()).alias("target_seconds"),
        "start_at",
        "stop_at",
        "due_at",
        pl.col("elapsed_seconds").cast(pl.Float64),
        pl.col("paused_seconds").cast(pl.Float64),
        pl.col("status").cast(pl.String),
        pl.col("occurrences").alias("runs"),
    )
    metric_order = pl.col("metric").replace_strict(
        list(METRICS), range(len(METRICS)), default=len(METRICS), return_dtype=pl.Int32
    )
    if ticket_ids is None:
        ticket_ids = rows["ticket_id"].unique(maintain_order=True)
    order = ticket_ids.to_frame("ticket_id").with_row_index("_t")
    return (
        rows.join(order, on="ticket_id", how="left")
        .with_columns(metric_order.alias("_m"))
        .sort("_t", "_m", maintain_order=True)
        .drop("_t", "_m")
    )
