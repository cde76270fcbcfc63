"""Section c: CSAT and NPS by month, for tickets whose promises were kept against
tickets where one was broken.

Scores are the helpdesk's imported ones (``tickets.csat``, ``tickets.nps``) and
Charter's own survey answers (``charter.store.surveys.answered``); an answer overrides
an imported score of the same ticket and kind. A ticket counts in the month it was
created (UTC), as the promise tables count it; it is *broken* when one of its clocks
breached its target, *kept* when a clock met its target and none breached or is still
running (as the dashboard's kept against broken counts them), and left out otherwise.
CSAT is the share of 4-5 answers; NPS is promoters (9-10) minus detractors (0-6), in
points (docs/kpis.md).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from charter import figures
from charter.services.review_pack._values import ScoreCell, ScoreMonth, Scores, Span
from charter.store import Database
from charter.store import scores as scores_store
from charter.store import surveys as surveys_store

KINDS = ("csat", "nps")


def _window(span: Span) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(span.months[0], dt.time(), dt.UTC)
    return start, span.end


def _scored(database: Database, span: Span) -> tuple[pl.DataFrame, int]:
    """Each scored ticket of the months (``created_at, csat, nps, broken``) with survey
    answers laid over imported scores, and how many scores came from surveys."""
    start, stop = _window(span)
    with database.reading() as session:
        answers = surveys_store.answered(session, start, stop)
        answers = answers.filter(pl.col("kind").is_in(KINDS))
        tickets = scores_store.scored_tickets(session, start, stop,
                                              answers["ticket_id"].to_list())  # fmt: skip
    wide = answers.pivot(on="kind", index="ticket_id", values="score", aggregate_function="last")
    for kind in KINDS:
        if kind not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Int64).alias(kind))
    wide = wide.select("ticket_id", *(pl.col(k).cast(pl.Int64).alias(f"_{k}") for k in KINDS))
    laid = tickets.join(wide, on="ticket_id", how="left").with_columns(
        pl.coalesce(f"_{k}", k).alias(k) for k in KINDS
    )
    inside = laid.filter((pl.col("created_at") >= start) & (pl.col("created_at") < stop))
    surveyed = sum(inside[f"_{k}"].is_not_null().sum() for k in KINDS)
    return inside.drop(f"_{k}" for k in KINDS), int(surveyed)


def _cell(frame: pl.DataFrame, kind: str) -> ScoreCell:
    values = frame[kind].drop_nulls()
    n = values.len()
    if n == 0:
        return ScoreCell(0, figures.MISSING)
    if kind == "csat":
        return ScoreCell(n, figures.share(int((values >= 4).sum()) / n))
    points = (int((values >= 9).sum()) - int((values <= 6).sum())) * 100 / n
    return ScoreCell(n, figures.value(points, "points"))


def score_months(database: Database, span: Span) -> Scores:
    """CSAT and NPS per month of ``span``, kept against broken."""
    frame, surveyed = _scored(database, span)
    imported = sum(int(frame[k].is_not_null().sum()) for k in KINDS) - surveyed
    frame = frame.with_columns(pl.col("created_at").dt.truncate("1mo").dt.date().alias("_month"))
    months = []
    for month in span.months:
        inside = frame.filter(pl.col("_month") == month)
        kept, broken = inside.filter(~pl.col("broken")), inside.filter(pl.col("broken"))
        months.append(ScoreMonth(month, _cell(kept, "csat"), _cell(broken, "csat"),
                                 _cell(kept, "nps"), _cell(broken, "nps")))  # fmt: skip
    return Scores(tuple(months), imported, surveyed)
