"""Every error the API returns has the same body: status, code, message, details."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from charter.store import Database
from support.api import assert_error_body
from support.web import bearer


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
    response = client.get("/api/tickets", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert_error_body(response.json(), 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_an_unexpected_failure_is_a_plain_500_without_internals(
    database_url: str, database: Database
) -> None:
    from charter.web.app import create_app
    from support.web import make_settings

    app = create_app(make_settings(database_url), database)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as local:
        response = local.get("/api/boom")
    assert response.status_code == 500
    assert_error_body(response.json(), 500, "internal_error")
    assert "secret" not in response.text


def test_a_helpdesk_that_keeps_failing_is_a_502_naming_it(
    database_url: str, database: Database
) -> None:
    """The helpdesk, not Charter and not the caller, failed: a bad gateway."""
    from charter.errors import HelpdeskError
    from charter.web.app import create_app
    from support.web import make_settings

    app = create_app(make_settings(database_url), database)

    @app.get("/api/helpdesk")
    def helpdesk() -> None:
        raise HelpdeskError("Zendesk answered 503 to GET /api/v2/incremental after 5 tries")

    with TestClient(app, raise_server_exceptions=False) as local:
        response = local.get("/api/helpdesk")
    assert response.status_code == 502
    assert_error_body(response.json(), 502, "helpdesk_unavailable")
    assert "Zendesk answered 503" in response.json()["error"]["message"]


def test_the_openapi_schema_is_served_under_api(client: TestClient, database: Database) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Charter"
    assert "/api/health" in schema["paths"]
    assert "bearer" in {s["scheme"] for s in schema["components"]["securitySchemes"].values()}


def test_every_schema_is_named_after_its_resource_without_a_module_path(
    client: TestClient,
) -> None:
    names = client.get("/api/openapi.json").json()["components"]["schemas"]
    # FastAPI prefixes a name with its module path when two models share it
    assert [name for name in names if "__" in name] == []
    assert {"VersionEventPublic", "TicketEventPublic"} <= set(names)


def test_the_schema_documents_the_error_body_for_every_error_response(
    client: TestClient,
) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert set(schema["components"]["schemas"]["ErrorBody"]["properties"]) == {"error"}
    errors = [
        response
        for operations in schema["paths"].values()
        for operation in operations.values()
        for code, response in operation["responses"].items()
        if code.startswith(("4", "5"))
    ]
    assert errors, "routes declare their error responses"
    for response in errors:
        ref = response["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/ErrorBody"


def test_a_validation_error_names_the_field(client: TestClient, database: Database) -> None:
    response = client.get("/api/tickets?per_page=0", headers=bearer(database, "agent"))
    assert response.status_code == 422
    assert_error_body(response.json(), 422, "invalid_input")
    assert response.json()["error"]["details"][0]["field"] == "query.per_page"
