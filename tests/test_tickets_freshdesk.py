"""Importing Freshdesk: API v2 responses and the CSV export onto canonical tickets.

Expected values are read off the fixtures by hand (tests/fixtures/freshdesk).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from charter.errors import UsageError
from charter.tickets.freshdesk import import_freshdesk
from charter.tickets.mapping import load_mapping_text

FIXTURES = Path(__file__).parent / "fixtures" / "freshdesk"


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, second, tzinfo=dt.UTC)


def make_ticket(**overrides: Any) -> dict[str, Any]:
    ticket = {"id": 77, "status": 2, "priority": 2, "source": 1,
              "created_at": "2026-03-02T09:00:00Z",
              "updated_at": "2026-03-02T10:00:00Z"}  # fmt: skip
    return {**ticket, **overrides}


def listing(tmp_path: Path, *records: dict[str, Any], name: str = "tickets.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(list(records)), "utf-8")
    return path


def one(tmp_path: Path, mapping: str = "", **overrides: Any) -> Any:
    return import_freshdesk([listing(tmp_path, make_ticket(**overrides))],
                            load_mapping_text(mapping))  # fmt: skip


MAPPING = load_mapping_text("custom_fields: {cf_customer_tier: segment, cf_region: team}")


@pytest.fixture(scope="module")
def imported() -> Any:
    names = ["tickets.json", "tickets_page2.json", "conversations_1002.json",
             "satisfaction_ratings.json"]  # fmt: skip
    return import_freshdesk([FIXTURES / n for n in names], MAPPING)


def ticket(result: Any, ticket_id: str) -> dict[str, Any]:
    rows = result.tickets.filter(pl.col("id") == ticket_id).to_dicts()
    assert len(rows) == 1, ticket_id
    return rows[0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("code", "expected"), [(2, "open"), (3, "pending"), (4, "solved"), (5, "closed")]
)
def test_each_status_code_maps_to_its_canonical_status(
    tmp_path: Path, code: int, expected: str
) -> None:
    assert one(tmp_path, status=code).tickets["status"][0] == expected


@pytest.mark.parametrize(
    ("code", "expected"), [(1, "low"), (2, "normal"), (3, "high"), (4, "urgent"), (3.0, "high")]
)
def test_each_priority_code_maps_to_its_canonical_priority(
    tmp_path: Path, code: float, expected: str
) -> None:
    assert one(tmp_path, priority=code).tickets["priority"][0] == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [(1, "email"), (2, "web"), (3, "phone"), (7, "chat"), (9, "web"), (10, "email"),
     (5, "other"), (6, "other"), (11, "other")],
)  # fmt: skip
def test_each_source_code_maps_to_a_channel(tmp_path: Path, code: int, expected: str) -> None:
    assert one(tmp_path, source=code).tickets["channel"][0] == expected


def test_an_account_defined_status_code_is_rejected_saying_how_to_map_it(tmp_path: Path) -> None:
    result = one(tmp_path, status=6)
    assert result.imported == 0
    assert result.rejects.rows() == [(str(tmp_path / "tickets.json"), "/0",
                                      result.rejects["reason"][0])]  # fmt: skip
    reason = result.rejects["reason"][0]
    assert "'6'" in reason and "values.status" in reason and "account's own" in reason


def test_an_account_defined_status_code_maps_through_the_mapping_file(tmp_path: Path) -> None:
    result = one(tmp_path, "values: {status: {6: on_hold}}", status=6)
    assert result.tickets["status"].to_list() == ["on_hold"]


def test_codes_are_trusted_over_label_fields(imported: Any) -> None:
    # Ticket 1002's first version says status 2 "Closed", priority 1 "Urgent"; its second
    # version (later updated_at) says 3 and 2.
    assert ticket(imported, "1002")["status"] == "pending"
    result = import_freshdesk([FIXTURES / "tickets.json"])
    first = ticket(result, "1002")
    assert (first["status"], first["priority"]) == ("open", "low")


@pytest.mark.parametrize(
    ("rating", "expected"),
    [(103, 5), (102, 4), (101, 4), (100, 3), (-101, 2), (-102, 2), (-103, 1)],
)
def test_each_satisfaction_rating_maps_onto_one_to_five(
    tmp_path: Path, rating: int, expected: int
) -> None:
    ratings = listing(
        tmp_path,
        {"id": 1, "ticket_id": 77, "ratings": {"default_question": rating},
         "created_at": "2026-03-02T11:00:00Z", "updated_at": "2026-03-02T11:00:00Z"},
        name="ratings.json",
    )  # fmt: skip
    result = import_freshdesk([listing(tmp_path, make_ticket()), ratings])
    assert result.tickets["csat"].to_list() == [expected]


def test_ratings_read_the_default_question_and_reject_an_unknown_value(imported: Any) -> None:
    assert ticket(imported, "1001")["csat"] == 5
    assert ticket(imported, "1003")["csat"] == 2  # -102 on the default question
    reject = imported.rejects.filter(pl.col("row") == "/2")
    assert reject["reason"][0].startswith("ratings.default_question: unknown value '104'")


def test_offsets_become_utc(imported: Any) -> None:
    # 14:45+05:30 is 09:15 UTC; 22:00-08:00 on 1 March is 06:00 UTC on 2 March.
    assert ticket(imported, "1002")["created_at"] == at(2, 9, 15)
    assert ticket(imported, "1003")["created_at"] == at(2, 6)


def test_stats_fill_first_response_and_solve_times(imported: Any) -> None:
    first = ticket(imported, "1001")
    assert (first["first_response_at"], first["solved_at"]) == (at(2, 10, 30), at(2, 16))
    closed = ticket(imported, "1003")  # closed, no resolved_at: its closed_at
    assert (closed["first_response_at"], closed["solved_at"]) == (at(2, 6, 5), at(2, 7))


def test_conversations_become_messages_and_replies_and_private_notes_are_ignored(
    imported: Any,
) -> None:
    events = imported.events.filter(pl.col("ticket_id") == "1002")
    assert [(e["at"], e["kind"]) for e in events.to_dicts()] == [
        (at(2, 10), "customer_message"),
        (at(2, 11, 45), "agent_reply"),
    ]
    # No stats: the first public reply after creation is the first response.
    assert ticket(imported, "1002")["first_response_at"] == at(2, 11, 45)


def test_custom_fields_by_name_fill_segment_and_team(imported: Any) -> None:
    gold = ticket(imported, "1001")
    assert (gold["segment"], gold["team"]) == ("Gold", "EMEA")
    assert ticket(imported, "1003")["team"] == "APAC"


def test_a_ticket_on_two_pages_keeps_its_latest_version(imported: Any) -> None:
    assert ticket(imported, "1002")["tags"] == ["parcel"]
    assert imported.superseded == 1


REJECTS = [
    ("tickets.json", "/3", "status: unknown value '6'"),
    ("tickets.json", "/7", "solved_at is before created_at"),
    ("tickets_page2.json", "/1", "id is missing"),
    ("conversations_1002.json", "/3", "event of ticket 9999, which is not in the import"),
    ("satisfaction_ratings.json", "/2", "ratings.default_question: unknown value '104'"),
]


@pytest.mark.parametrize(("file", "row", "reason"), REJECTS)
def test_each_bad_record_is_rejected_with_its_pointer(
    imported: Any, file: str, row: str, reason: str
) -> None:
    found = imported.rejects.filter(
        (pl.col("file") == str(FIXTURES / file)) & (pl.col("row") == row)
    )
    assert found.height == 1, imported.rejects.to_dicts()
    assert found["reason"][0].startswith(reason)


def test_the_rest_imports_beside_the_rejects(imported: Any) -> None:
    assert imported.rejected == len(REJECTS)
    assert sorted(imported.tickets["id"]) == ["1001", "1002", "1003", "1005", "1006", "1007"]


def test_a_truncated_response_is_rejected_and_the_rest_imports(tmp_path: Path) -> None:
    result = import_freshdesk([FIXTURES / "truncated.json", listing(tmp_path, make_ticket())])
    assert result.imported == 1
    assert result.rejects["row"].to_list() == ["/"]
    assert result.rejects["reason"][0].startswith("not valid JSON")


def test_a_list_of_something_else_is_refused_naming_the_file() -> None:
    with pytest.raises(UsageError, match=r"contacts\.json: not Freshdesk tickets"):
        import_freshdesk([FIXTURES / "contacts.json"])


def test_search_results_and_a_single_ticket_import(tmp_path: Path) -> None:
    search = tmp_path / "search.json"
    search.write_text(json.dumps({"results": [make_ticket(id=5)], "total": 1}), "utf-8")
    single = tmp_path / "single.json"
    single.write_text(json.dumps(make_ticket(id=6)), "utf-8")
    result = import_freshdesk([search, single])
    assert sorted(result.tickets["id"]) == ["5", "6"]
    assert result.rejects.height == 0


def test_the_csv_export_maps_labels_and_reads_naive_times_in_the_timezone() -> None:
    mapping = load_mapping_text("values: {status: {Waiting on Third Party: on_hold}}")
    result = import_freshdesk([FIXTURES / "export.csv"], mapping, timezone="Asia/Kolkata")
    assert result.rejected == 0, result.rejects.to_dicts()
    rows = result.tickets.select(
        "id", "created_at", "status", "priority", "channel", "first_response_at", "csat", "tags"
    ).rows()
    # Kolkata is UTC+05:30: 14:45:10 local is 09:15:10 UTC.
    assert rows == [
        ("2001", at(2, 9, 15, 10), "solved", "normal", "email", at(2, 9, 45), 5,
         ["refund", "card"]),
        ("2002", at(2, 9, 30), "on_hold", "high", "phone", None, None, []),
        ("2003", at(2, 10, 30), "open", "high", "web", at(2, 10, 50), None, ["app"]),
    ]  # fmt: skip


LABELS = """Ticket ID,Status,Priority,Source,Created time,Survey results
1,Open,Low,Email,2026-03-02 09:00:00,Extremely happy
2,Pending,Medium,Portal,2026-03-02 09:00:00,Very happy
3,Resolved,High,Phone,2026-03-02 09:00:00,Happy
4,Closed,Urgent,Chat,2026-03-02 09:00:00,Neutral
5,Open,4.0,Feedback Widget,2026-03-02 09:00:00,Unhappy
6,Open,1,Outbound Email,2026-03-02 09:00:00,Very unhappy
7,Open,2,Facebook,2026-03-02 09:00:00,Extremely unhappy
8,Open,3,Email,2026-03-02 09:00:00,
"""


def test_the_csv_exports_labels_map_like_the_codes(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(LABELS, "utf-8")
    result = import_freshdesk([path], timezone="UTC")
    assert result.rejected == 0, result.rejects.to_dicts()
    assert result.tickets.select("id", "status", "priority", "channel", "csat").rows() == [
        ("1", "open", "low", "email", 5),
        ("2", "pending", "normal", "web", 4),
        ("3", "solved", "high", "phone", 4),
        ("4", "closed", "urgent", "chat", 3),
        ("5", "open", "urgent", "web", 2),
        ("6", "open", "low", "email", 2),
        ("7", "open", "normal", "other", 1),
        ("8", "open", "high", "email", None),
    ]
