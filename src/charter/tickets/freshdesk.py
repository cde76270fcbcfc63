"""Import Freshdesk exports: API v2 responses (JSON) and the CSV ticket export.

Each file is recognised from its content: tickets (a list, ``include=stats``, search
``results`` or one ticket), conversations, satisfaction ratings, or the CSV export.
Freshdesk's list endpoints return a bare array; Polars reads it whole.

>>> import tempfile, pathlib
>>> page = pathlib.Path(tempfile.mkdtemp()) / "tickets.json"
>>> _ = page.write_text('''[
...   {"id": 21, "status": 4, "status_name": "Open", "priority": 2.0, "source": 9,
...    "created_at": "2026-03-02T09:00:00+05:30", "updated_at": "2026-03-02T10:00:00Z",
...    "stats": {"first_responded_at": "2026-03-02T04:00:00Z",
...              "resolved_at": "2026-03-02T06:00:00Z"}},
...   {"id": 22, "status": 7, "priority": 1, "source": 1,
...    "created_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-02T09:00:00Z"}]''')
>>> result = import_freshdesk([page])
>>> result.tickets.select("id", "status", "priority", "channel").rows()
[('21', 'solved', 'normal', 'web')]
>>> result.tickets["created_at"][0].isoformat()
'2026-03-02T03:30:00+00:00'
>>> result.rejects["reason"][0]
"status: unknown value '7'; codes other than 2-5 are your account's own statuses; ..."
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from charter.errors import UsageError
from charter.excerpt import excerpt
from charter.tickets import _freshdesk_parts as parts
from charter.tickets._joins import apply_ratings, first_at
from charter.tickets._pages import MalformedJson, list_keys, read_json, records, sniff
from charter.tickets._tables import (
    FRESHDESK_PRIORITY,
    FRESHDESK_PRIORITY_LABEL,
    FRESHDESK_SATISFACTION_LABEL,
    FRESHDESK_SOURCE,
    FRESHDESK_SOURCE_LABEL,
    FRESHDESK_STATUS,
    FRESHDESK_STATUS_LABEL,
    OTHER_CHANNEL,
)
from charter.tickets._tabular import Preset
from charter.tickets.generic import import_table, scan_table
from charter.tickets.importing import ImportResult, empty_staged_events, finish, rejects_of
from charter.tickets.mapping import Mapping

__all__ = ["FRESHDESK_CSV", "import_freshdesk"]

# The columns of Freshdesk's CSV ticket export (Tickets > Export), which writes labels.
FRESHDESK_CSV = Preset(
    "freshdesk",
    columns={"id": "Ticket ID", "created_at": "Created time", "updated_at": "Last update time",
             "first_response_at": "Initial response time", "solved_at": "Resolved time",
             "status": "Status", "priority": "Priority", "channel": "Source",
             "assignee": "Agent", "team": "Group", "category": "Type", "tags": "Tags",
             "csat": "Survey results", "requester_email": "Contact email"},
    tables={"status": {**FRESHDESK_STATUS_LABEL, **FRESHDESK_STATUS},
            "priority": {**FRESHDESK_PRIORITY_LABEL, **FRESHDESK_PRIORITY},
            "channel": {**FRESHDESK_SOURCE_LABEL, **FRESHDESK_SOURCE},
            "csat": FRESHDESK_SATISFACTION_LABEL},
    unknown_channel=OTHER_CHANNEL,
    status_hint=parts.STATUS_HINT,
)  # fmt: skip
EXPECTED = "Freshdesk tickets, conversations, satisfaction ratings, or the CSV export"
Staged = dict[str, list[pl.DataFrame]]


def import_freshdesk(
    paths: Sequence[Path],
    mapping: Mapping | None = None,
    *,
    timezone: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportResult:
    """Import Freshdesk responses and CSV exports; duplicates keep the latest ``updated_at``."""
    mapping = mapping or Mapping()
    if timezone:
        mapping = mapping.model_copy(update={"timezone": timezone})
    found: Staged = {"tickets": [], "events": [empty_staged_events()], "ratings": [],
                     "rejects": []}  # fmt: skip
    for path in paths:
        _read(path, mapping, found)
        if progress:
            progress(path)
    tickets = pl.concat(found["tickets"], how="diagonal_relaxed") if found["tickets"] else None
    if tickets is None:
        return finish(pl.DataFrame(), pl.concat(found["events"], how="diagonal_relaxed"),
                      found["rejects"])  # fmt: skip
    _refuse_naive(tickets)
    events = pl.concat(found["events"], how="diagonal_relaxed")
    tickets, rating_rejects = apply_ratings(tickets, found["ratings"])
    tickets = _first_replies(tickets, events)
    return finish(tickets, events, [*found["rejects"], *rating_rejects])


def _read(path: Path, mapping: Mapping, found: Staged) -> None:
    if sniff(path) != "json":
        staged = import_table(scan_table(path), FRESHDESK_CSV, mapping, None, str(path))
        found["tickets"].append(staged.with_columns(pl.lit(None, pl.String).alias("_naive")))
        return
    try:
        page = read_json(path)
    except MalformedJson as error:
        reason = f"not valid JSON ({error}); export this response again"
        found["rejects"].append(rejects_of(str(path), "/", reason))
        return
    if page.array:
        frame = records(page.frame, None)
    elif "results" in list_keys(page.frame):
        frame = records(page.frame, "results")
    else:
        frame = page.frame.with_columns(pl.lit("/").alias("_row"))  # one ticket
    _add(frame, str(path), mapping, found)


def _add(frame: pl.DataFrame, file: str, mapping: Mapping, found: Staged) -> None:
    columns = set(frame.columns)
    if frame.height == 0:
        return
    if {"incoming", "private"} <= columns:
        found["events"].append(parts.conversations(frame, file, mapping.timezone))
    elif "ratings" in columns and "ticket_id" in columns:
        found["ratings"].append(parts.ratings(frame, file, mapping))
    elif {"id", "status", "priority"} <= columns:
        found["tickets"].append(parts.stage_tickets(frame, file, mapping))
    else:
        held = ", ".join(excerpt(c) for c in sorted(columns - {"_row"})[:8]) or "nothing"
        raise UsageError(f"{file}: not {EXPECTED} (its records hold: {held})")


def _refuse_naive(tickets: pl.DataFrame) -> None:
    naive = tickets.filter(pl.col("_naive").is_not_null())
    if naive.height:
        raise UsageError(
            f"{naive['_file'][0]}: {naive['_naive'][0]} at {naive['_row'][0]}, a time without a "
            "UTC offset. Fix: give its timezone with --timezone or 'timezone:' in the mapping file"
        )


def _first_replies(tickets: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """Where ``stats`` did not say, the first public agent reply after creation."""
    created = tickets.select(pl.col("id").alias("ticket_id"), "created_at").unique("ticket_id")
    replies = events.filter(pl.col("kind") == "agent_reply").join(created, on="ticket_id")
    first = first_at(replies.filter(pl.col("at") > pl.col("created_at")), "_reply")
    joined = tickets.join(first, on="id", how="left")
    return joined.with_columns(
        pl.coalesce("first_response_at", "_reply").alias("first_response_at")
    )
