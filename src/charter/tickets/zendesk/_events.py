"""Zendesk's other pages: ticket audits, ticket metric events, ticket metrics,
satisfaction ratings and custom statuses, each staged as a frame of whole columns.

Audits give the events: a public Comment by the ticket's requester is a customer
message, by anyone else an agent reply; private comments are ignored; a Create or
Change event of the ``status`` field is a status event. Metric events give replies
(``reply_time`` fulfil) for tickets without audits. Ticket metrics give the first-reply
and solve times when nothing better is known.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from charter.tickets._pages import as_text, field, raw_field
from charter.tickets._tables import ZENDESK_CSAT, ZENDESK_STATUS
from charter.tickets._timestamps import UTC, TimeColumn, parse_times
from charter.tickets.importing import Lookup, lookups, merged, problems, text
from charter.tickets.mapping import Mapping

AUDIT_EVENT = {
    "ticket_id": pl.String(), "at": UTC, "_type": pl.String(), "_public": pl.Boolean(),
    "_author": pl.String(), "_value": pl.String(), "_file": pl.String(), "_row": pl.String(),
    "_problem": pl.String(),
}  # fmt: skip


def audit_events(audits: pl.DataFrame, file: str, timezone: str | None) -> pl.DataFrame:
    """Comment and status-change events of an audits page, one row each, with the JSON
    pointer of the event (``/audits/2/events/1``)."""
    if "events" not in audits.columns or not isinstance(audits.schema["events"], pl.List):
        return pl.DataFrame(schema=AUDIT_EVENT)
    created = TimeColumn("at", *raw_field(audits, "created_at"), "created_at")
    lf = parse_times(audits.lazy(), [created], timezone)
    lf = lf.select(
        text(field(audits, "ticket_id")).alias("ticket_id"),
        pl.col("at", "at__problem", "_row"),
        text(field(audits, "author_id")).alias("_audit_author"),
        pl.col("events"),
    )
    exploded = (
        lf.explode("events")
        .with_columns(pl.int_range(pl.len()).over("_row").alias("_j"))
        .filter(pl.col("events").is_not_null())
    )
    events = exploded.collect()
    inner = events.unnest("events", separator="__")
    get = _getter(inner)
    kept = inner.lazy().select(
        pl.col("ticket_id", "at"),
        get("type").alias("_type"),
        _public(inner).alias("_public"),
        pl.coalesce(get("author_id"), pl.col("_audit_author")).alias("_author"),
        pl.when(get("field_name") == "status").then(_first_value(inner)).alias("_value"),
        pl.lit(file).alias("_file"),
        pl.format("{}/events/{}", "_row", "_j").alias("_row"),
        pl.col("at__problem").alias("_problem"),
    )
    wanted = (pl.col("_type") == "Comment") | (
        pl.col("_type").is_in(["Change", "Create"]) & pl.col("_value").is_not_null()
    )
    return kept.filter(wanted).collect().cast(AUDIT_EVENT)  # type: ignore[arg-type]


def _getter(frame: pl.DataFrame) -> Callable[[str], pl.Expr]:
    def get(name: str) -> pl.Expr:
        return text(field(frame, f"events__{name}"))

    return get


def _public(frame: pl.DataFrame) -> pl.Expr:
    expr, dtype = raw_field(frame, "events__public")
    if dtype == pl.Boolean:
        return expr
    return as_text(expr, dtype).str.to_lowercase() == "true"


def _first_value(frame: pl.DataFrame) -> pl.Expr:
    """``value`` of a Change event; Polars may have read it as a list when other events
    of the page carried lists (tags)."""
    expr, dtype = raw_field(frame, "events__value")
    if isinstance(dtype, pl.List):
        return text(expr.list.first().cast(pl.String))
    return text(as_text(expr, dtype))


def events_of_audits(
    staged: pl.DataFrame, requesters: pl.DataFrame, mapping: Mapping
) -> pl.DataFrame:
    """Canonical events from staged audit events; ``requesters`` has ``id``, ``_requester``."""
    joined = staged.lazy().join(  # in the audits' order: it orders events of one instant
        requesters.lazy().rename({"id": "ticket_id"}),
        on="ticket_id",
        how="left",
        maintain_order="left",
    )
    comment = pl.col("_type") == "Comment"
    by_requester = pl.col("_author") == pl.col("_requester")
    table = merged(mapping.value_table("status"), ZENDESK_STATUS)
    decided = lookups(
        joined.filter(~comment | pl.col("_public").fill_null(False)),
        [Lookup("status", pl.col("_value"), table, "status change", "map it under values.status",
                codes=False)],
    )  # fmt: skip
    return decided.select(
        pl.col("ticket_id", "at"),
        pl.when(comment & by_requester)
        .then(pl.lit("customer_message"))
        .when(comment)
        .then(pl.lit("agent_reply"))
        .otherwise(pl.lit("status"))
        .alias("kind"),
        pl.when(~comment).then(pl.col("status")).alias("status"),
        pl.col("_file", "_row"),
        problems(pl.col("_problem"), pl.col("status__problem")).alias("_problem"),
    ).collect()


def metric_events(records: pl.DataFrame, file: str, timezone: str | None) -> pl.DataFrame:
    """Reply events from ``reply_time`` metric events: a fulfil is an agent reply; an
    activation after the first (``instance_id`` ≥ 2) is a customer writing again.
    ``requester_wait_time`` fulfils are kept as ``_solved`` (the ticket was solved)."""
    at = TimeColumn("at", *raw_field(records, "time"), "time")
    lf = parse_times(records.lazy(), [at], timezone).select(
        text(field(records, "ticket_id")).alias("ticket_id"),
        pl.col("at"),
        text(field(records, "metric")).alias("_metric"),
        text(field(records, "type")).alias("_type"),
        text(field(records, "instance_id")).cast(pl.Int64, strict=False).alias("_instance"),
        pl.lit(file).alias("_file"),
        pl.col("_row"),
        pl.col("at__problem").alias("_problem"),
    )
    reply, fulfil = pl.col("_metric") == "reply_time", pl.col("_type") == "fulfill"
    return lf.with_columns(
        pl.when(reply & fulfil)
        .then(pl.lit("agent_reply"))
        .when(reply & (pl.col("_type") == "activate") & (pl.col("_instance") >= 2))
        .then(pl.lit("customer_message"))
        .alias("kind"),
        ((pl.col("_metric") == "requester_wait_time") & fulfil).alias("_solved"),
        (reply & fulfil & (pl.col("_instance") == 1)).alias("_first_reply"),
    ).collect()


def ticket_metrics(records: pl.DataFrame, file: str, timezone: str | None) -> pl.DataFrame:
    """Per ticket: seconds to the first reply (calendar) and the solve time."""
    solved = TimeColumn("_metric_solved", *raw_field(records, "solved_at"), "solved_at")
    seconds = pl.coalesce(
        field(records, "reply_time_in_seconds.calendar").cast(pl.Float64, strict=False),
        field(records, "reply_time_in_minutes.calendar").cast(pl.Float64, strict=False) * 60,
    )
    return (
        parse_times(records.lazy(), [solved], timezone)
        .select(
            text(field(records, "ticket_id")).alias("id"),
            seconds.alias("_reply_seconds"),
            pl.col("_metric_solved"),
            text(field(records, "updated_at")).alias("_metric_updated"),
        )
        .collect()
    )


def ratings(records: pl.DataFrame, file: str, timezone: str | None) -> pl.DataFrame:
    """Satisfaction ratings: ticket, score (1-5 or null) and when it was last updated."""
    updated = TimeColumn("_rated", *raw_field(records, "updated_at"), "updated_at")
    staged = parse_times(records.lazy(), [updated], timezone).select(
        text(field(records, "ticket_id")).alias("id"),
        text(field(records, "score")).alias("_score"),
        text(field(records, "comment")).alias("_comment"),
        pl.col("_rated"),
        pl.lit(file).alias("_file"),
        pl.col("_row"),
    )
    decided = lookups(staged, [Lookup("csat", pl.col("_score"), ZENDESK_CSAT, "score",
                                      "good, bad, offered or unoffered", codes=False)])  # fmt: skip
    return decided.with_columns(text(pl.col("csat")).cast(pl.Int8, strict=False)).collect()


def users(records: pl.DataFrame) -> pl.DataFrame:
    """Side-loaded users: id → e-mail address (a ticket's requester is one of them)."""
    return records.select(
        text(field(records, "id")).alias("_requester"),
        text(field(records, "email")).alias("_user_email"),
    )


def custom_statuses(records: pl.DataFrame) -> pl.DataFrame:
    """Custom status id → its status category."""
    return records.select(
        text(field(records, "id")).alias("_custom_status"),
        text(field(records, "status_category")).str.to_lowercase().alias("_category"),
    )
