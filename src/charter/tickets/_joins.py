"""Joins the importers share: satisfaction ratings onto tickets, first and last times.

>>> import datetime as dt
>>> events = pl.DataFrame({"ticket_id": ["1", "1"],
...     "at": [dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 1, 5, 8)]})
>>> first_at(events, "_first").rows()
[('1', datetime.datetime(2026, 1, 5, 8, 0))]
"""

from __future__ import annotations

import polars as pl

from charter.tickets.importing import clipped


def apply_ratings(
    tickets: pl.DataFrame, frames: list[pl.DataFrame]
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The latest rating of a ticket (by ``_rated``) decides its CSAT and its comment
    (``_comment``, where the ratings carry one); a rating whose score cannot be read, or
    of a ticket not in the import, is rejected."""
    if not frames:
        return tickets, []
    found = pl.concat(frames, how="diagonal_relaxed")
    known = pl.col("id").is_in(tickets["id"].implode())
    bad = found.filter(pl.col("csat__problem").is_not_null() | ~known).select(
        file=pl.col("_file"),
        row=pl.col("_row"),
        reason=pl.coalesce(
            "csat__problem",
            pl.format(
                "satisfaction rating of ticket {}, which is not in the import",
                clipped(pl.col("id")),
            ),
        ),
    )
    good = found.filter(pl.col("csat__problem").is_null() & known)
    latest = (
        good.sort("_rated", nulls_last=False)
        .unique("id", keep="last")
        .select(
            "id",
            pl.col("csat").alias("_rating"),
            (pl.col("_comment") if "_comment" in good.columns else pl.lit(None, pl.String))
            .alias("_rating_comment"),
            pl.lit(True).alias("_has_rating"),
        )
    )  # fmt: skip
    for name, dtype in (("csat", pl.Int8), ("csat_comment", pl.String)):
        if name not in tickets.columns:
            tickets = tickets.with_columns(pl.lit(None, dtype).alias(name))
    joined = tickets.join(latest, on="id", how="left")
    rated = pl.col("_has_rating").fill_null(False)
    decided = joined.with_columns(
        pl.when(rated).then(pl.col("_rating")).otherwise(pl.col("csat")).alias("csat"),
        pl.when(rated)
        .then(pl.col("_rating_comment"))
        .otherwise(pl.col("csat_comment"))
        .alias("csat_comment"),
    )
    return decided.drop("_rating", "_rating_comment", "_has_rating"), [bad]


def first_at(events: pl.DataFrame, name: str) -> pl.DataFrame:
    """Per ticket (as ``id``): the earliest ``at``, named ``name``."""
    return events.group_by(pl.col("ticket_id").alias("id")).agg(pl.col("at").min().alias(name))


def last_at(events: pl.DataFrame, name: str) -> pl.DataFrame:
    """Per ticket (as ``id``): the latest ``at``, named ``name``."""
    return events.group_by(pl.col("ticket_id").alias("id")).agg(pl.col("at").max().alias(name))
