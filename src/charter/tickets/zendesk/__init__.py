"""Import Zendesk exports: API pages (JSON) and the CSV export.

Each file is recognised from its content: a tickets page (list, incremental export,
search results or one ticket), a ticket audits page, ticket metric events, ticket
metrics (or ``metric_sets`` side-loaded with tickets), satisfaction ratings, custom
statuses, or a CSV export. Users side-loaded with tickets (``include=users``) give each
requester's e-mail address. Pages are read whole by Polars' JSON reader and exploded
into columns; nothing is done record by record in Python.

>>> import tempfile, pathlib
>>> page = pathlib.Path(tempfile.mkdtemp()) / "tickets.json"
>>> _ = page.write_text('''{"tickets": [
...   {"id": 1234567890123, "created_at": "2026-03-02T09:00:00Z",
...    "updated_at": "2026-03-02T10:00:00Z", "status": "hold", "priority": null,
...    "via": {"channel": "voice"}, "satisfaction_rating": {"score": "good"}},
...   {"id": 9, "created_at": "2026-03-02T09:00:00Z", "status": "deleted",
...    "via": {"channel": "web"}}], "end_of_stream": true}''')
>>> result = import_zendesk([page])
>>> result.tickets.select("id", "status", "priority", "channel", "csat").rows()
[('1234567890123', 'on_hold', 'normal', 'phone', 5)]
>>> result.rejects.rows()
[('.../tickets.json', '/tickets/1', "the ticket was deleted in Zendesk (status 'deleted')")]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from charter.errors import UsageError
from charter.excerpt import excerpt
from charter.tickets._pages import MalformedJson, list_keys, read_json, records, sniff
from charter.tickets._tables import (
    OTHER_CHANNEL,
    ZENDESK_CHANNEL,
    ZENDESK_CSAT,
    ZENDESK_NULL_PRIORITY,
    ZENDESK_PRIORITY,
    ZENDESK_STATUS,
)
from charter.tickets._tabular import Preset
from charter.tickets.generic import import_table, scan_table
from charter.tickets.importing import ImportResult, finish, rejects_of
from charter.tickets.mapping import Mapping
from charter.tickets.zendesk import _events as ev
from charter.tickets.zendesk._combine import combine
from charter.tickets.zendesk._pages import Pages
from charter.tickets.zendesk._tickets import stage_page

__all__ = ["ZENDESK_CSV", "import_zendesk"]

# The columns of Zendesk's CSV export (Admin Center > Reports > Export).
ZENDESK_CSV = Preset(
    "zendesk",
    columns={"id": "Id", "created_at": "Created at", "updated_at": "Updated at",
             "solved_at": "Solved at", "status": "Status", "priority": "Priority",
             "channel": "Via", "assignee": "Assignee", "team": "Group",
             "category": "Ticket type", "tags": "Tags", "csat": "Satisfaction Score",
             "requester_email": "Requester email", "csat_comment": "Satisfaction Comment"},
    tables={"status": ZENDESK_STATUS, "priority": ZENDESK_PRIORITY,
            "channel": ZENDESK_CHANNEL, "csat": ZENDESK_CSAT},
    defaults={"priority": ZENDESK_NULL_PRIORITY},
    unknown_channel=OTHER_CHANNEL,
    tags_separator=" ",
)  # fmt: skip
_KINDS = {
    "tickets": "tickets", "results": "tickets", "ticket": "tickets", "audits": "audits",
    "ticket_metric_events": "metric_events", "ticket_metrics": "metrics",
    "metric_sets": "metrics", "satisfaction_ratings": "ratings",
    "custom_statuses": "custom_statuses", "users": "users",
}  # fmt: skip
EXPECTED = (
    "a Zendesk tickets page, ticket audits, ticket metric events, ticket metrics, "
    "satisfaction ratings, custom statuses, or the CSV export"
)


def import_zendesk(
    paths: Sequence[Path],
    mapping: Mapping | None = None,
    *,
    timezone: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportResult:
    """Import Zendesk pages and CSV exports; duplicates keep the latest ``updated_at``."""
    mapping = mapping or Mapping()
    if timezone:
        mapping = mapping.model_copy(update={"timezone": timezone})
    pages = Pages()
    for path in paths:
        _read(path, mapping, pages)
        if progress:
            progress(path)
    tickets, events, rejects = combine(pages, mapping)
    return finish(tickets, events, [*pages.rejects, *rejects])


def _read(path: Path, mapping: Mapping, pages: Pages) -> None:
    if sniff(path) != "json":
        pages.csv.append(import_table(scan_table(path), ZENDESK_CSV, mapping, None, str(path)))
        return
    try:
        page = read_json(path)
    except MalformedJson as error:
        reason = f"not valid JSON ({error}); export this page again"
        pages.rejects.append(rejects_of(str(path), "/", reason))
        return
    keys = [
        k for k in (*list_keys(page.frame), "ticket") if k in _KINDS and k in page.frame.columns
    ]
    if page.array or not [k for k in keys if k != "users"]:  # users come with tickets
        found = ", ".join(excerpt(c) for c in page.frame.columns[:8]) or "nothing"
        raise UsageError(f"{path}: not {EXPECTED} (it holds: {found})")
    for key in keys:
        _add(pages, _KINDS[key], _records(page.frame, key), str(path), mapping)


def _records(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    if isinstance(frame.schema[key], pl.Struct):  # one ticket: {"ticket": {...}}
        return frame.select(pl.col(key).struct.unnest(), pl.lit(f"/{key}").alias("_row"))
    found = records(frame, key)
    if key == "results" and "result_type" in found.columns:
        found = found.filter(pl.col("result_type") == "ticket")
    return found


def _add(pages: Pages, kind: str, found: pl.DataFrame, file: str, mapping: Mapping) -> None:
    zone = mapping.timezone
    if found.height == 0 and kind != "custom_statuses":
        return
    if kind == "tickets":
        pages.tickets.append(stage_page(found, file, mapping))
    elif kind == "audits":
        pages.audits.append(ev.audit_events(found, file, zone))
    elif kind == "metric_events":
        pages.metric_events.append(ev.metric_events(found, file, zone))
    elif kind == "metrics":
        pages.metrics.append(ev.ticket_metrics(found, file, zone))
    elif kind == "ratings":
        pages.ratings.append(ev.ratings(found, file, zone))
    elif kind == "users":
        pages.users.append(ev.users(found))
    else:
        pages.custom_statuses.append(ev.custom_statuses(found))
