"""Combining everything read from Zendesk files into staged tickets and events.

First-response and solve times come from the best source present, in this order:
audits (the first public agent reply after creation; the last change to solved),
ticket metric events (``reply_time`` fulfil of instance 1; ``requester_wait_time``
fulfil), then ticket metrics (creation + ``reply_time_in_seconds.calendar``, or the
minutes value; ``solved_at``). A solve time is kept only for solved or closed tickets.
"""

from __future__ import annotations

from collections.abc import Mapping as Mapping_

import polars as pl

import charter.tickets.zendesk._events as ev
from charter.errors import UsageError
from charter.tickets._joins import apply_ratings, first_at, last_at
from charter.tickets._timestamps import UTC
from charter.tickets.importing import empty_staged_events
from charter.tickets.mapping import Mapping
from charter.tickets.zendesk._pages import Pages
from charter.tickets.zendesk._tickets import RAW, decide

DONE = ("solved", "closed")


def combine(
    pages: Pages, mapping: Mapping
) -> tuple[pl.DataFrame, pl.DataFrame, list[pl.DataFrame]]:
    """(staged tickets, staged events, rejects of ratings)."""
    raw = _concat(pages.tickets, {**RAW, "_naive": pl.String()})
    _refuse_naive(raw)
    raw = raw.join(_statuses(pages), on="_custom_status", how="left")
    tickets = _requester_emails(decide(raw, mapping), pages)
    tickets, rating_rejects = apply_ratings(tickets, pages.ratings)
    requesters = (
        tickets.sort("updated_at", nulls_last=False)
        .unique("id", keep="last")
        .select("id", "_requester", "created_at")
    )
    audit = _concat(pages.audits, ev.AUDIT_EVENT)
    events = ev.events_of_audits(audit, requesters.select("id", "_requester"), mapping)
    metric = _metric_events(pages)
    with_audits = events["ticket_id"].unique().implode()
    from_metrics = metric.filter(
        pl.col("kind").is_not_null() & ~pl.col("ticket_id").is_in(with_audits)
    )
    tickets = _times(tickets, events, metric, _concat(pages.metrics, _METRICS))
    csv = [frame.drop("_naive", strict=False) for frame in pages.csv]
    staged = pl.concat([tickets, *csv], how="diagonal_relaxed")
    event_frames = [empty_staged_events(), events, from_metrics.select(_EVENT_COLUMNS)]
    return staged, pl.concat(event_frames, how="diagonal_relaxed"), rating_rejects


_EVENT_COLUMNS = ("ticket_id", "at", "kind", "_file", "_row", "_problem")
_METRICS = {"id": pl.String(), "_reply_seconds": pl.Float64(), "_metric_solved": UTC,
            "_metric_updated": pl.String()}  # fmt: skip


def _concat(frames: list[pl.DataFrame], schema: Mapping_[str, pl.DataType]) -> pl.DataFrame:
    empty = pl.DataFrame(schema=schema)
    return pl.concat([empty, *[f.select(list(schema)) for f in frames]], how="vertical_relaxed")


def _refuse_naive(raw: pl.DataFrame) -> None:
    naive = raw.filter(pl.col("_naive").is_not_null())
    if naive.height:
        raise UsageError(
            f"{naive['_file'][0]}: {naive['_naive'][0]} at {naive['_row'][0]}, a time without a "
            "UTC offset. Fix: give its timezone with --timezone or 'timezone:' in the mapping file"
        )


def _statuses(pages: Pages) -> pl.DataFrame:
    schema = {"_custom_status": pl.String(), "_category": pl.String()}
    found = _concat(pages.custom_statuses, schema)
    return found.filter(pl.col("_custom_status").is_not_null()).unique(
        "_custom_status", keep="last", maintain_order=True
    )


def _requester_emails(tickets: pl.DataFrame, pages: Pages) -> pl.DataFrame:
    """The requester's address from the side-loaded users, where the ticket has none."""
    schema = {"_requester": pl.String(), "_user_email": pl.String()}
    found = _concat(pages.users, schema).filter(pl.col("_requester").is_not_null())
    if found.height == 0:
        return tickets
    users = found.unique("_requester", keep="last")
    joined = tickets.join(users, on="_requester", how="left", maintain_order="left")
    return joined.with_columns(
        pl.coalesce("requester_email", "_user_email").alias("requester_email")
    ).drop("_user_email")


def _metric_events(pages: Pages) -> pl.DataFrame:
    schema = {"ticket_id": pl.String(), "at": UTC, "kind": pl.String(),
              "_solved": pl.Boolean(), "_first_reply": pl.Boolean(), "_file": pl.String(),
              "_row": pl.String(), "_problem": pl.String()}  # fmt: skip
    return _concat(pages.metric_events, schema)


def _times(
    tickets: pl.DataFrame, events: pl.DataFrame, metric: pl.DataFrame, metrics: pl.DataFrame
) -> pl.DataFrame:
    created = tickets.select("id", "created_at").unique("id")
    replies = events.filter(pl.col("kind") == "agent_reply").join(
        created.rename({"id": "ticket_id"}), on="ticket_id"
    )
    sources = [
        first_at(replies.filter(pl.col("at") > pl.col("created_at")), "_audit_reply"),
        last_at(events.filter(pl.col("status") == "solved"), "_audit_solved"),
        last_at(events.filter(pl.col("status") == "closed"), "_audit_closed"),
        first_at(metric.filter(pl.col("_first_reply")), "_metric_reply"),
        last_at(metric.filter(pl.col("_solved")), "_metric_wait"),
    ]
    joined = tickets
    for frame in sources:
        joined = joined.join(frame, on="id", how="left")
    metrics_last = metrics.unique("id", keep="last").drop("_metric_updated")
    joined = joined.join(metrics_last, on="id", how="left")
    from_metrics = pl.col("created_at") + pl.duration(seconds=pl.col("_reply_seconds"))
    done = pl.col("status").cast(pl.String).is_in(DONE)
    return joined.with_columns(
        pl.coalesce("_audit_reply", "_metric_reply", from_metrics).alias("first_response_at"),
        pl.when(done)
        .then(pl.coalesce("_audit_solved", "_audit_closed", "_metric_wait", "_metric_solved"))
        .alias("solved_at"),
    )
