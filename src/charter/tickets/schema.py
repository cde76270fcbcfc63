"""The canonical ticket and event tables as Polars schemas, and their checks.

Every importer produces frames of exactly these columns and types; everything
downstream (SLA, analytics, the store) reads only these.

>>> import datetime as dt
>>> frame = pl.DataFrame({"id": ["1"], "created_at": [dt.datetime(2026, 1, 5, 9)],
...     "channel": ["email"], "priority": ["high"], "status": ["open"]})
>>> checked = check_tickets(frame)
>>> checked.valid.schema["created_at"], checked.rejects.height
(Datetime(time_unit='us', time_zone='UTC'), 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

PRIORITIES: Final = ("low", "normal", "high", "urgent")
STATUSES: Final = ("new", "open", "pending", "on_hold", "solved", "closed")
EVENT_KINDS: Final = ("customer_message", "agent_reply", "status")

UTC = pl.Datetime("us", "UTC")
Priority = pl.Enum(PRIORITIES)
Status = pl.Enum(STATUSES)
EventKind = pl.Enum(EVENT_KINDS)

TICKET_SCHEMA: Final[dict[str, pl.DataType]] = {
    "id": pl.String(),
    "created_at": UTC,
    "updated_at": UTC,
    "channel": pl.String(),
    "priority": Priority,
    "segment": pl.String(),
    "team": pl.String(),
    "assignee": pl.String(),
    "category": pl.String(),
    "tags": pl.List(pl.String()),
    "status": Status,
    "first_response_at": UTC,
    "solved_at": UTC,
    "csat": pl.Int8(),
    "nps": pl.Int8(),
    # Who asked (the survey after a solve goes there) and the comment the helpdesk's own
    # satisfaction survey carried, where the export has them.
    "requester_email": pl.String(),
    "csat_comment": pl.String(),
}
MAX_EMAIL = 320  # RFC 5321's longest address; the store's column holds no more
EVENT_SCHEMA: Final[dict[str, pl.DataType]] = {
    "ticket_id": pl.String(),
    "at": UTC,
    "kind": EventKind,
    "status": Status,
}
REJECT_SCHEMA: Final[dict[str, pl.DataType]] = {
    "file": pl.String(),
    "row": pl.String(),
    "reason": pl.String(),
}
ORIGIN = ("_file", "_row")  # where each input row came from; importers add them


@dataclass(frozen=True)
class Checked:
    """Rows that passed, in the canonical schema, and rows that did not, with why."""

    valid: pl.DataFrame
    rejects: pl.DataFrame


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_SCHEMA)


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """``frame`` with every column of ``schema`` (missing ones null), cast, in order.

    Origin columns (``_file``, ``_row``) are kept at the end when present.
    """
    columns = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    ]
    extra = [pl.col(c) for c in ORIGIN if c in frame.columns]
    return frame.select(*columns, *extra)


def _problems(checks: list[tuple[pl.Expr, str | pl.Expr]]) -> pl.Expr:
    """Every failed check's reason, joined with "; ", or null when all pass."""
    reasons = [
        pl.when(failed).then(pl.lit(reason) if isinstance(reason, str) else reason)
        for failed, reason in checks
    ]
    joined = pl.concat_str(reasons, separator="; ", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)


def _split(frame: pl.DataFrame, checks: list[tuple[pl.Expr, str | pl.Expr]], label: str) -> Checked:
    """Valid rows, and rejects named by origin: ``_file`` / ``_row`` when the importer
    set them, else ``label`` and the 1-based row number in ``frame``. Reasons are
    written for the failing rows only: on millions of good rows they would cost more
    than the checks."""
    file = pl.col("_file") if "_file" in frame.columns else pl.lit(label)
    row = pl.col("_row") if "_row" in frame.columns else pl.int_range(1, pl.len() + 1)
    marked = frame.with_columns(
        pl.any_horizontal([failed for failed, _ in checks]).alias("_bad"),
        row.cast(pl.String).alias("_where_row"),
    )
    rejects = marked.filter(pl.col("_bad")).select(
        file.cast(pl.String).alias("file"),
        pl.col("_where_row").alias("row"),
        _problems(checks).alias("reason"),
    )
    keep = [c for c in frame.columns if c not in ORIGIN]
    return Checked(marked.filter(~pl.col("_bad")).select(keep), rejects)


def check_tickets(frame: pl.DataFrame, label: str = "tickets") -> Checked:
    """Conform ``frame`` to ``TICKET_SCHEMA`` and split off rows that break its rules.

    Rules: an id, a creation time, a channel, a priority and a status are present;
    first response and solve times are not before creation; CSAT is 1-5 and NPS
    0-10 where given; a requester's e-mail is at most ``MAX_EMAIL`` characters.
    Values that do not cast (an unknown status) must already be
    nulls or reasons from the importer; here they show as missing.
    """
    data = conform(frame, TICKET_SCHEMA)
    created = pl.col("created_at")
    checks: list[tuple[pl.Expr, str | pl.Expr]] = [
        (pl.col("id").is_null() | (pl.col("id").str.strip_chars() == ""), "id is missing"),
        (created.is_null(), "created_at is missing"),
        (pl.col("channel").is_null(), "channel is missing"),
        (pl.col("priority").is_null(), "priority is missing"),
        (pl.col("status").is_null(), "status is missing"),
        # Comparisons with a missing value are null: nothing to object to.
        ((pl.col("solved_at") < created).fill_null(False), "solved_at is before created_at"),
        (
            (pl.col("first_response_at") < created).fill_null(False),
            "first_response_at is before created_at",
        ),
        ((~pl.col("csat").is_between(1, 5)).fill_null(False), "csat is outside 1-5"),
        ((~pl.col("nps").is_between(0, 10)).fill_null(False), "nps is outside 0-10"),
        (
            (pl.col("requester_email").str.len_chars() > MAX_EMAIL).fill_null(False),
            f"requester_email is longer than {MAX_EMAIL} characters; no e-mail address is",
        ),
    ]
    return _split(data, checks, label)


def check_events(
    frame: pl.DataFrame, label: str = "events", created: pl.DataFrame | None = None
) -> Checked:
    """Conform ``frame`` to ``EVENT_SCHEMA`` and split off events that break its rules.

    Rules: a ticket id, an instant and a kind are present; a status event names its
    status and no other event carries one; with ``created`` (``id, created_at`` of the
    tickets, one row per id), no event comes before its ticket's creation (at the same
    instant is fine); a ``_created`` column in ``frame`` (each event's ticket's
    creation, as ``creations`` joins it) is checked the same way.
    An event whose ticket is not in ``created`` is left to the caller.
    """
    data = conform(frame, EVENT_SCHEMA)
    kind, status = pl.col("kind"), pl.col("status")
    checks: list[tuple[pl.Expr, str | pl.Expr]] = [
        (pl.col("ticket_id").is_null(), "ticket_id is missing"),
        (pl.col("at").is_null(), "at is missing"),
        (kind.is_null(), "kind is missing"),
        (((kind == "status") & status.is_null()).fill_null(False), _NO_STATUS),
        (((kind != "status") & status.is_not_null()).fill_null(False), _STRAY_STATUS),
    ]
    if created is not None:
        data = data.join(creations(created), on="ticket_id", how="left", maintain_order="left")
    elif "_created" in frame.columns:
        data = data.with_columns(frame["_created"])
    if "_created" in data.columns:
        checks.append(((pl.col("at") < pl.col("_created")).fill_null(False), _BEFORE))
    checked = _split(data, checks, label)
    return Checked(checked.valid.drop("_created", strict=False), checked.rejects)


_NO_STATUS = "a status event without its status"
_STRAY_STATUS = pl.concat_str(
    pl.lit("status '"), pl.col("status").cast(pl.String), pl.lit("' on an event of kind "),
    pl.col("kind").cast(pl.String), pl.lit("; only status events carry a status "
    "(leave it blank, or make the row a status event)"),
)  # fmt: skip
_BEFORE = pl.concat_str(
    pl.lit("at "), pl.col("at").dt.to_string("%Y-%m-%dT%H:%M:%SZ"),
    pl.lit(" is before its ticket's created_at "),
    pl.col("_created").dt.to_string("%Y-%m-%dT%H:%M:%SZ"),
    pl.lit("; an event cannot come before its ticket (check both files' timezone)"),
)  # fmt: skip


def creations(created: pl.DataFrame) -> pl.DataFrame:
    """``ticket_id, _created``: each ticket's creation (``created`` holds one row per id)."""
    return created.select(pl.col("id").alias("ticket_id"), pl.col("created_at").alias("_created"))


def latest_per_id(tickets: pl.DataFrame) -> pl.DataFrame:
    """One row per ticket id: the one with the latest ``updated_at`` (then the last read)."""
    return (
        tickets.with_row_index("_order")
        .sort(["updated_at", "_order"], nulls_last=False)
        .unique("id", keep="last")
        .sort("_order")
        .drop("_order")
    )
