"""Importing CSV and Parquet files with a mapping file, and the mapping file itself.

Expected values are read off the fixtures by hand (tests/fixtures/csv).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from charter.errors import UsageError
from charter.tickets.generic import import_generic
from charter.tickets.mapping import load_mapping, load_mapping_text

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
HEADER = "id,created_at,channel,priority,status"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC)


def csv(tmp_path: Path, text: str, name: str = "tickets.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def rows(tmp_path: Path, *lines: str, header: str = HEADER, mapping: str = "") -> Any:
    path = csv(tmp_path, "\n".join([header, *lines]) + "\n")
    return import_generic([path], load_mapping_text(mapping))


@pytest.fixture(scope="module")
def imported() -> Any:
    mapping = load_mapping(FIXTURES / "mapping.yaml")
    return import_generic([FIXTURES / "tickets.csv", FIXTURES / "events.csv"], mapping)


def ticket(result: Any, ticket_id: str) -> dict[str, Any]:
    found = result.tickets.filter(pl.col("id") == ticket_id).to_dicts()
    assert len(found) == 1, ticket_id
    return found[0]  # type: ignore[no-any-return]


def test_naive_times_are_read_in_the_mapping_timezone(imported: Any) -> None:
    # Paris is UTC+2 from 29 March 2026: 09:15 local is 07:15 UTC; 23:50 is 21:50.
    assert ticket(imported, "4500000000001")["created_at"] == at(30, 7, 15)
    assert ticket(imported, "4500000000002")["created_at"] == at(30, 21, 50)


def test_columns_and_values_follow_the_mapping(imported: Any) -> None:
    first = ticket(imported, "4500000000001")
    assert (first["channel"], first["priority"], first["status"]) == ("email", "normal", "solved")
    assert (first["segment"], first["team"], first["category"]) == ("enterprise", "Billing",
                                                                    "Invoice")  # fmt: skip
    assert first["tags"] == ["vip", "invoice"]
    assert (first["first_response_at"], first["solved_at"]) == (at(30, 8, 5), at(30, 15, 40))
    second = ticket(imported, "4500000000002")
    assert (second["status"], second["priority"], second["assignee"]) == ("pending", "urgent",
                                                                          None)  # fmt: skip


def test_a_quoted_field_with_a_line_break_is_one_record(imported: Any) -> None:
    # Record 1 spans two lines; the next record is still record 2 (row numbers count
    # records, so the DST rejection below is record 3, not line 4).
    assert ticket(imported, "4500000000002")["channel"] == "phone"
    assert "3" in imported.rejects["row"].to_list()


def test_a_ticket_listed_twice_keeps_the_row_updated_last(imported: Any) -> None:
    # Record 9 repeats 4500000000001 with an earlier Last Change (11:00 < 17:40).
    assert ticket(imported, "4500000000001")["status"] == "solved"
    assert imported.superseded == 1


def test_a_one_to_ten_rating_is_halved_upwards(imported: Any) -> None:
    assert ticket(imported, "4500000000001")["csat"] == 5  # 9 on 1-10


REJECTS = [
    ("3", "column 'Opened': '2026-03-29 02:30' does not exist in Europe/Paris"),
    ("4", "id is missing"),
    ("5", "column 'Opened': cannot read '30/03/2026' as a date and time"),
    ("6", "column 'State': unknown value 'Escalated'; map it under values.status"),
    ("7", "solved_at is before created_at"),
    ("8", "column 'Rating': unknown value '11'; a rating is a whole number 1-10"),
]


@pytest.mark.parametrize(("row", "reason"), REJECTS)
def test_each_bad_row_is_rejected_with_its_record_number_and_column(
    imported: Any, row: str, reason: str
) -> None:
    found = imported.rejects.filter(
        (pl.col("file") == str(FIXTURES / "tickets.csv")) & (pl.col("row") == row)
    )
    assert found.height == 1, imported.rejects.to_dicts()
    assert found["reason"][0].startswith(reason)


def test_events_tie_to_imported_tickets_and_bad_ones_are_rejected(imported: Any) -> None:
    events = imported.events.filter(pl.col("ticket_id") == "4500000000001")
    assert [(e["at"], e["kind"]) for e in events.to_dicts()] == [
        (at(30, 7, 15), "customer_message"),
        (at(30, 8, 5), "agent_reply"),
        (at(30, 15, 40), "status"),
    ]
    bad = imported.rejects.filter(pl.col("file") == str(FIXTURES / "events.csv"))
    assert sorted(bad.rows()) == [
        (str(FIXTURES / "events.csv"), "4",
         "event of ticket 4500000000099, which is not in the import"),
        (str(FIXTURES / "events.csv"), "5", "a status event without its status"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("rating", "expected"),
    [("1", 1), ("2", 1), ("3", 2), ("4", 2), ("5", 3), ("6", 3), ("7", 4), ("8", 4), ("9", 5),
     ("10", 5)],
)  # fmt: skip
def test_each_rating_on_one_to_ten_maps_to_ceil_of_half(
    tmp_path: Path, rating: str, expected: int
) -> None:
    result = rows(tmp_path, f"1,2026-03-02T09:00:00Z,email,low,open,{rating}",
                  header=f"{HEADER},csat", mapping="csat_scale: 10")  # fmt: skip
    assert result.tickets["csat"].to_list() == [expected]


@pytest.mark.parametrize(("rating", "expected"), [("1", 1), ("3", 3), ("5", 5), ("4.0", 4)])
def test_a_rating_on_one_to_five_is_kept(tmp_path: Path, rating: str, expected: int) -> None:
    result = rows(tmp_path, f"1,2026-03-02T09:00:00Z,email,low,open,{rating}",
                  header=f"{HEADER},csat")  # fmt: skip
    assert result.tickets["csat"].to_list() == [expected]


@pytest.mark.parametrize("rating", ["0", "6", "4.5", "great"])
def test_a_rating_outside_one_to_five_is_rejected(tmp_path: Path, rating: str) -> None:
    result = rows(tmp_path, f"1,2026-03-02T09:00:00Z,email,low,open,{rating}",
                  header=f"{HEADER},csat")  # fmt: skip
    assert result.imported == 0
    assert result.rejects["reason"][0].startswith(f"column 'csat': unknown value '{rating}'")


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2026-03-02T09:00:00Z", at(2, 9)), ("2026-03-02T09:00:00+02:00", at(2, 7)),
     ("2026-03-02 09:00:00-05:00", at(2, 14)), ("2026-03-02T09:00:00.250Z", None),
     ("2026-03-02T09:00+0530", at(2, 3, 30))],
)  # fmt: skip
def test_times_with_an_offset_or_z_become_utc(
    tmp_path: Path, written: str, expected: dt.datetime | None
) -> None:
    result = rows(tmp_path, f"1,{written},email,low,open")
    value = result.tickets["created_at"][0]
    assert value == (expected or dt.datetime(2026, 3, 2, 9, 0, 0, 250000, tzinfo=dt.UTC))


def test_naive_times_without_a_timezone_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as raised:
        rows(tmp_path, "1,2026-03-02T09:00:00Z,email,low,open", "2,2026-03-02 10:00,email,low,open")
    message = str(raised.value)
    assert "column 'created_at' holds '2026-03-02 10:00' (row 2)" in message
    assert "--timezone" in message


def test_timestamp_formats_read_the_exports_own_layout(tmp_path: Path) -> None:
    mapping = "timezone: Europe/London\ntimestamp_formats: ['%d/%m/%Y %H:%M']"
    result = rows(tmp_path, "1,02/03/2026 09:00,email,low,open", mapping=mapping)
    assert result.tickets["created_at"].to_list() == [at(2, 9)]


def test_blanks_take_the_mapping_defaults_and_are_otherwise_missing(tmp_path: Path) -> None:
    result = rows(tmp_path, "1,2026-03-02T09:00:00Z,,,open", "2,2026-03-02T09:00:00Z,,low,open",
                  mapping="defaults: {channel: email}")  # fmt: skip
    assert result.tickets.select("id", "channel").rows() == [("2", "email")]
    assert result.rejects.rows()[0][1:] == ("1", "priority is missing")


def test_priority_codes_written_as_floats_map_like_integers(tmp_path: Path) -> None:
    mapping = "values: {priority: {1: low, 2: normal, 3: high, 4: urgent}}"
    result = rows(tmp_path, "1,2026-03-02T09:00:00Z,email,3.0,open",
                  "2,2026-03-02T09:00:00Z,email,4,open", mapping=mapping)  # fmt: skip
    assert result.tickets["priority"].to_list() == ["high", "urgent"]


def test_long_ids_are_kept_exactly_as_text(tmp_path: Path) -> None:
    result = rows(tmp_path, "0001234567890123,2026-03-02T09:00:00Z,email,low,open")
    assert result.tickets["id"].to_list() == ["0001234567890123"]


def test_an_nps_outside_zero_to_ten_is_rejected(tmp_path: Path) -> None:
    result = rows(tmp_path, "1,2026-03-02T09:00:00Z,email,low,open,11",
                  "2,2026-03-02T09:00:00Z,email,low,open,0", header=f"{HEADER},nps")  # fmt: skip
    assert result.tickets["nps"].to_list() == [0]
    assert result.rejects["reason"].to_list() == ["column 'nps': '11' is not a score 0-10"]


def test_a_missing_required_column_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = csv(tmp_path, "id,created,channel,priority,status\n1,2026-03-02T09:00:00Z,a,low,open\n")
    with pytest.raises(UsageError) as raised:
        import_generic([path])
    message = str(raised.value)
    assert "no column 'created_at' for created_at" in message
    assert "did you mean 'created'?" in message and "columns:" in message


def test_parquet_files_import_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "tickets.parquet"
    pl.DataFrame({
        "id": ["9"], "created_at": [at(2, 9)], "channel": ["chat"], "priority": ["high"],
        "status": ["open"], "tags": [["a", "b"]],
    }).write_parquet(path)  # fmt: skip
    result = import_generic([path])
    assert result.tickets.select("id", "created_at", "tags").rows() == [("9", at(2, 9), ["a", "b"])]


def test_a_json_file_is_refused_naming_the_right_command(tmp_path: Path) -> None:
    path = csv(tmp_path, '{"tickets": []}', "page.json")
    with pytest.raises(UsageError, match="charter import zendesk"):
        import_generic([path])


def test_a_mapping_file_with_a_typo_names_its_line_and_the_fix() -> None:
    with pytest.raises(UsageError) as raised:
        load_mapping(FIXTURES / "mapping_typo.yaml")
    message = str(raised.value)
    assert f"{FIXTURES / 'mapping_typo.yaml'}:5:1: error M203 valeus" in message
    assert "did you mean 'values'?" in message


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("timezone: Europe/Pari", "1:11", "unknown timezone 'Europe/Pari'"),
        ("columns:\n  idd: Key", "2:3", "'idd' is not allowed here, did you mean 'id'?"),
        ("values:\n  status: {Waiting: hold}", "2:3", "status value 'hold' is not canonical"),
        ("custom_fields:\n  360001: segmnt", "2:11", "did you mean 'segment'?"),
        ("csat_scale: 7", "1:13", "7 is not allowed here"),
        ("timestamp_formats: ['dd/mm/yyyy']", "1:20", "is not a strftime format"),
        ("columns: [id]", "1:10", "write a mapping"),
        ("- id", "1:1", "not a mapping of fields"),
        ("columns: {id: [", "1:16", "YAML syntax"),
    ],
)
def test_each_mapping_error_names_its_line_column_and_problem(
    text: str, where: str, words: str
) -> None:
    with pytest.raises(UsageError) as raised:
        load_mapping_text(text, "m.yaml")
    assert f"m.yaml:{where}:" in str(raised.value)
    assert words in str(raised.value)


def test_numeric_keys_in_the_mapping_are_read_as_codes() -> None:
    mapping = load_mapping_text("values: {status: {6: on_hold}}\ncustom_fields: {3600012: team}")
    assert mapping.values["status"] == {"6": "on_hold"}
    assert mapping.custom_fields == {"3600012": "team"}


@pytest.mark.parametrize("timezone", [None, "Europe/Paris"])
def test_a_column_named_with_braces_is_quoted_as_written_in_a_reject(
    tmp_path: Path, timezone: str | None
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "id,Opened {},channel,priority,status\n1,garbage,email,low,open\n"
        "2,2026-03-02T09:00:00Z,email,low,open\n"
    )
    mapping = load_mapping_text("columns: {created_at: 'Opened {}'}")
    result = import_generic([path], mapping, timezone=timezone)
    assert result.tickets["id"].to_list() == ["2"]
    assert result.rejects.rows() == [
        (str(path), "1", "column 'Opened {}': cannot read 'garbage' as a date and time; "
         "write ISO 8601 (2026-03-01T09:00:00Z) or add its format under timestamp_formats "
         "in the mapping file"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U\x90\xcf",  # a spreadsheet (zip)
        "id,created_at\n1,2026-03-02\n".encode("utf-16-le"),
    ],
    ids=["zip", "utf-16"],
)
def test_a_binary_file_is_refused_as_binary(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(UsageError, match="a binary file, not a JSON, CSV or Parquet export"):
        import_generic([path])
