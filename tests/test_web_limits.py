"""Request bodies are bounded and the sign-in comes first; errors quote input in excerpts.

The app is called as ASGI with a ``receive`` that counts the bytes the app pulls,
so a test can tell "refused having read nothing" from "read it all, then refused".
"""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from charter.excerpt import excerpt
from charter.store import Database
from charter.web.app import create_app
from support.api import assert_error_body
from support.uploads import BOUNDARY, CHUNK, PART, call, multipart, upload_chunks
from support.web import bearer, make_settings


@pytest.fixture
def limited(database_url: str, database: Database) -> FastAPI:
    """The app with small caps: 200 KB for the import, 10 KB for any other body."""
    settings = make_settings(database_url, max_upload_bytes=200_000, max_body_bytes=10_000)
    return create_app(settings, database)


@pytest.mark.parametrize("role", [None, "agent"])
def test_an_upload_from_a_caller_who_may_not_import_is_refused_having_read_none_of_it(
    limited: FastAPI, database: Database, role: str | None
) -> None:
    auth = bearer(database, role) if role else {}
    answer = call(limited, "/api/tickets/import", multipart(**auth), upload_chunks(150_000))
    assert answer.status == (403 if role else 401), answer.body[:300]
    assert answer.pulled == 0


def test_a_content_length_over_the_cap_is_a_413_before_any_byte_is_read(
    limited: FastAPI, database: Database
) -> None:
    headers = multipart(5_000_000, **bearer(database, "manager"))
    answer = call(limited, "/api/tickets/import", headers, upload_chunks(5_000_000))
    assert answer.status == 413
    assert answer.pulled == 0
    body = json.loads(answer.body)
    assert_error_body(body, 413, "too_large")
    assert "200,000 bytes" in body["error"]["message"]
    assert "CHARTER_MAX_UPLOAD_BYTES" in body["error"]["message"]


@pytest.mark.parametrize("declared", [None, 1000], ids=["chunked", "lying-length"])
def test_a_body_that_runs_past_the_cap_is_cut_off_at_the_cap(
    limited: FastAPI, database: Database, declared: int | None
) -> None:
    headers = multipart(declared, **bearer(database, "manager"))
    answer = call(limited, "/api/tickets/import", headers, upload_chunks(5_000_000))
    assert answer.status == 413, answer.body[:300]
    assert_error_body(json.loads(answer.body), 413, "too_large")
    # The chunk that crossed the cap was refused, not handed on: at most the cap
    # plus that one chunk was pulled, of five megabytes sent.
    assert answer.pulled <= 200_000 + CHUNK


def test_an_upload_under_the_cap_is_imported(limited: FastAPI, database: Database) -> None:
    csv = b"id,created_at,channel,priority,status\n7,2026-03-02T09:00:00Z,email,low,open\n"
    body = PART + csv + f"\r\n--{BOUNDARY}--\r\n".encode()
    headers = multipart(len(body), **bearer(database, "manager"))
    answer = call(limited, "/api/tickets/import", headers, iter([body]))
    assert answer.status == 201, answer.body[:300]
    assert json.loads(answer.body)["inserted"] == 1


def test_any_other_json_body_over_the_general_cap_is_a_413(
    limited: FastAPI, database: Database
) -> None:
    text = json.dumps({"slug": "big", "title": "Big", "text": "x" * 20_000}).encode()
    headers = {"content-type": "application/json", **bearer(database, "manager")}
    answer = call(limited, "/api/policies", headers, iter([text]))
    assert answer.status == 413
    body = json.loads(answer.body)
    assert_error_body(body, 413, "too_large")
    assert "10,000 bytes" in body["error"]["message"]


def test_a_form_over_the_general_cap_is_an_html_page(limited: FastAPI) -> None:
    form = b"email=a%40example.com&password=" + b"x" * 20_000
    headers = {"content-type": "application/x-www-form-urlencoded"}
    answer = call(limited, "/login", headers, iter([form]))
    assert answer.status == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert b"10,000 bytes" in answer.body


def test_a_csv_whose_header_line_is_20_mb_gives_a_short_400_without_server_paths(
    client: TestClient, database: Database
) -> None:
    header = b"x" * 20_000_000 + b",y\n1,2\n"
    files = [("files", ("big-header.csv", header, "text/csv"))]
    response = client.post(
        "/api/tickets/import", data={"source": "csv"}, files=files,
        headers=bearer(database, "manager"),
    )  # fmt: skip
    assert response.status_code == 400, response.text[:300]
    assert len(response.content) < 4_000
    message = response.json()["error"]["message"]
    assert message.startswith("big-header.csv: no column 'id'")
    assert "charter-import" not in response.text and "/tmp" not in response.text
    assert "20,000,000 characters" in message  # the excerpt says how long the input was


def test_a_broken_json_page_is_named_by_the_uploads_own_name(
    client: TestClient, database: Database
) -> None:
    files = [
        ("files", ("page-7.json", b'{"tickets": [{"id": 1,', "application/json")),
        ("files", ("tickets.csv", b"not,a,ticket\n1,2,3\n", "text/csv")),
    ]
    response = client.post(
        "/api/tickets/import", data={"source": "zendesk"}, files=files,
        headers=bearer(database, "manager"),
    )  # fmt: skip
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"]["message"].startswith("tickets.csv: no column 'Id'")
    assert "charter-import" not in response.text and "/tmp" not in response.text
    alone = client.post(
        "/api/tickets/import", data={"source": "zendesk"}, files=files[:1],
        headers=bearer(database, "manager"),
    )  # fmt: skip
    assert alone.status_code == 201, alone.text[:300]
    rejects = alone.json()["rejects"]
    assert [(r["file"], r["row"]) for r in rejects] == [("page-7.json", "/")]
    assert "not valid JSON" in rejects[0]["reason"]
    assert "charter-import" not in alone.text and "/tmp" not in alone.text


def test_a_reject_quotes_a_long_cell_in_an_excerpt(client: TestClient, database: Database) -> None:
    status = "w" * 100_000
    csv = f"id,created_at,channel,priority,status\n7,2026-03-02T09:00:00Z,email,low,{status}\n"
    files = [("files", ("t.csv", csv.encode(), "text/csv"))]
    response = client.post(
        "/api/tickets/import", data={"source": "csv"}, files=files,
        headers=bearer(database, "manager"),
    )  # fmt: skip
    assert response.status_code == 201, response.text[:300]
    (reject,) = response.json()["rejects"]
    assert "w" * 60 + "…" in reject["reason"] and "w" * 61 not in reject["reason"]
    assert len(response.content) < 4_000


@pytest.mark.parametrize(
    "given, shown",
    [
        ("Ticket ID", "Ticket ID"),
        ("é" * 60, "é" * 60),
        ("a" * 61, "a" * 60 + "… (61 characters)"),
        ("tab\there\x00", "tab\\there\\x00"),
    ],
)
def test_an_excerpt_keeps_short_input_and_cuts_long_input(given: str, shown: str) -> None:
    assert excerpt(given) == shown


def test_a_bad_field_named_by_a_megabyte_of_input_is_quoted_in_an_excerpt(
    client: TestClient, database: Database
) -> None:
    key = "k" * 1_000_000
    response = client.post(
        "/api/policies", json={"slug": "x", key: 1}, headers=bearer(database, "manager")
    )
    assert response.status_code == 422, response.text[:300]
    assert len(response.content) < 4_000
    fields = [d["field"] for d in response.json()["error"]["details"]]
    assert f"body.{'k' * 55}… (1,000,005 characters)" in fields
