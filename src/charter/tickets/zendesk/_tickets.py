"""Zendesk tickets: staging a page's ticket records, then mapping their values.

Staging keeps the source words (status, priority, ``via.channel``, satisfaction score)
as text so that pages read later (custom statuses, satisfaction ratings) can still
decide them; ``decide`` then maps them through the documented tables in one pass.
"""

from __future__ import annotations

import polars as pl

from charter.tickets._pages import as_instance, as_text, field, raw_field
from charter.tickets._tables import (
    OTHER_CHANNEL,
    ZENDESK_CHANNEL,
    ZENDESK_CSAT,
    ZENDESK_DELETED,
    ZENDESK_NULL_PRIORITY,
    ZENDESK_PRIORITY,
    ZENDESK_STATUS,
)
from charter.tickets._timestamps import TimeColumn, parse_times
from charter.tickets.importing import Lookup, lookups, merged, problems, text
from charter.tickets.mapping import Mapping

# Canonical column → field of a Zendesk ticket record (the mapping's columns: override).
FIELDS = {
    "id": "id", "created_at": "created_at", "updated_at": "updated_at",
    "channel": "via.channel", "priority": "priority", "status": "status",
    "assignee": "assignee_id", "team": "group_id", "category": "type", "segment": "",
    "tags": "tags", "csat": "satisfaction_rating.score",
    "requester_email": "requester.email", "csat_comment": "satisfaction_rating.comment",
}  # fmt: skip
RAW = {
    "id": pl.String(), "created_at": pl.Datetime("us", "UTC"),
    "updated_at": pl.Datetime("us", "UTC"), "_status": pl.String(), "_custom_status": pl.String(),
    "_priority": pl.String(), "_channel": pl.String(), "_score": pl.String(),
    "_requester": pl.String(), "segment": pl.String(), "team": pl.String(),
    "assignee": pl.String(), "category": pl.String(), "tags": pl.List(pl.String()),
    "requester_email": pl.String(), "csat_comment": pl.String(),
    "_file": pl.String(), "_row": pl.String(), "_problem": pl.String(),
}  # fmt: skip


def stage_page(records: pl.DataFrame, file: str, mapping: Mapping) -> pl.DataFrame:
    """One page's ticket records with their source words kept as text (``RAW``)."""
    fields = {**FIELDS, **mapping.column_names}
    times = [
        TimeColumn(name, *raw_field(records, fields[name]), fields[name])
        for name in ("created_at", "updated_at")
    ]
    stamp = TimeColumn("_generated", *raw_field(records, "generated_timestamp"), "generated")
    lf = parse_times(records.lazy(), [*times, stamp], mapping.timezone)
    custom = _custom_fields(records, mapping)
    staged = lf.select(
        text(field(records, fields["id"])).alias("id"),
        pl.col("created_at"),
        pl.coalesce("updated_at", "_generated").alias("updated_at"),
        *[text(field(records, fields[n])).alias(f"_{n}") for n in ("status", "priority")],
        text(field(records, "custom_status_id")).alias("_custom_status"),
        text(field(records, fields["channel"])).alias("_channel"),
        text(field(records, fields["csat"])).alias("_score"),
        text(field(records, "requester_id")).alias("_requester"),
        *[custom.get(n, _text_field(records, fields[n])).alias(n) for n in _TEXTS],
        *[_text_field(records, fields[n]).alias(n) for n in ("requester_email", "csat_comment")],
        _tags(records, fields["tags"]).alias("tags"),
        pl.lit(file).alias("_file"),
        pl.col("_row"),
        problems(pl.col("created_at__problem"), pl.col("updated_at__problem")).alias("_problem"),
        pl.coalesce("created_at__naive", "updated_at__naive").alias("_naive"),
    )
    return staged.collect()


_TEXTS = ("segment", "team", "assignee", "category")


def _text_field(records: pl.DataFrame, path: str) -> pl.Expr:
    return text(field(records, path)) if path else pl.lit(None, pl.String)


def _tags(records: pl.DataFrame, path: str) -> pl.Expr:
    expr, dtype = raw_field(records, path)
    if isinstance(dtype, pl.List):
        return expr.cast(pl.List(pl.String), strict=False).fill_null([])
    return text(as_text(expr, dtype)).str.split(" ").fill_null([])


def _custom_fields(records: pl.DataFrame, mapping: Mapping) -> dict[str, pl.Expr]:
    """segment / team / category from ``custom_fields`` (a list of ``{id, value}``)."""
    dtype = records.schema.get("custom_fields")
    if not isinstance(dtype, pl.List) or not isinstance(dtype.inner, pl.Struct):
        return {}
    inner = {f.name: as_instance(f.dtype) for f in dtype.inner.fields}
    if "id" not in inner or "value" not in inner:
        return {}
    found: dict[str, pl.Expr] = {}
    for target in _TEXTS:
        ids = [key for key, to in mapping.custom_fields.items() if to == target]
        if ids:
            chosen = pl.col("custom_fields").list.eval(
                pl.element()
                .filter(pl.element().struct.field("id").cast(pl.String).is_in(ids))
                .struct.field("value")
            )
            found[target] = text(as_text(chosen.list.first(), inner["value"]))
    return found


def decide(staged: pl.DataFrame, mapping: Mapping) -> pl.DataFrame:
    """Map the kept words to canonical values (the custom status's category first)."""
    default_priority = mapping.default_values.get("priority", ZENDESK_NULL_PRIORITY)
    status_hint = (
        "map it under values.status in the mapping file, or include the custom statuses "
        "page (GET /api/v2/custom_statuses) so its status category decides"
    )

    def table(name: str, built_in: dict[str, str]) -> dict[str, str]:
        return merged(mapping.value_table(name), built_in)

    decided = lookups(
        staged.lazy().with_columns(
            pl.coalesce("_category", "_status").alias("_status_word"),
            pl.col("_priority").fill_null(pl.lit(default_priority)),
        ),
        [
            Lookup("status", pl.col("_status_word"), table("status", ZENDESK_STATUS), "status",
                   status_hint, codes=False),
            Lookup("priority", pl.col("_priority"), table("priority", ZENDESK_PRIORITY),
                   "priority", "map it under values.priority", codes=False),
            Lookup("channel", pl.col("_channel"), table("channel", ZENDESK_CHANNEL),
                   "via.channel", fallback=pl.lit(OTHER_CHANNEL)),
            Lookup("csat", pl.col("_score"), table("csat", ZENDESK_CSAT),
                   "satisfaction_rating.score", "good, bad, offered or unoffered", codes=False),
        ],
    )  # fmt: skip
    deleted = pl.col("_status_word") == ZENDESK_DELETED
    return decided.with_columns(
        pl.col("channel").fill_null(pl.lit(mapping.default_values.get("channel"), pl.String)),
        text(pl.col("csat")).cast(pl.Int8, strict=False),
        problems(
            pl.col("_problem"),
            pl.when(deleted).then(pl.lit("the ticket was deleted in Zendesk (status 'deleted')")),
            pl.when(~deleted).then(pl.col("status__problem")),
            pl.col("priority__problem"),
            pl.col("csat__problem"),
        ).alias("_problem"),
    ).collect()
