"""Every error the API returns has the same body: status, code, message, details."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.store import Database
from web_support import bearer


def assert_error_body(body: Any, status: int, code: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert (error["status"], error["code"]) == (status, code)
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)


def test_health_answers_without_signing_in(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize(
    "method, path, status, code",
    [
        ("GET", "/api/no-such-thing", 404, "not_found"),
        ("DELETE", "/api/health", 405, "method_not_allowed"),
    ],
)
def test_routing_errors_use_the_error_body(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert_error_body(response.json(), status, code)


def test_a_bad_token_is_a_401_with_the_error_body(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 200  # health needs no credentials at all
    response = client.get("/api/openapi.json")
    assert response.status_code == 200


def test_the_openapi_schema_is_served_under_api(client: TestClient, database: Database) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Charter"
    assert "/api/health" in schema["paths"]
    assert bearer(database, "agent")["Authorization"].startswith("Bearer chr_")
