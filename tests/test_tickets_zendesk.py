"""Importing Zendesk: API pages and the CSV export onto canonical tickets and events.

Expected values are read off the fixtures by hand (tests/fixtures/zendesk).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from charter.errors import UsageError
from charter.tickets.mapping import load_mapping_text
from charter.tickets.zendesk import import_zendesk

FIXTURES = Path(__file__).parent / "fixtures" / "zendesk"
UTC = dt.UTC


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def page(tmp_path: Path, *tickets: dict[str, Any], name: str = "tickets.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"tickets": list(tickets), "end_of_stream": True}), "utf-8")
    return path


def make_ticket(**overrides: Any) -> dict[str, Any]:
    ticket = {
        "id": 35436, "created_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-02T10:00:00Z",
        "status": "open", "priority": "normal", "via": {"channel": "email"}, "requester_id": 7,
    }  # fmt: skip
    return {**ticket, **overrides}


def one(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    result = import_zendesk([page(tmp_path, make_ticket(**overrides))])
    assert result.rejected == 0, result.rejects.to_dicts()
    return result.tickets.to_dicts()[0]


def everything() -> list[Path]:
    names = ["tickets_page1.json", "tickets_page2.json", "audits.json",
             "ticket_metric_events.json", "ticket_metrics.json", "satisfaction_ratings.json",
             "custom_statuses.json"]  # fmt: skip
    return [FIXTURES / n for n in names]


MAPPING = load_mapping_text("custom_fields: {360001111111: segment, 360002222222: category}")


@pytest.fixture(scope="module")
def imported() -> Any:
    return import_zendesk(everything(), MAPPING)


def ticket(result: Any, ticket_id: str) -> dict[str, Any]:
    rows = result.tickets.filter(pl.col("id") == ticket_id).to_dicts()
    assert len(rows) == 1, ticket_id
    return rows[0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("new", "new"), ("open", "open"), ("pending", "pending"), ("hold", "on_hold"),
     ("solved", "solved"), ("closed", "closed")],
)  # fmt: skip
def test_each_zendesk_status_word_maps_to_its_canonical_status(
    tmp_path: Path, status: str, expected: str
) -> None:
    assert one(tmp_path, status=status)["status"] == expected


@pytest.mark.parametrize(
    ("priority", "expected"),
    [
        ("low", "low"),
        ("normal", "normal"),
        ("high", "high"),
        ("urgent", "urgent"),
        (None, "normal"),
    ],
)
def test_each_priority_maps_and_an_empty_priority_is_normal(
    tmp_path: Path, priority: str | None, expected: str
) -> None:
    assert one(tmp_path, priority=priority)["priority"] == expected


CHANNELS = {
    "email": "email", "mail": "email", "4": "email",
    "web": "web", "web_form": "web", "0": "web", "web_widget": "web", "help_center": "web",
    "mobile_sdk": "web", "mobile": "web", "dropbox": "web", "17": "web", "batch": "web",
    "api": "api", "web_service": "api", "5": "api",
    "voice": "phone", "phone_call_inbound": "phone", "phone_call_outbound": "phone",
    "voicemail": "phone", "33": "phone", "34": "phone", "35": "phone",
    "chat": "chat", "29": "chat", "native_messaging": "chat", "messaging": "chat",
    "sms": "sms", "text_message": "sms",
    "twitter": "social", "facebook": "social", "instagram_dm": "social", "whatsapp": "social",
    "rule": "other", "closed_ticket": "other", "any_channel": "other", "8": "other",
}  # fmt: skip


def test_every_via_channel_maps_to_its_canonical_channel(tmp_path: Path) -> None:
    # Via ids arrive as numbers; the page mixes them with words as the API may.
    tickets = [
        make_ticket(id=n, via={"channel": int(v) if v.isdigit() else v})
        for n, v in enumerate(CHANNELS, start=1)
    ]
    result = import_zendesk([page(tmp_path, *tickets)])
    found = dict(zip(result.tickets["id"], result.tickets["channel"], strict=True))
    assert {v: found[str(n)] for n, v in enumerate(CHANNELS, start=1)} == CHANNELS


def test_importers_read_pages_with_polars_not_python_json() -> None:
    import ast
    import importlib

    for name in ("zendesk", "freshdesk", "generic", "_pages", "zendesk._tickets",
                 "zendesk._events", "_freshdesk_parts"):  # fmt: skip
        module = importlib.import_module(f"charter.tickets.{name}")
        tree = ast.parse(Path(str(module.__file__)).read_text("utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert "json" not in imported, name


@pytest.mark.parametrize(
    ("score", "expected"), [("good", 5), ("bad", 1), ("offered", None), ("unoffered", None)]
)
def test_satisfaction_scores_map_to_the_ends_of_the_five_point_scale(
    tmp_path: Path, score: str, expected: int | None
) -> None:
    assert one(tmp_path, satisfaction_rating={"score": score})["csat"] == expected


def test_times_with_offsets_and_z_become_utc(imported: Any) -> None:
    # 2026-03-02T09:30:00+01:00 is 08:30 UTC; 08:15:00Z stays 08:15.
    assert ticket(imported, "1500000000002")["created_at"] == at(2, 8, 30)
    assert ticket(imported, "1500000000001")["created_at"] == at(2, 8, 15)


def test_epoch_seconds_stand_in_for_a_missing_updated_at(imported: Any) -> None:
    # generated_timestamp 1772539200 is 2026-03-03 12:00:00 UTC.
    assert ticket(imported, "1500000000009")["updated_at"] == at(3, 12)


def test_thirteen_digit_ids_are_kept_exactly_as_text(imported: Any) -> None:
    ids = set(imported.tickets["id"].to_list())
    assert {"1500000000001", "1500000000002", "1500000000003"} <= ids
    assert imported.tickets.schema["id"] == pl.String


def test_a_ticket_on_two_pages_keeps_its_latest_version(imported: Any) -> None:
    later = ticket(imported, "1500000000003")
    assert later["status"] == "pending" and later["tags"] == ["app", "ios"]
    assert imported.superseded == 1


def test_a_custom_status_maps_through_its_status_category(imported: Any) -> None:
    # custom_status_id 9001 is "Waiting for parts" in the hold category.
    assert ticket(imported, "1500000000005")["status"] == "on_hold"


def test_a_custom_status_without_its_category_names_the_fix(tmp_path: Path) -> None:
    result = import_zendesk([page(tmp_path, make_ticket(status="waiting_for_parts"))])
    assert result.imported == 0
    reason = result.rejects["reason"][0]
    assert "waiting_for_parts" in reason and "values.status" in reason
    assert "custom_statuses" in reason


def test_custom_fields_by_id_fill_segment_and_category(imported: Any) -> None:
    first = ticket(imported, "1500000000001")
    assert first["segment"] == "enterprise"
    assert first["category"] == "billing,vat"  # a multi-select keeps every value
    assert ticket(imported, "1500000000002")["segment"] == "smb"


def test_the_latest_satisfaction_rating_decides_csat(imported: Any) -> None:
    # The ticket says good, but the rating was changed to bad at 15:00.
    assert ticket(imported, "1500000000001")["csat"] == 1


def test_public_comments_become_messages_and_replies_and_private_notes_are_ignored(
    imported: Any,
) -> None:
    events = imported.events.filter(pl.col("ticket_id") == "1500000000001")
    rows = [(e["at"], e["kind"], e["status"]) for e in events.to_dicts()]
    assert rows == [
        (at(2, 8, 15), "customer_message", None),
        (at(2, 8, 15), "status", "new"),
        (at(2, 9, 5), "agent_reply", None),
        (at(2, 9, 5), "status", "open"),
        (at(2, 10, 40), "customer_message", None),
        (at(2, 11), "status", "solved"),
    ]


def test_first_response_and_solve_times_come_from_the_audits(imported: Any) -> None:
    first = ticket(imported, "1500000000001")
    # The metric event says 09:07, but the audits show the public reply at 09:05.
    assert first["first_response_at"] == at(2, 9, 5)
    assert first["solved_at"] == at(2, 11)


def test_metric_events_give_replies_for_a_ticket_without_audits(imported: Any) -> None:
    assert ticket(imported, "1500000000002")["first_response_at"] == at(2, 8, 50)
    events = imported.events.filter(pl.col("ticket_id") == "1500000000002")
    assert [(e["at"], e["kind"]) for e in events.to_dicts()] == [
        (at(2, 8, 50), "agent_reply"),
        (at(2, 9, 40), "customer_message"),
        (at(2, 10, 10), "agent_reply"),
    ]


def test_ticket_metrics_give_the_first_reply_when_nothing_else_does(imported: Any) -> None:
    # Created 10:00, reply_time_in_seconds.calendar 5400: 11:30.
    assert ticket(imported, "1500000000003")["first_response_at"] == at(2, 11, 30)


def test_ticket_metrics_in_minutes_are_used_when_seconds_are_absent(tmp_path: Path) -> None:
    tickets = page(tmp_path, make_ticket())
    metrics = tmp_path / "metrics.json"
    metric = {"ticket_id": 35436, "reply_time_in_minutes": {"calendar": 45, "business": 30}}
    metrics.write_text(json.dumps({"ticket_metrics": [metric]}), "utf-8")
    result = import_zendesk([tickets, metrics])
    assert result.tickets["first_response_at"][0] == at(2, 9, 45)


REJECTS = [
    ("tickets_page1.json", "/tickets/3", "the ticket was deleted in Zendesk (status 'deleted')"),
    ("tickets_page2.json", "/tickets/2", "id is missing"),
    ("tickets_page2.json", "/tickets/3", "created_at: cannot read '2nd March 2026'"),
    ("tickets_page2.json", "/tickets/4", "solved_at is before created_at"),
    ("audits.json", "/audits/4/events/0",
     "event of ticket 1500000000099, which is not in the import"),
    ("satisfaction_ratings.json", "/satisfaction_ratings/2", "score: unknown value 'great'"),
    ("satisfaction_ratings.json", "/satisfaction_ratings/3",
     "satisfaction rating of ticket 1500000000042, which is not in the import"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "row", "reason"), REJECTS)
def test_each_bad_row_is_rejected_with_its_file_pointer_and_reason(
    imported: Any, file: str, row: str, reason: str
) -> None:
    found = imported.rejects.filter(
        (pl.col("file") == str(FIXTURES / file)) & (pl.col("row") == row)
    )
    assert found.height == 1, imported.rejects.to_dicts()
    assert found["reason"][0].startswith(reason)


def test_the_rest_imports_beside_the_rejects(imported: Any) -> None:
    assert imported.rejected == len(REJECTS)
    assert sorted(imported.tickets["id"]) == [
        "1500000000001", "1500000000002", "1500000000003", "1500000000005", "1500000000009"
    ]  # fmt: skip


def test_a_truncated_page_is_rejected_and_the_other_files_import(tmp_path: Path) -> None:
    result = import_zendesk([FIXTURES / "truncated.json", page(tmp_path, make_ticket())])
    assert result.imported == 1
    assert result.rejects.rows() == [
        (str(FIXTURES / "truncated.json"), "/", result.rejects["reason"][0])
    ]
    assert result.rejects["reason"][0].startswith("not valid JSON")


def test_a_page_of_something_else_is_refused_naming_the_file() -> None:
    with pytest.raises(UsageError, match=r"users\.json: not a Zendesk tickets page"):
        import_zendesk([FIXTURES / "users.json"])


def test_search_results_keep_only_tickets(tmp_path: Path) -> None:
    path = tmp_path / "search.json"
    results = [{**make_ticket(), "result_type": "ticket"}, {"id": 5, "result_type": "user"}]
    path.write_text(json.dumps({"results": results, "count": 2}), "utf-8")
    assert import_zendesk([path]).tickets["id"].to_list() == ["35436"]


def test_one_ticket_shown_alone_imports(tmp_path: Path) -> None:
    path = tmp_path / "ticket.json"
    path.write_text(json.dumps({"ticket": make_ticket(id=1234567890123)}), "utf-8")
    assert import_zendesk([path]).tickets["id"].to_list() == ["1234567890123"]


def test_the_csv_export_reads_naive_times_in_the_given_timezone() -> None:
    mapping = load_mapping_text(
        "timezone: America/New_York\n"
        "columns: {segment: 'Customer tier [list]'}\n"
        "values: {status: {waiting for parts: on_hold}}"
    )
    result = import_zendesk([FIXTURES / "export.csv"], mapping)
    assert result.rejected == 0, result.rejects.to_dicts()
    rows = result.tickets.select("id", "created_at", "status", "priority", "channel", "csat",
                                 "segment", "tags").rows()  # fmt: skip
    # New York is UTC-5 on 2 March: 09:15 local is 14:15 UTC.
    assert rows == [
        ("1500000000101", at(2, 14, 15), "solved", "high", "email", 5, "Enterprise",
         ["vip", "invoice"]),
        ("1500000000102", at(2, 15), "on_hold", "normal", "phone", None, None, []),
        ("1500000000103", at(2, 16), "on_hold", "urgent", "chat", None, None, []),
    ]  # fmt: skip


def test_the_csv_export_without_a_timezone_is_refused_clearly() -> None:
    with pytest.raises(UsageError) as raised:
        import_zendesk([FIXTURES / "export.csv"])
    message = str(raised.value)
    assert "column 'Created at' holds '2026-03-02 09:15'" in message
    assert "--timezone" in message and "timezone:" in message


def test_the_timezone_argument_overrides_the_mapping(tmp_path: Path) -> None:
    path = page(tmp_path, make_ticket(created_at="2026-03-02 09:00", updated_at=None))
    result = import_zendesk([path], load_mapping_text("timezone: Asia/Tokyo"), timezone="UTC")
    assert result.tickets["created_at"][0] == at(2, 9)
