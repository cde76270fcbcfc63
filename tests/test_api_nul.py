"""A NUL character anywhere in a request is a 422 naming where, never a server error.

PostgreSQL's text cannot hold NUL: before the check, a theme key of ``%00`` in a query
and a token name holding ``\\u0000`` in a JSON body both reached the database and
answered 500 on PostgreSQL.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from charter.store import Database
from support.api import assert_error_body, signed_in
from support.seed import publish_example


def test_a_nul_in_a_query_parameter_is_refused_naming_the_parameter(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    manager = signed_in(database, "manager")
    answer = client.delete("/api/feedback/themes/merges?key=%00", headers=manager)
    assert_error_body(answer.json(), 422, "invalid_input")
    assert answer.json()["error"]["details"][0]["field"] == "query.key"


def test_a_nul_in_a_json_body_is_refused_naming_the_field_and_stores_nothing(
    client: TestClient, database: Database
) -> None:
    admin = signed_in(database, "admin")
    before = client.get("/api/tokens", headers=admin).json()
    answer = client.post(
        "/api/tokens",
        content=b'{"name": "robot\\u0000"}',
        headers={**admin, "Content-Type": "application/json"},
    )
    assert_error_body(answer.json(), 422, "invalid_input")
    assert answer.json()["error"]["details"][0]["field"] == "body.name"
    assert client.get("/api/tokens", headers=admin).json() == before


def test_a_nul_in_a_pages_path_is_refused_with_a_page_not_a_traceback(
    client: TestClient,
) -> None:
    answer = client.get("/charter%00")
    assert answer.status_code in (404, 422)
    assert "Traceback" not in answer.text


def test_an_escaped_backslash_before_u0000_is_not_a_nul(
    client: TestClient, database: Database
) -> None:
    # The JSON text "robot\\u0000" is the characters r-o-b-o-t-\-u-0-0-0-0: no NUL in it.
    admin = signed_in(database, "admin")
    answer = client.post(
        "/api/tokens",
        content=b'{"name": "robot\\\\u0000"}',
        headers={**admin, "Content-Type": "application/json"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["name"] == "robot\\u0000"
