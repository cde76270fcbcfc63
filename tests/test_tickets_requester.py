"""The requester's e-mail and the helpdesk's satisfaction comment: read from each
export, checked, stored and read back.

Expected values are the fixtures' own cells, read by hand."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from charter.services.tickets import import_tickets, read_ticket_data
from charter.store import Database
from charter.store.tickets import content_hashes, place_events
from charter.tickets.freshdesk import import_freshdesk
from charter.tickets.generic import import_generic
from charter.tickets.mapping import load_mapping_text
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform
from charter.tickets.zendesk import import_zendesk
from support.ticket_store import result_of, synthetic


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _zendesk_ticket(ticket_id: int, requester: int, **extra: object) -> dict[str, object]:
    return {"id": ticket_id, "created_at": "2026-03-02T09:00:00Z", "requester_id": requester,
            "updated_at": "2026-03-02T10:00:00Z", "status": "solved",
            "via": {"channel": "email"}, **extra}  # fmt: skip


def test_zendesk_tickets_take_the_requester_address_from_the_users_loaded_beside_them(
    tmp_path: Path,
) -> None:
    page = {
        "tickets": [
            _zendesk_ticket(1, 501, satisfaction_rating={"score": "bad", "comment": "Too slow"}),
            _zendesk_ticket(2, 502),
            _zendesk_ticket(3, 999),  # its requester is not among the users: no address
        ],
        "users": [{"id": 501, "email": "ana@example.test"},
                  {"id": 502, "email": " bo@example.test "}],
    }  # fmt: skip
    result = import_zendesk([_write(tmp_path, "tickets.json", json.dumps(page))])
    got = result.tickets.sort("id").select("id", "requester_email", "csat", "csat_comment")
    assert got.rows() == [
        ("1", "ana@example.test", 1, "Too slow"),  # "bad" is CSAT 1, its comment kept
        ("2", "bo@example.test", None, None),  # the blanks around the address trimmed
        ("3", None, None, None),
    ]


def test_a_zendesk_users_page_alone_is_still_refused(tmp_path: Path) -> None:
    page = _write(tmp_path, "users.json", json.dumps({"users": [{"id": 1, "email": "a@b.test"}]}))
    try:
        import_zendesk([page])
    except Exception as error:  # noqa: BLE001 - the message is what is checked
        assert "not a Zendesk tickets page" in str(error)
    else:
        raise AssertionError("a users page alone was accepted")


def test_zendesk_ratings_page_carries_its_comment_onto_the_ticket(tmp_path: Path) -> None:
    tickets = _write(tmp_path, "t.json", json.dumps({"tickets": [_zendesk_ticket(7, 1)]}))
    ratings = {"satisfaction_ratings": [
        {"ticket_id": 7, "score": "good", "comment": "Quick, thanks", "updated_at":
         "2026-03-02T11:00:00Z"}]}  # fmt: skip
    result = import_zendesk([tickets, _write(tmp_path, "r.json", json.dumps(ratings))])
    assert result.tickets.select("csat", "csat_comment").rows() == [(5, "Quick, thanks")]


def test_the_zendesk_csv_export_reads_requester_email_and_satisfaction_comment(
    tmp_path: Path,
) -> None:
    text = (
        "Id,Created at,Updated at,Status,Priority,Via,Requester email,Satisfaction Score,"
        "Satisfaction Comment\n"
        "12,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,Solved,High,Mail,cy@example.test,"
        'Bad,"Slow, and passed around"\n'
    )
    result = import_zendesk([_write(tmp_path, "export.csv", text)])
    assert result.rejects.height == 0, result.rejects.rows()
    assert result.tickets.select("requester_email", "csat", "csat_comment").rows() == [
        ("cy@example.test", 1, "Slow, and passed around")
    ]


def test_freshdesk_tickets_with_their_requester_and_ratings_with_feedback(
    tmp_path: Path,
) -> None:
    ticket = {"id": 77, "status": 4, "priority": 2, "source": 1,
              "created_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-02T10:00:00Z",
              "requester": {"id": 9, "email": "dee@example.test", "name": "Dee"}}  # fmt: skip
    rating = {"id": 1, "ticket_id": 77, "ratings": {"default_question": -103},
              "feedback": "Nobody called back", "updated_at": "2026-03-02T11:00:00Z"}  # fmt: skip
    result = import_freshdesk(
        [_write(tmp_path, "t.json", json.dumps([ticket])),
         _write(tmp_path, "r.json", json.dumps([rating]))]
    )  # fmt: skip
    # -103 is "extremely unhappy": CSAT 1.
    assert result.tickets.select("requester_email", "csat", "csat_comment").rows() == [
        ("dee@example.test", 1, "Nobody called back")
    ]


def test_the_freshdesk_csv_export_reads_the_contact_email(tmp_path: Path) -> None:
    text = (
        "Ticket ID,Created time,Last update time,Status,Priority,Source,Contact email\n"
        "31,2026-03-02 09:00:00,2026-03-02 10:00:00,Resolved,Medium,Email,eve@example.test\n"
    )
    result = import_freshdesk([_write(tmp_path, "export.csv", text)], timezone="UTC")
    assert result.rejects.height == 0, result.rejects.rows()
    assert result.tickets["requester_email"].to_list() == ["eve@example.test"]


def test_a_generic_csv_names_its_columns_for_the_address_and_comment(tmp_path: Path) -> None:
    text = (
        "id,created_at,channel,priority,status,Customer e-mail,Survey remark\n"
        "1,2026-03-02T09:00:00Z,email,low,solved,fay@example.test,Fine\n"
        "2,2026-03-02T09:00:00Z,email,low,solved,,\n"
    )
    mapping = load_mapping_text(
        "columns: {requester_email: Customer e-mail, csat_comment: Survey remark}"
    )
    result = import_generic([_write(tmp_path, "t.csv", text)], mapping)
    assert result.tickets.sort("id").select("requester_email", "csat_comment").rows() == [
        ("fay@example.test", "Fine"),
        (None, None),  # blank cells are no address and no comment
    ]


def test_an_address_longer_than_an_email_can_be_is_rejected_naming_the_row(
    tmp_path: Path,
) -> None:
    long = "a" * 310 + "@example.test"  # 323 characters: 3 over RFC 5321's 320
    header = "id,created_at,channel,priority,status,requester_email\n"
    text = f"{header}1,2026-03-02T09:00:00Z,email,low,solved,{long}\n"
    result = import_generic([_write(tmp_path, "t.csv", text)], load_mapping_text(""))
    assert result.tickets.height == 0
    [(file, row, reason)] = result.rejects.rows()
    assert file.endswith("t.csv") and row == "1"  # its first record
    assert "requester_email is longer than 320 characters" in reason


def test_the_address_and_comment_are_stored_and_read_back(database: Database) -> None:
    data = synthetic(6)
    tickets = data.tickets.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("gil@example.test"))
        .alias("requester_email"),
        pl.when(pl.int_range(pl.len()) == 1).then(pl.lit('Slow; "very" slow'))
        .alias("csat_comment"),
    )  # fmt: skip
    import_tickets(
        database, result_of(type(data)(tickets, data.events)), source="synth", batch_size=100
    )
    back = read_ticket_data(database).tickets.sort("created_at", "id")
    expected = tickets.sort("created_at", "id")
    assert back["requester_email"].to_list() == expected["requester_email"].to_list()
    assert back["csat_comment"].to_list() == expected["csat_comment"].to_list()
    assert back["requester_email"].null_count() == 5


def test_a_ticket_without_address_or_comment_keeps_the_hash_it_had_before_them() -> None:
    data = synthetic(3)
    without = data.tickets.drop("requester_email", "csat_comment")
    placed = place_events(data.tickets, conform(data.events, EVENT_SCHEMA))
    # The new columns all null: the hash is the one computed without those columns.
    assert content_hashes(data.tickets, placed).equals(content_hashes(without, placed))
    given = data.tickets.with_columns(pl.lit("h@example.test").alias("requester_email"))
    assert not content_hashes(given, placed).equals(content_hashes(data.tickets, placed))
    assert set(TICKET_SCHEMA) >= {"requester_email", "csat_comment"}
