"""When each metric's clock runs, derived from tickets and their events in columns.

A window is one run of a metric's clock for a ticket: ``start_at`` to ``stop_at``
(null while it still runs). Most metrics have one window per ticket; next
response and periodic update have one per occurrence.
"""

from __future__ import annotations

import polars as pl

WINDOW_SCHEMA: pl.Schema = pl.Schema(
    {
        "ticket_id": pl.String(),
        "metric": pl.String(),
        "occurrence": pl.Int32(),
        "start_at": pl.Datetime("us", "UTC"),
        "stop_at": pl.Datetime("us", "UTC"),
    }
)
_SOLVED = ("solved", "closed")


def windows(tickets: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """Every metric window of every ticket, one frame in ``WINDOW_SCHEMA`` (but for
    ``ticket_id``, which keeps the type of the tickets' ids: text, or the store's
    integers).

    ``events`` must be sorted by ticket and time (``sort_events``).
    """
    talk = events.filter(pl.col("kind") != "status")
    parts = [
        _first_response(tickets, talk),
        *(_until_solved(tickets, m) for m in ("resolution", "requester_wait", "agent_work")),
        _next_response(talk),
        _periodic_update(tickets, talk),
    ]
    schema = pl.Schema({**WINDOW_SCHEMA, "ticket_id": tickets.schema["id"]})
    return pl.concat([p.select(list(schema)).cast(schema) for p in parts])


def sort_events(events: pl.DataFrame) -> pl.DataFrame:
    """Events by ticket, then time: the order every window computation relies on."""
    return events.sort("ticket_id", "at", maintain_order=True)


def _same_ticket(offset: int) -> pl.Expr:
    """True where the row ``offset`` away (in sorted order) belongs to the same ticket.

    Sorted data makes a plain shift plus this mask do what ``over("ticket_id")``
    does, without grouping."""
    return (pl.col("ticket_id").shift(offset) == pl.col("ticket_id")).fill_null(False)


def _solved_at() -> pl.Expr:
    """The solve instant of a ticket that is solved now; a reopened ticket still runs."""
    return pl.when(pl.col("status").cast(pl.String).is_in(_SOLVED)).then(pl.col("solved_at"))


def _first_response(tickets: pl.DataFrame, talk: pl.DataFrame) -> pl.DataFrame:
    replies = (
        talk.filter(pl.col("kind") == "agent_reply")
        .group_by("ticket_id")
        .agg(pl.col("at").min().alias("_reply"))
    )
    return (
        tickets.select("id", "created_at", "first_response_at")
        .join(replies, left_on="id", right_on="ticket_id", how="left")
        .select(
            pl.col("id").alias("ticket_id"),
            pl.lit("first_response").alias("metric"),
            pl.lit(0).alias("occurrence"),
            pl.col("created_at").alias("start_at"),
            pl.coalesce("_reply", "first_response_at").alias("stop_at"),
        )
    )


def _until_solved(tickets: pl.DataFrame, metric: str) -> pl.DataFrame:
    return tickets.select(
        pl.col("id").alias("ticket_id"),
        pl.lit(metric).alias("metric"),
        pl.lit(0).alias("occurrence"),
        pl.col("created_at").alias("start_at"),
        _solved_at().alias("stop_at"),
    )


def _next_response(talk: pl.DataFrame) -> pl.DataFrame:
    """Each customer message that follows an agent reply, to the next agent reply."""
    is_reply = pl.col("kind") == "agent_reply"
    follows_reply = _same_ticket(1) & (pl.col("kind").shift(1) == "agent_reply")
    # The next reply at or after each row, and whose ticket it is: filled backwards
    # over the sorted frame, then kept only where it is the row's own ticket.
    marked = talk.with_columns(
        follows_reply.alias("_starts"),
        pl.when(is_reply).then(pl.col("at")).backward_fill().alias("_next"),
        pl.when(is_reply).then(pl.col("ticket_id")).backward_fill().alias("_next_ticket"),
    )
    starts = marked.filter((pl.col("kind") == "customer_message") & pl.col("_starts"))
    own = pl.col("_next_ticket") == pl.col("ticket_id")
    return starts.select(
        "ticket_id",
        pl.lit("next_response").alias("metric"),
        pl.int_range(pl.len()).alias("occurrence"),
        pl.col("at").alias("start_at"),
        pl.when(own).then(pl.col("_next")).alias("stop_at"),
    )


def _periodic_update(tickets: pl.DataFrame, talk: pl.DataFrame) -> pl.DataFrame:
    """Gaps between agent replies, the last one running until the ticket is solved."""
    replies = talk.filter(pl.col("kind") == "agent_reply").select("ticket_id", "at")
    solved = tickets.select(pl.col("id").alias("ticket_id"), _solved_at().alias("_solved"))
    return (
        replies.join(solved, on="ticket_id", how="left", maintain_order="left")
        .with_columns(pl.when(_same_ticket(-1)).then(pl.col("at").shift(-1)).alias("_next"))
        .filter(pl.col("_solved").is_null() | (pl.col("at") < pl.col("_solved")))
        .select(
            "ticket_id",
            pl.lit("periodic_update").alias("metric"),
            pl.int_range(pl.len()).alias("occurrence"),
            pl.col("at").alias("start_at"),
            pl.coalesce(pl.col("_next"), pl.col("_solved")).alias("stop_at"),
        )
    )


def status_spells(tickets: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """Each stretch of one status: ``ticket_id, status, from_at, until_at`` (null: still).

    A ticket is ``new`` from its creation until its first status event.
    """
    changes = events.filter(pl.col("kind") == "status").select(
        "ticket_id", pl.col("status").cast(pl.String), "at"
    )
    opening = tickets.select(
        pl.col("id").alias("ticket_id"),
        pl.lit("new").alias("status"),
        pl.col("created_at").alias("at"),
    )
    return (
        pl.concat([opening, changes])
        .sort("ticket_id", "at", maintain_order=True)
        .with_columns(pl.when(_same_ticket(-1)).then(pl.col("at").shift(-1)).alias("until_at"))
        .rename({"at": "from_at"})
        .filter(pl.col("until_at").is_null() | (pl.col("until_at") > pl.col("from_at")))
    )
