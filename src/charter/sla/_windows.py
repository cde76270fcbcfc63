"""When each metric's clock runs, derived from tickets and their events in columns.

A window is one run of a metric's clock for a ticket: ``start_at`` to ``stop_at``
(null while it still runs). Most metrics have one window per ticket; next
response and periodic update have one per occurrence; the clocks that run until
the solve have one per solve of a reopened ticket, each valid for the instants at
which that solve is the current one.
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
        "valid_from": pl.Datetime("us", "UTC"),
        "valid_until": pl.Datetime("us", "UTC"),
    }
)
_SOLVED = ("solved", "closed")
_UNTIL_SOLVED = ("resolution", "requester_wait", "agent_work")


def windows(tickets: pl.DataFrame, events: pl.DataFrame, spells: pl.DataFrame) -> pl.DataFrame:
    """Every metric window of every ticket, one frame in ``WINDOW_SCHEMA`` (but for
    ``ticket_id``, which keeps the type of the tickets' ids: text, or the store's
    integers).

    A window holds for evaluations at ``valid_from <= now < valid_until`` (null: no
    bound): the clocks that run until the solve have one window per solve
    (``solve_states``), so a ticket solved, reopened and solved again is judged by the
    solve current at ``now``. ``events`` must be sorted by ticket and time
    (``sort_events``); ``spells`` are their ``status_spells``.
    """
    talk = events.filter(pl.col("kind") != "status")
    states = solve_states(tickets, spells)
    final = states.filter(pl.col("valid_until").is_null()).select(
        "ticket_id", pl.col("stop_at").alias("_solved")
    )
    replies = _replies(tickets, talk)
    parts = [
        _first_response(tickets, replies),
        *(_until_solved(states, m) for m in _UNTIL_SOLVED),
        _next_response(talk),
        _periodic_update(replies, final),
    ]
    schema = pl.Schema({**WINDOW_SCHEMA, "ticket_id": tickets.schema["id"]})
    return pl.concat([_conformed(p, schema) for p in parts])


def _conformed(part: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """``part`` in ``schema``'s columns and types; a column it lacks is null."""
    return part.select(
        pl.col(name) if name in part.columns else pl.lit(None).alias(name) for name in schema
    ).cast(schema)


def sort_events(events: pl.DataFrame) -> pl.DataFrame:
    """Events by ticket, then time: the order every window computation relies on (events
    at one instant keep their file order)."""
    return events.sort("ticket_id", "at", maintain_order=True)


def _same_ticket(offset: int) -> pl.Expr:
    """True where the row ``offset`` away (in sorted order) belongs to the same ticket.

    Sorted data makes a plain shift plus this mask do what ``over("ticket_id")``
    does, without grouping."""
    return (pl.col("ticket_id").shift(offset) == pl.col("ticket_id")).fill_null(False)


def _replies(tickets: pl.DataFrame, talk: pl.DataFrame) -> pl.DataFrame:
    """``ticket_id, at`` of every agent reply, each ticket's together and in time order;
    a ticket without reply events has its ``first_response_at`` column as its one reply."""
    events = talk.filter(pl.col("kind") == "agent_reply").select("ticket_id", "at")
    column = (
        tickets.select(pl.col("id").alias("ticket_id"), pl.col("first_response_at").alias("at"))
        .filter(pl.col("at").is_not_null())
        .join(events, on="ticket_id", how="anti")
    )
    # A ticket's rows stay together (sorted events, or its one column row): enough for
    # the shifts that pair each reply with the next.
    return pl.concat([events, column.cast(events.schema)])


def _first_response(tickets: pl.DataFrame, replies: pl.DataFrame) -> pl.DataFrame:
    # Each ticket's replies are together and in time order: its first row is its first.
    first = replies.filter(~_same_ticket(1)).select("ticket_id", pl.col("at").alias("_reply"))
    return tickets.select(
        pl.col("id").alias("ticket_id"),
        pl.lit("first_response").alias("metric"),
        pl.lit(0).alias("occurrence"),
        pl.col("created_at").alias("start_at"),
    ).join(first.rename({"_reply": "stop_at"}), on="ticket_id", how="left")


def _until_solved(states: pl.DataFrame, metric: str) -> pl.DataFrame:
    return states.with_columns(pl.lit(metric).alias("metric"), pl.lit(0).alias("occurrence"))


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


def _periodic_update(replies: pl.DataFrame, solved: pl.DataFrame) -> pl.DataFrame:
    """Gaps between agent replies before the solve, the last one ending at the solve."""
    return (
        replies.join(solved, on="ticket_id", how="left", maintain_order="left")
        .filter(pl.col("_solved").is_null() | (pl.col("at") < pl.col("_solved")))
        .with_columns(pl.when(_same_ticket(-1)).then(pl.col("at").shift(-1)).alias("_next"))
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

    A ticket is ``new`` from its creation until its first status event. A ticket whose
    events never set ``solved`` but whose columns say it is solved (``status`` solved or
    closed, ``solved_at`` set) is solved at ``solved_at``. Events at one instant keep
    their file order: the last one holds.
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
        pl.concat([opening, changes, _column_solves(tickets, changes)])
        .sort("ticket_id", "at", maintain_order=True)
        .with_columns(pl.when(_same_ticket(-1)).then(pl.col("at").shift(-1)).alias("until_at"))
        .rename({"at": "from_at"})
        .filter(pl.col("until_at").is_null() | (pl.col("until_at") > pl.col("from_at")))
    )


def _column_solves(tickets: pl.DataFrame, changes: pl.DataFrame) -> pl.DataFrame:
    """A ``solved`` status change at ``solved_at`` for each ticket solved by its columns
    alone (no status event to ``solved``)."""
    with_event = changes.filter(pl.col("status") == "solved").select("ticket_id")
    solved = pl.col("status").cast(pl.String).is_in(_SOLVED) & pl.col("solved_at").is_not_null()
    return (
        tickets.filter(solved)
        .select(
            pl.col("id").alias("ticket_id"),
            pl.lit("solved").alias("status"),
            pl.col("solved_at").alias("at"),
        )  # fmt: skip
        .join(with_event, on="ticket_id", how="anti")
    )


def solve_states(tickets: pl.DataFrame, spells: pl.DataFrame) -> pl.DataFrame:
    """The windows of the clocks that run until the solve, each holding for the
    evaluations ``valid_from <= now < valid_until``.

    A stretch of the ticket's solved state (``solved``, or ``closed`` after it) stops at
    its solve, the last transition into ``solved`` in it (a stretch closed without one
    stops at its start). One window per solved stretch holds from the previous one's
    reopen until its own reopen: before its solve its stop is still in the future, so
    the clock runs. A ticket unsolved at the end has one more window, running, from its
    last reopen.
    """
    solved = pl.col("status").is_in(_SOLVED)
    first, last = ~_same_ticket(1), ~_same_ticket(-1)
    into = (pl.col("status") == "solved") & (first | (pl.col("status").shift(1) != "solved"))
    begins = first | (solved != solved.shift(1))
    ends = last | (solved != solved.shift(-1))
    stretch = begins.cum_sum()
    marked = spells.with_columns(
        solved.alias("_solved"),
        pl.when(begins).then(pl.col("from_at")).forward_fill().alias("_begun"),
        pl.when(into).then(pl.col("from_at")).forward_fill().alias("_into"),
        # The stretch the last transition into solved belongs to, to keep only this one's.
        (pl.when(into).then(stretch).forward_fill() == stretch).fill_null(False).alias("_own"),
        (ends & (solved | last)).alias("_kept"),
    )
    solve = pl.when("_own").then("_into").otherwise("_begun")
    kept = marked.filter("_kept").select(
        "ticket_id",
        pl.when("_solved").then(solve).alias("stop_at"),
        pl.col("until_at").alias("valid_until"),
    )
    created = tickets.select(
        pl.col("id").alias("ticket_id"), pl.col("created_at").alias("start_at")
    )
    return kept.with_columns(
        pl.when(_same_ticket(1)).then(pl.col("valid_until").shift(1)).alias("valid_from")
    ).join(created, on="ticket_id", how="left", maintain_order="left")
