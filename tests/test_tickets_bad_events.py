"""Bad events are refused with file, row and reason (issue 14, point 9).

Two rules join the existing ones (ticket id, instant and kind present; a status event
names its status; the ticket is in the import): an event may not come before its
ticket's creation, and only a status event carries a status. Every importer ends in
``finish``; a Parquet dataset read whole (``read_dataset``) is refused instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from charter.errors import UsageError
from charter.tickets.dataset import read_dataset
from charter.tickets.generic import import_generic
from charter.tickets.importing import finish
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform

TICKETS = """id,created_at,channel,priority,status
1,2026-03-02T09:00:00Z,email,normal,open
2,2026-03-02T10:00:00+01:00,chat,high,solved
"""


def utc(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=dt.UTC)


def _import(tmp_path: Path, events: str) -> tuple[Path, pl.DataFrame, pl.DataFrame]:
    (tmp_path / "tickets.csv").write_text(TICKETS, "utf-8")
    path = tmp_path / "events.csv"
    path.write_text("ticket_id,at,kind,status\n" + events, "utf-8")
    result = import_generic([tmp_path / "tickets.csv", path])
    return path, result.events, result.rejects


def test_reply_a_minute_before_the_ticket_was_created_is_refused_with_both_instants(
    tmp_path: Path,
) -> None:
    # Ticket 1 was created at 09:00Z; a reply at 08:59Z cannot belong to it (row 1).
    # Ticket 2 was created at 10:00+01:00 = 09:00Z: its message at 09:00Z is the same
    # instant, which is fine (row 2), and its reply at 08:30Z is not (row 3).
    path, events, rejects = _import(
        tmp_path,
        "1,2026-03-02T08:59:00Z,agent_reply,\n"
        "2,2026-03-02T09:00:00Z,customer_message,\n"
        "2,2026-03-02T08:30:00Z,agent_reply,\n",
    )
    assert rejects.rows() == [
        (str(path), "1", "at 2026-03-02T08:59:00Z is before its ticket's created_at "
         "2026-03-02T09:00:00Z; an event cannot come before its ticket (check both files' "
         "timezone)"),
        (str(path), "3", "at 2026-03-02T08:30:00Z is before its ticket's created_at "
         "2026-03-02T09:00:00Z; an event cannot come before its ticket (check both files' "
         "timezone)"),
    ]  # fmt: skip
    assert events.select("ticket_id", "at", "kind").rows() == [("2", utc(9), "customer_message")]


def test_agent_reply_that_names_a_status_is_refused_and_a_status_event_is_kept(
    tmp_path: Path,
) -> None:
    # Row 1: a reply that claims to set "solved" (the export mixed two kinds of row):
    # which one is it? Refused. Row 2: the same change as a status event is kept.
    path, events, rejects = _import(
        tmp_path,
        "1,2026-03-02T10:00:00Z,agent_reply,solved\n1,2026-03-02T10:00:00Z,status,solved\n",
    )
    assert rejects.rows() == [
        (str(path), "1", "status 'solved' on an event of kind agent_reply; only status events "
         "carry a status (leave it blank, or make the row a status event)"),
    ]  # fmt: skip
    assert events.select("at", "kind", "status").rows() == [(utc(10), "status", "solved")]


def test_one_event_breaking_both_rules_is_one_reject_with_both_reasons(tmp_path: Path) -> None:
    # A customer message at 08:00Z, an hour before ticket 1's creation, naming a status.
    path, _, rejects = _import(tmp_path, "1,2026-03-02T08:00:00Z,customer_message,open\n")
    assert rejects.height == 1
    reason = rejects["reason"][0]
    assert reason.startswith("status 'open' on an event of kind customer_message; ")
    assert "; at 2026-03-02T08:00:00Z is before its ticket's created_at 2026-03-02T09:00:00Z" in (
        reason
    )


def test_zendesk_audit_before_its_ticket_is_refused_where_every_importer_finishes() -> None:
    # Zendesk and Freshdesk stage JSON rows with pointers; ``finish`` ties and checks
    # them as it does CSV rows. Ticket 42 created 12:00Z; its audit event at 11:59:59Z.
    tickets = pl.DataFrame({
        "id": ["42"], "created_at": [utc(12)], "channel": ["email"], "priority": ["normal"],
        "status": ["open"], "_file": ["tickets.json"], "_row": ["/tickets/0"],
        "_problem": [None],
    })  # fmt: skip
    events = pl.DataFrame({
        "ticket_id": ["42", "42"], "at": [utc(11, 59) + dt.timedelta(seconds=59), utc(12)],
        "kind": ["agent_reply", "status"], "status": [None, "open"],
        "_file": ["audits.json"] * 2, "_row": ["/audits/0/events/1", "/audits/1/events/0"],
        "_problem": [None, None],
    }, schema_overrides={"status": pl.String})  # fmt: skip
    result = finish(tickets, events)
    assert result.rejects.select("file", "row").rows() == [("audits.json", "/audits/0/events/1")]
    assert result.rejects["reason"][0].startswith(
        "at 2026-03-02T11:59:59Z is before its ticket's created_at 2026-03-02T12:00:00Z"
    )
    assert result.events["kind"].to_list() == ["status"]


def _dataset(folder: Path, events: pl.DataFrame) -> None:
    tickets = pl.DataFrame({
        "id": ["1"], "created_at": [utc(9)], "channel": ["email"], "priority": ["normal"],
        "status": ["open"],
    })  # fmt: skip
    folder.mkdir()
    conform(tickets, TICKET_SCHEMA).write_parquet(folder / "tickets.parquet")
    conform(events, EVENT_SCHEMA).write_parquet(folder / "events.parquet")


@pytest.mark.parametrize(
    ("at", "kind", "status", "reason"),
    [
        (utc(8), "agent_reply", None, "at 2026-03-02T08:00:00Z is before its ticket's created_at"),
        (utc(10), "customer_message", "pending",
         "status 'pending' on an event of kind customer_message"),
    ],
)  # fmt: skip
def test_parquet_dataset_with_a_bad_event_is_refused_naming_file_row_and_reason(
    tmp_path: Path, at: dt.datetime, kind: str, status: str | None, reason: str
) -> None:
    # Row 1 is a good reply at 09:30Z; row 2 is the bad event.
    events = pl.DataFrame(
        {"ticket_id": ["1", "1"], "at": [utc(9, 30), at], "kind": ["agent_reply", kind],
         "status": [None, status]},
        schema_overrides={"status": pl.String},
    )  # fmt: skip
    _dataset(tmp_path / "data", events)
    with pytest.raises(UsageError) as raised:
        read_dataset(tmp_path / "data")
    file = tmp_path / "data" / "events.parquet"
    message = str(raised.value)
    assert message.startswith(f"{file}: 1 bad row (row 2: {reason}")
    assert "charter import" in message


def test_parquet_dataset_whose_events_follow_their_tickets_reads_whole(tmp_path: Path) -> None:
    # The reply at 09:00Z is at the creation instant: not before it.
    events = pl.DataFrame({"ticket_id": ["1"], "at": [utc(9)], "kind": ["agent_reply"]})
    _dataset(tmp_path / "data", events)
    assert read_dataset(tmp_path / "data").events.height == 1
