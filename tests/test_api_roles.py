"""The full role x route matrix: every API route denies exactly whom it must.

Each route is listed with the roles it lets through; anonymous callers it refuses
get 401, signed-in callers without the role get 403, and the roles it allows get
anything else (a 404 or 422 is fine: they got past the door). A route missing from
the table fails the test, so a new route cannot ship without its rule.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from charter.services.tokens import create_token
from charter.store import Database
from support.seed import SLUG, import_synthetic, principal_of, publish_example
from support.web import make_user

ANONYMOUS = "anonymous"
STAFF = frozenset({"agent", "manager", "admin"})
MANAGERS = frozenset({"manager", "admin"})
ADMINS = frozenset({"admin"})
EVERYONE = STAFF | {ANONYMOUS}

MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/health"): EVERYONE,
    # A helpdesk's webhook signs in with its signature, not a role (test_api_hooks.py).
    ("POST", "/api/hooks/zendesk"): EVERYONE,
    ("POST", "/api/hooks/freshdesk"): EVERYONE,
    ("GET", "/api/session"): STAFF,
    ("POST", "/api/session"): EVERYONE,
    ("DELETE", "/api/session"): STAFF,
    ("DELETE", "/api/session/others"): STAFF,
    ("GET", "/api/users"): ADMINS,
    ("POST", "/api/users"): ADMINS,
    ("GET", "/api/users/me"): STAFF,
    ("GET", "/api/users/{user_id}"): ADMINS,
    ("PATCH", "/api/users/{user_id}"): ADMINS,
    ("GET", "/api/tokens"): STAFF,
    ("POST", "/api/tokens"): STAFF,
    # Anyone may revoke their own token; someone else's is a 404 unless one is an admin
    # (test_api_users.py), so the door is open to all staff.
    ("DELETE", "/api/tokens/{token_id}"): STAFF,
    ("GET", "/api/kpis"): STAFF,
    ("POST", "/api/backtests"): MANAGERS,
    ("GET", "/api/backtests"): STAFF,
    ("GET", "/api/backtests/{run_id}"): STAFF,
    ("GET", "/api/tickets"): STAFF,
    ("GET", "/api/tickets/{ticket_id}"): STAFF,
    ("GET", "/api/tickets/{ticket_id}/audit"): STAFF,
    ("POST", "/api/tickets/import"): MANAGERS,
    ("GET", "/api/policies"): STAFF,
    ("POST", "/api/policies"): MANAGERS,
    ("GET", "/api/policies/{slug}"): STAFF,
    ("GET", "/api/policies/{slug}/versions"): STAFF,
    ("POST", "/api/policies/{slug}/versions"): MANAGERS,
    ("GET", "/api/policies/{slug}/versions/{number}"): STAFF,
    ("PATCH", "/api/policies/{slug}/versions/{number}"): MANAGERS,
    ("GET", "/api/policies/{slug}/versions/{number}/diff"): STAFF,
    ("GET", "/api/policies/{slug}/versions/{number}/comments"): STAFF,
    ("POST", "/api/policies/{slug}/versions/{number}/comments"): STAFF,
    ("GET", "/api/policies/{slug}/versions/{number}/history"): STAFF,
    ("POST", "/api/policies/{slug}/versions/{number}/{action}"): MANAGERS,
    ("GET", "/api/outbox"): MANAGERS,
    ("POST", "/api/outbox/retry"): MANAGERS,
    ("GET", "/api/review"): MANAGERS,
    ("POST", "/api/review"): MANAGERS,
    ("GET", "/api/what-if"): MANAGERS,
    ("GET", "/api/feedback/themes"): STAFF,
    ("POST", "/api/feedback/themes/names"): MANAGERS,
    ("POST", "/api/feedback/themes/merges"): MANAGERS,
    ("DELETE", "/api/feedback/themes/merges"): MANAGERS,
    ("POST", "/api/feedback/pins"): MANAGERS,
    ("DELETE", "/api/feedback/pins/{pin_id}"): MANAGERS,
    ("GET", "/api/feedback/sections"): STAFF,
    ("GET", "/api/training/me"): STAFF,
    ("POST", "/api/training/reads"): STAFF,
    ("POST", "/api/training/acknowledgments"): STAFF,
    ("POST", "/api/training/quizzes"): STAFF,
    ("GET", "/api/training/quizzes/{attempt_id}"): STAFF,
    ("POST", "/api/training/quizzes/{attempt_id}/answers"): STAFF,
    ("GET", "/api/training/refreshers"): STAFF,
    ("POST", "/api/training/refreshers/answers"): STAFF,
    ("GET", "/api/training/results"): MANAGERS,
    ("GET", "/api/training/results.csv"): MANAGERS,
    ("GET", "/api/training/statements"): MANAGERS,
    ("PUT", "/api/users/{user_id}/training-profile"): MANAGERS,
    # Agents decide and read the record (docs/eligibility.md); exporting it is managers'.
    ("POST", "/api/decisions/delivery"): STAFF,
    ("POST", "/api/decisions/return"): STAFF,
    ("GET", "/api/decisions"): STAFF,
    ("GET", "/api/decisions/export.csv"): MANAGERS,
    ("GET", "/api/decisions/{decision_id}"): STAFF,
    ("POST", "/api/decisions/{decision_id}/refund"): STAFF,
    # Complaints are handled by agents (the example's front line), so all staff act.
    ("GET", "/api/complaints"): STAFF,
    ("POST", "/api/complaints"): STAFF,
    ("GET", "/api/complaints/kpis"): STAFF,
    ("GET", "/api/complaints/{case_id}"): STAFF,
    ("POST", "/api/complaints/{case_id}/acknowledgment"): STAFF,
    ("POST", "/api/complaints/{case_id}/response"): STAFF,
    ("PUT", "/api/complaints/{case_id}/handler"): STAFF,
    ("POST", "/api/complaints/{case_id}/extensions"): STAFF,
    ("POST", "/api/complaints/{case_id}/escalation"): STAFF,
    ("POST", "/api/complaints/{case_id}/closing"): STAFF,
}


def api_routes(client: TestClient) -> set[tuple[str, str]]:
    paths = client.get("/api/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def test_every_api_route_has_a_row_in_the_matrix(client: TestClient) -> None:
    assert api_routes(client) == set(MATRIX)


def test_every_route_denies_whom_it_must_and_admits_the_rest(
    client: TestClient, database: Database
) -> None:
    values = _seed(database)
    headers = {ANONYMOUS: {}} | {
        role: {"Authorization": f"Bearer {_token(database, role)}"} for role in sorted(STAFF)
    }
    wrong = []
    for (method, template), allowed in sorted(MATRIX.items()):
        path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
        for role, auth in headers.items():
            body = {} if method in ("POST", "PATCH") else None
            status = client.request(method, path, json=body, headers=auth).status_code
            expected = "through" if role in allowed else (401 if role == ANONYMOUS else 403)
            if (expected == "through" and status in (401, 403)) or (
                expected != "through" and status != expected
            ):
                wrong.append(f"{method} {path} as {role}: {status}, expected {expected}")
    assert wrong == []


def _token(database: Database, role: str) -> str:
    return create_token(database, make_user(database, role).id, "matrix").secret


def _seed(database: Database) -> dict[str, str]:
    """Real records for every path parameter, none of them the caller's own."""
    seeded = publish_example(database)
    import_synthetic(database, tickets=40)
    other = make_user(database, "agent")
    admin = principal_of(database, "admin")
    victim = create_token(database, admin.id, "not the caller's")
    from charter.services.lifecycle import new_draft

    draft = new_draft(database, SLUG, seeded.author)
    return {
        "user_id": str(other.id),
        "token_id": str(victim.token.id),
        "run_id": "1",
        "ticket_id": "1",
        "slug": SLUG,
        "number": str(draft.number),
        "action": "submit",
        "attempt_id": "1",
        "pin_id": "1",
        "decision_id": "1",
        "case_id": "1",
    }
