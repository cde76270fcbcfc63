"""Freshdesk records staged as whole columns: tickets, conversations, satisfaction ratings.

Codes decide, never the label fields beside them: ``status`` 2-5, ``priority`` 1-4 and
``source`` are read through the documented tables; a label (``status_name``...) is read
only where its code is absent.
"""

from __future__ import annotations

import polars as pl

from charter.tickets._pages import field, raw_field
from charter.tickets._tables import (
    FRESHDESK_PRIORITY,
    FRESHDESK_PRIORITY_LABEL,
    FRESHDESK_SATISFACTION,
    FRESHDESK_SOURCE,
    FRESHDESK_SOURCE_LABEL,
    FRESHDESK_STATUS,
    FRESHDESK_STATUS_LABEL,
    OTHER_CHANNEL,
)
from charter.tickets._timestamps import TimeColumn, parse_times
from charter.tickets.importing import Lookup, lookups, merged, problems, text
from charter.tickets.mapping import Mapping

FIELDS = {
    "id": "id", "created_at": "created_at", "updated_at": "updated_at", "status": "status",
    "priority": "priority", "channel": "source", "assignee": "responder_id", "team": "group_id",
    "category": "type", "segment": "", "tags": "tags",
    "first_response_at": "stats.first_responded_at", "solved_at": "stats.resolved_at",
    "requester_email": "requester.email",  # with include=requester
}  # fmt: skip
_LABELS = {"status": "status_name", "priority": "priority_name", "channel": "source_name"}
_TEXTS = ("segment", "team", "assignee", "category")
STATUS_HINT = (
    "codes other than 2-5 are your account's own statuses; map the code under "
    "values.status in the mapping file (6: pending)"
)


def stage_tickets(found: pl.DataFrame, file: str, mapping: Mapping) -> pl.DataFrame:
    """Canonical staged tickets of one page of Freshdesk ticket records."""
    fields = {**FIELDS, **mapping.column_names}
    names = ("created_at", "updated_at", "first_response_at", "solved_at")
    times = [TimeColumn(n, *raw_field(found, fields[n]), fields[n]) for n in names]
    closed = TimeColumn("_closed", *raw_field(found, "stats.closed_at"), "stats.closed_at")
    lf = parse_times(found.lazy(), [*times, closed], mapping.timezone, mapping.timestamp_formats)
    lf = lookups(lf, _lookups(found, fields, mapping))
    done = pl.col("status").is_in(["solved", "closed"])
    custom = _custom_fields(found, mapping)
    return lf.select(
        text(field(found, fields["id"])).alias("id"),
        pl.col("created_at", "updated_at", "first_response_at"),
        pl.when(done).then(pl.coalesce("solved_at", "_closed")).alias("solved_at"),
        pl.col("status", "priority"),
        pl.col("channel").fill_null(pl.lit(mapping.default_values.get("channel"), pl.String)),
        *[custom.get(n, _text(found, fields[n])).alias(n) for n in _TEXTS],
        _text(found, fields["requester_email"]).alias("requester_email"),
        _tags(found, fields["tags"]).alias("tags"),
        pl.lit(file).alias("_file"),
        pl.col("_row"),
        problems(
            *[pl.col(f"{n}__problem") for n in (*names, "_closed", "status", "priority")]
        ).alias("_problem"),
        pl.coalesce([pl.col(f"{n}__naive") for n in names]).alias("_naive"),
    ).collect()


def _lookups(found: pl.DataFrame, fields: dict[str, str], mapping: Mapping) -> list[Lookup]:
    def source(name: str) -> pl.Expr:
        return pl.coalesce(text(field(found, fields[name])), text(field(found, _LABELS[name])))

    def table(name: str, codes: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
        return merged(mapping.value_table(name), {**labels, **codes})

    priority = pl.coalesce(source("priority"), pl.lit(mapping.default_values.get("priority")))
    return [
        Lookup("status", source("status"), table("status", FRESHDESK_STATUS,
               FRESHDESK_STATUS_LABEL), "status", STATUS_HINT),
        Lookup("priority", priority, table("priority", FRESHDESK_PRIORITY,
               FRESHDESK_PRIORITY_LABEL), "priority", "map it under values.priority"),
        Lookup("channel", source("channel"), table("channel", FRESHDESK_SOURCE,
               FRESHDESK_SOURCE_LABEL), "source", fallback=pl.lit(OTHER_CHANNEL)),
    ]  # fmt: skip


def _text(found: pl.DataFrame, path: str) -> pl.Expr:
    return text(field(found, path)) if path else pl.lit(None, pl.String)


def _tags(found: pl.DataFrame, path: str) -> pl.Expr:
    expr, dtype = raw_field(found, path)
    if isinstance(dtype, pl.List):
        return expr.cast(pl.List(pl.String), strict=False).fill_null([])
    return pl.lit([], pl.List(pl.String))


def _custom_fields(found: pl.DataFrame, mapping: Mapping) -> dict[str, pl.Expr]:
    """segment / team / category from ``custom_fields`` (an object keyed by field name)."""
    chosen: dict[str, pl.Expr] = {}
    for name, target in mapping.custom_fields.items():
        if target not in chosen:
            value = text(field(found, f"custom_fields.{name}"))
            if not isinstance(raw_field(found, f"custom_fields.{name}")[1], pl.Null):
                chosen[target] = value
    return chosen


def conversations(found: pl.DataFrame, file: str, timezone: str | None) -> pl.DataFrame:
    """Staged events: incoming → customer message; outgoing and public → agent reply;
    private notes are ignored."""
    at = TimeColumn("at", *raw_field(found, "created_at"), "created_at")
    incoming = text(field(found, "incoming")).str.to_lowercase() == "true"
    private = text(field(found, "private")).str.to_lowercase() == "true"
    return (
        parse_times(found.lazy(), [at], timezone)
        .filter(~private.fill_null(False))
        .select(
            text(field(found, "ticket_id")).alias("ticket_id"),
            pl.col("at"),
            pl.when(incoming).then(pl.lit("customer_message")).otherwise(pl.lit("agent_reply"))
            .alias("kind"),
            pl.lit(file).alias("_file"),
            pl.col("_row"),
            pl.col("at__problem").alias("_problem"),
        )
        .collect()
    )  # fmt: skip


def ratings(found: pl.DataFrame, file: str, mapping: Mapping) -> pl.DataFrame:
    """Ticket, CSAT (from ``ratings.default_question``) and when it was last updated."""
    updated = TimeColumn("_rated", *raw_field(found, "updated_at"), "updated_at")
    table = merged(mapping.value_table("csat"), FRESHDESK_SATISFACTION)
    staged = parse_times(found.lazy(), [updated], mapping.timezone).select(
        text(field(found, "ticket_id")).alias("id"),
        text(field(found, "ratings.default_question")).alias("_score"),
        text(field(found, "feedback")).alias("_comment"),
        pl.col("_rated"),
        pl.lit(file).alias("_file"),
        pl.col("_row"),
    )
    hint = "Freshdesk ratings run 103 (extremely happy) to -103 (extremely unhappy)"
    decided = lookups(
        staged, [Lookup("csat", pl.col("_score"), table, "ratings.default_question", hint)]
    )
    return decided.with_columns(text(pl.col("csat")).cast(pl.Int8, strict=False)).collect()
