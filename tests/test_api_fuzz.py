"""The OpenAPI schema, fuzzed by schemathesis: no generated request gets a 5xx.

The app runs on a seeded database (a published policy, a draft, tickets, a
backtest) on SQLite and PostgreSQL, and every request carries an admin's API
token, so generated input reaches every route's handler, not just the door.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from charter.services.backtests import run_backtest
from charter.services.lifecycle import new_draft
from charter.services.tokens import create_token
from charter.store import Database
from charter.web.app import create_app
from support.db import truncate
from support.seed import SLUG, import_synthetic, principal_of, publish_example
from support.web import make_settings

Fuzzed = tuple[Any, Callable[[], dict[str, str]]]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def fuzzed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fuzzed]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("fuzz") / "charter.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres")
        truncate(Database(url))
    database = Database(url)
    seeded = publish_example(database)
    import_synthetic(database, tickets=60)
    new_draft(database, SLUG, seeded.author)
    run_backtest(database, SLUG, 1, actor=seeded.author)
    admin = principal_of(database, "admin")

    def headers() -> dict[str, str]:
        """A fresh admin token per request: a generated DELETE may revoke the last one."""
        return {"Authorization": f"Bearer {create_token(database, admin.id, 'fuzz').secret}"}

    # With webhook secrets set, generated webhook calls reach the signature check (a 401)
    # rather than the refusal of an unconfigured helpdesk (503, test_api_hooks.py).
    secrets = {"zendesk_webhook_secret": "fuzz-zendesk", "freshdesk_webhook_secret": "fuzz-fd"}
    app = create_app(make_settings(url, **secrets), database)
    yield app, headers
    database.dispose()


def test_no_generated_request_gets_a_server_error(fuzzed: Fuzzed) -> None:
    app, headers = fuzzed
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            response = case.call(headers=headers())
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} {case.query or ''}: {response.text}"
            )

        try:
            call()
        except AssertionError as error:
            failures.append(str(error).splitlines()[0])
    assert failures == []


def test_the_schema_documents_every_router(fuzzed: Fuzzed) -> None:
    paths = fuzzed[0].openapi()["paths"]
    for prefix in (
        "/api/policies",
        "/api/tickets",
        "/api/kpis",
        "/api/backtests",
        "/api/users",
        "/api/tokens",
        "/api/session",
    ):
        assert any(path.startswith(prefix) for path in paths), prefix


def _unbounded_integers(schema: dict[str, Any], spec: dict[str, Any], where: str) -> list[str]:
    """The integer fields under ``schema`` with no maximum, named by their path."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _unbounded_integers(spec["components"]["schemas"][name], spec, where)
    found = []
    if schema.get("type") == "integer" and "maximum" not in schema:
        found.append(where)
    for choice in schema.get("anyOf", []) + schema.get("allOf", []):
        found += _unbounded_integers(choice, spec, where)
    for key, value in schema.get("properties", {}).items():
        found += _unbounded_integers(value, spec, f"{where}.{key}")
    if isinstance(schema.get("items"), dict):
        found += _unbounded_integers(schema["items"], spec, f"{where}[]")
    return found


def test_every_integer_a_request_may_carry_is_bounded(fuzzed: Fuzzed) -> None:
    # A body's handler_id of 2**63 overflowed SQLite's integers (a 500) before its bound;
    # every integer in a path, query or body must stop at the databases' 2**31 - 1 or less.
    spec = fuzzed[0].openapi()
    unbounded = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                name = f"{where} {parameter['in']} {parameter['name']}"
                unbounded += _unbounded_integers(parameter.get("schema", {}), spec, name)
            body = operation.get("requestBody", {}).get("content", {})
            for content in body.values():
                unbounded += _unbounded_integers(content["schema"], spec, f"{where} body")
    assert unbounded == []
