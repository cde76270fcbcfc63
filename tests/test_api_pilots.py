"""Pilots over HTTP: ``POST /api/policies/{slug}/versions/{n}/pilot`` with its group and
period, then ``extend``, ``publish`` or ``abandon``; a bad group or period is a 422
naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.store import Database
from support.api import POLICIES, assert_error_body, ok, signed_in
from support.lifecycle import policy_text

V1 = f"{POLICIES}/acme/versions/1"
SOON = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30)
LATER = SOON + dt.timedelta(days=14)


def approved(client: TestClient, database: Database) -> dict[str, str]:
    """Version 1 of acme, approved; the reviewer's headers."""
    ada, bo = signed_in(database, "manager"), signed_in(database, "manager")
    body = {"slug": "acme", "name": "Acme", "text": policy_text(), "change_summary": "v1"}
    ok(client.post(POLICIES, json=body, headers=ada), 201)
    ok(client.post(f"{V1}/submit", headers=ada))
    ok(client.post(f"{V1}/approve", headers=bo))
    return bo


def pilot_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "note": "try faster replies",
        "group": {"kind": "team", "values": ["tier-2", "tier-3"]},
        "ends_at": SOON.isoformat(),
    }
    return {**body, **changes}


def test_a_pilot_names_its_group_and_period_then_is_extended_and_abandoned(
    client: TestClient, database: Database
) -> None:
    bo = approved(client, database)
    piloted = ok(client.post(f"{V1}/pilot", json=pilot_body(), headers=bo))
    assert piloted["status"] == "pilot"
    assert piloted["allowed_actions"] == ["extend", "publish", "abandon"]
    pilot = piloted["pilot"]
    assert pilot["group"] == {"kind": "team", "values": ["tier-2", "tier-3"]}
    assert dt.datetime.fromisoformat(pilot["ends_at"]) == SOON
    assert pilot["outcome"] is None
    extended = ok(client.post(f"{V1}/extend", json={"ends_at": LATER.isoformat()}, headers=bo))
    assert dt.datetime.fromisoformat(extended["pilot"]["ends_at"]) == LATER
    abandoned = ok(client.post(f"{V1}/abandon", json={"note": "no better"}, headers=bo))
    assert (abandoned["status"], abandoned["pilot"]["outcome"]) == ("retired", "abandoned")
    trail = ok(client.get(f"{V1}/history", headers=bo))
    assert [e["action"] for e in trail][-3:] == ["pilot", "extend", "abandon"]
    assert trail[-3]["note"].startswith("try faster replies (pilot on teams tier-2, tier-3 from")
    assert trail[-1]["note"] == (
        "no better (pilot abandoned: its tickets are judged under the version in force again)"
    )


@pytest.mark.parametrize(
    "changes, field, problem",
    [
        ({"group": None}, "group.kind", "name the pilot's group"),
        ({"group": {"kind": "region", "values": ["north"]}}, "group.kind", "'region' is not"),
        ({"group": {"kind": "team", "values": []}}, "group.values", "name at least one team"),
        (
            {"group": {"kind": "channel", "values": [f"c{n}" for n in range(600)]}},
            "group.values",
            "600 channels is more than a pilot takes (500 at most)",
        ),
        ({"ends_at": None}, "ends_at", "say when the pilot ends"),
        ({"ends_at": "2020-01-01T00:00:00+00:00"}, "ends_at", "the pilot would end"),
        ({"starts_at": "2020-01-01T00:00:00+00:00"}, "starts_at", "is in the past"),
    ],
)
def test_a_bad_group_or_period_is_a_422_naming_the_field(
    client: TestClient, database: Database, changes: dict[str, Any], field: str, problem: str
) -> None:
    bo = approved(client, database)
    refused = client.post(f"{V1}/pilot", json=pilot_body(**changes), headers=bo)
    assert refused.status_code == 422, refused.text
    assert_error_body(refused.json(), 422, "invalid_input")
    error = refused.json()["error"]
    assert error["message"].startswith(f"{field}: ") and problem in error["message"]
    assert error["details"][0]["field"] == field
    assert ok(client.get(V1, headers=bo))["status"] == "approved"


def test_a_group_on_another_step_is_refused(client: TestClient, database: Database) -> None:
    bo = approved(client, database)
    refused = client.post(f"{V1}/publish", json=pilot_body(), headers=bo)
    assert refused.status_code == 422
    assert refused.json()["error"]["message"].startswith("group: only pilot and extend take")
