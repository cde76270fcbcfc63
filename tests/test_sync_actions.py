"""Escalation actions in the helpdesk against a replay server on loopback: a priority
raised one step, a ticket reassigned to a group by name, both in one update, and what
each refusal or failure comes to (retried or not, and why)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
import pytest

from charter.sync import FreshdeskAccess, ZendeskAccess, apply_action
from support.replay import (
    Answer,
    Replay,
    freshdesk_groups,
    freshdesk_ticket,
    ok,
    rate_limited,
    replaying,
    server_error,
    unauthorized,
    zendesk_groups,
    zendesk_shown,
)

ZENDESK_TICKET = "/api/v2/tickets/4411.json"
FRESHDESK_TICKET = "/api/v2/tickets/321"
FRESHDESK_GROUPS = "/api/v2/groups?page={}&per_page=100"


@pytest.fixture
def replay() -> Iterator[Replay]:
    with replaying() as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as running:
        yield running


def zendesk(replay: Replay) -> ZendeskAccess:
    return ZendeskAccess.of(None, "ada@example.com", "t0ken", replay.base_url)


def freshdesk(replay: Replay) -> FreshdeskAccess:
    return FreshdeskAccess.of(None, "k3y", replay.base_url)


def zendesk_groups_in_two_pages(replay: Replay) -> None:
    """Page 1: Support (11), Billing (12); page 2: Resolutions (42)."""
    second = f"{replay.base_url}/api/v2/groups.json?page=2"
    replay.route("/api/v2/groups.json", ok(zendesk_groups({11: "Support", 12: "Billing"}, second)))
    replay.route("/api/v2/groups.json?page=2", ok(zendesk_groups({42: "Resolutions"})))


def freshdesk_groups_in_two_pages(replay: Replay) -> None:
    """Page 1 is full: 100 groups, Team 1 (id 1) to Team 100 (id 100); page 2 is short:
    Escalations (500), so it is the last."""
    replay.route(FRESHDESK_GROUPS.format(1),
                 ok(freshdesk_groups({i: f"Team {i}" for i in range(1, 101)})))  # fmt: skip
    replay.route(FRESHDESK_GROUPS.format(2), ok(freshdesk_groups({500: "Escalations"})))


# --- Zendesk: priority ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "sent", "said"),
    [
        # normal is rank 2 of low < normal < high < urgent: one step up is high
        ("normal", {"ticket": {"priority": "high"}}, "priority normal → high"),
        ("low", {"ticket": {"priority": "normal"}}, "priority low → normal"),
        # Zendesk leaves priority empty unless set; the importer reads that as normal
        (None, {"ticket": {"priority": "high"}}, "priority none → high"),
    ],
)
def test_zendesk_ticket_4411_is_raised_one_step_in_one_put(
    replay: Replay, client: httpx.Client, shown: str | None, sent: dict[str, Any], said: str
) -> None:
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, shown)))
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, sent["ticket"]["priority"])), method="PUT")
    result = apply_action(client, zendesk(replay), "4411", raise_priority=True, reassign_to=None)
    assert result.delivered, result.reason
    assert result.reason == f"Zendesk ticket 4411: {said}"
    assert replay.writes() == [("PUT", ZENDESK_TICKET, sent)]
    token = base64.b64encode(b"ada@example.com/token:t0ken").decode()
    assert {call.authorization for call in replay.calls} == {f"Basic {token}"}


def test_zendesk_ticket_4411_already_urgent_is_left_alone(
    replay: Replay, client: httpx.Client
) -> None:
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "urgent")))
    result = apply_action(client, zendesk(replay), "4411", raise_priority=True, reassign_to=None)
    assert result.delivered
    assert result.reason == (
        "Zendesk ticket 4411: priority already urgent, left as it is; nothing to change"
    )
    assert replay.writes() == []


# --- Zendesk: group ------------------------------------------------------------------


@pytest.mark.parametrize("written", ["RESOLUTIONS", " resolutions "])
def test_zendesk_ticket_4411_is_reassigned_to_resolutions_by_name_in_any_case(
    replay: Replay, client: httpx.Client, written: str
) -> None:
    zendesk_groups_in_two_pages(replay)
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "normal", 42)), method="PUT")
    result = apply_action(
        client, zendesk(replay), "4411", raise_priority=False, reassign_to=written
    )
    assert result.delivered, result.reason
    assert result.reason == "Zendesk ticket 4411: group → Resolutions (id 42)"
    # Resolutions is on page 2, reached by next_page; the ticket itself is not read
    assert replay.paths() == [
        "/api/v2/groups.json", "/api/v2/groups.json?page=2", ZENDESK_TICKET,
    ]  # fmt: skip
    assert replay.writes() == [("PUT", ZENDESK_TICKET, {"ticket": {"group_id": 42}})]


def test_zendesk_ticket_4411_to_an_unknown_group_is_refused_naming_it_and_the_groups(
    replay: Replay, client: httpx.Client
) -> None:
    zendesk_groups_in_two_pages(replay)
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "normal")))
    result = apply_action(
        client, zendesk(replay), "4411", raise_priority=True, reassign_to="Tier 3"
    )
    assert not result.delivered
    assert not result.retry  # a typo in the policy: no later try can find the group
    assert result.reason == (
        "Zendesk ticket 4411 left unchanged: Zendesk has no group named 'Tier 3'; its groups "
        "are Billing, Resolutions, Support; name one of them in the level's reassign_to"
    )
    assert replay.writes() == []  # the raise asked with it is not made either


def test_zendesk_ticket_4411_raise_and_reassign_go_in_one_put(
    replay: Replay, client: httpx.Client
) -> None:
    zendesk_groups_in_two_pages(replay)
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "normal")))
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "high", 42)), method="PUT")
    result = apply_action(
        client, zendesk(replay), "4411", raise_priority=True, reassign_to="resolutions"
    )
    assert result.delivered, result.reason
    assert result.reason == (
        "Zendesk ticket 4411: priority normal → high; group → Resolutions (id 42)"
    )
    assert replay.writes() == [
        ("PUT", ZENDESK_TICKET, {"ticket": {"priority": "high", "group_id": 42}})
    ]


def test_zendesk_ticket_4411_refused_update_is_not_retried_and_quotes_zendesk(
    replay: Replay, client: httpx.Client
) -> None:
    zendesk_groups_in_two_pages(replay)
    invalid = {"error": "RecordInvalid", "description": "Record validation errors",
               "details": {"assignee": [{"description": "Assignee is not in group"}]}}  # fmt: skip
    replay.route(ZENDESK_TICKET, Answer(422, invalid), method="PUT")
    result = apply_action(
        client, zendesk(replay), "4411", raise_priority=False, reassign_to="Billing"
    )
    assert (result.delivered, result.retry, result.status) == (False, False, 422)
    assert result.reason.startswith(
        "Zendesk ticket 4411: Zendesk refused PUT /api/v2/tickets/4411.json with 422: "
    )
    assert "Assignee is not in group" in result.reason


# --- Freshdesk -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "sent", "said"),
    [
        # 2 medium (Charter's normal) -> 3 high
        (2, {"priority": 3}, "priority normal → high"),
        (1, {"priority": 2}, "priority low → normal"),
        (3, {"priority": 4}, "priority high → urgent"),
    ],
)
def test_freshdesk_ticket_321_is_raised_one_step_in_one_put(
    replay: Replay, client: httpx.Client, code: int, sent: dict[str, Any], said: str
) -> None:
    replay.route(FRESHDESK_TICKET, ok(freshdesk_ticket(321, "2026-03-02T10:00:00Z", priority=code)))
    replay.route(FRESHDESK_TICKET, ok(freshdesk_ticket(321, "2026-03-02T10:05:00Z")), method="PUT")
    result = apply_action(client, freshdesk(replay), "321", raise_priority=True, reassign_to=None)
    assert result.delivered, result.reason
    assert result.reason == f"Freshdesk ticket 321: {said}"
    assert replay.writes() == [("PUT", FRESHDESK_TICKET, sent)]
    token = base64.b64encode(b"k3y:X").decode()
    assert {call.authorization for call in replay.calls} == {f"Basic {token}"}


def test_freshdesk_ticket_321_already_urgent_is_left_alone(
    replay: Replay, client: httpx.Client
) -> None:
    replay.route(FRESHDESK_TICKET, ok(freshdesk_ticket(321, "2026-03-02T10:00:00Z", priority=4)))
    result = apply_action(client, freshdesk(replay), "321", raise_priority=True, reassign_to=None)
    assert result.delivered
    assert "priority already urgent" in result.reason
    assert replay.writes() == []


def test_freshdesk_ticket_321_raise_and_reassign_to_escalations_go_in_one_put(
    replay: Replay, client: httpx.Client
) -> None:
    freshdesk_groups_in_two_pages(replay)
    replay.route(FRESHDESK_TICKET, ok(freshdesk_ticket(321, "2026-03-02T10:00:00Z")))
    replay.route(FRESHDESK_TICKET, ok(freshdesk_ticket(321, "2026-03-02T10:05:00Z")), method="PUT")
    result = apply_action(
        client, freshdesk(replay), "321", raise_priority=True, reassign_to="ESCALATIONS"
    )
    assert result.delivered, result.reason
    # page 1 held 100 groups (full), page 2 one (short): no page 3 is asked for
    assert [p for p in replay.paths() if p.startswith("/api/v2/groups")] == [
        FRESHDESK_GROUPS.format(1), FRESHDESK_GROUPS.format(2),
    ]  # fmt: skip
    # medium (2) one step up is high (3); Escalations is group 500
    assert replay.writes() == [("PUT", FRESHDESK_TICKET, {"priority": 3, "group_id": 500})]


def test_freshdesk_ticket_321_to_an_unknown_group_is_refused_listing_five_and_the_count(
    replay: Replay, client: httpx.Client
) -> None:
    freshdesk_groups_in_two_pages(replay)
    result = apply_action(
        client, freshdesk(replay), "321", raise_priority=False, reassign_to="Tier 3"
    )
    assert (result.delivered, result.retry) == (False, False)
    # 101 groups; sorted by name, the first five are Escalations, Team 1, Team 10,
    # Team 100, Team 11 (text order, not number order)
    assert result.reason == (
        "Freshdesk ticket 321 left unchanged: Freshdesk has no group named 'Tier 3'; its "
        "groups are Escalations, Team 1, Team 10, Team 100, Team 11, … (101 in all); name "
        "one of them in the level's reassign_to"
    )
    assert replay.writes() == []


# --- failures, both helpdesks ----------------------------------------------------------


@dataclass(frozen=True)
class Vendor:
    name: str
    ticket: str
    path: str
    shown: Any  # the ticket at normal (Zendesk) or medium, 2 (Freshdesk)
    credentials: str

    def access(self, replay: Replay) -> ZendeskAccess | FreshdeskAccess:
        return zendesk(replay) if self.name == "Zendesk" else freshdesk(replay)


VENDORS = [
    Vendor("Zendesk", "4411", ZENDESK_TICKET, zendesk_shown(4411, "normal"),
           "CHARTER_ZENDESK_EMAIL and CHARTER_ZENDESK_API_TOKEN"),
    Vendor("Freshdesk", "321", FRESHDESK_TICKET, freshdesk_ticket(321, "2026-03-02T10:00:00Z"),
           "CHARTER_FRESHDESK_API_KEY"),
]  # fmt: skip


@pytest.mark.parametrize("vendor", VENDORS, ids=lambda v: v.name)
def test_a_rate_limited_update_is_retried_after_the_helpdesks_retry_after(
    replay: Replay, client: httpx.Client, vendor: Vendor
) -> None:
    replay.route(vendor.path, ok(vendor.shown))
    replay.route(vendor.path, rate_limited(30), method="PUT")
    result = apply_action(
        client, vendor.access(replay), vendor.ticket, raise_priority=True, reassign_to=None
    )
    assert (result.delivered, result.retry, result.retry_after, result.status) == (
        False, True, 30.0, 429,
    )  # fmt: skip
    assert result.reason == (
        f"{vendor.name} ticket {vendor.ticket}: {vendor.name} answered 429 to PUT "
        f"{vendor.path}, asked to wait 30 s"
    )


@pytest.mark.parametrize("vendor", VENDORS, ids=lambda v: v.name)
def test_a_helpdesk_failing_with_500_is_retried_on_the_outbox_schedule(
    replay: Replay, client: httpx.Client, vendor: Vendor
) -> None:
    replay.route(vendor.path, server_error())
    result = apply_action(
        client, vendor.access(replay), vendor.ticket, raise_priority=True, reassign_to=None
    )
    # no Retry-After: the outbox's own back-off decides the wait
    assert (result.delivered, result.retry, result.retry_after, result.status) == (
        False, True, None, 500,
    )  # fmt: skip
    assert replay.writes() == []


@pytest.mark.parametrize("vendor", VENDORS, ids=lambda v: v.name)
def test_refused_credentials_are_not_retried_and_name_the_settings(
    replay: Replay, client: httpx.Client, vendor: Vendor
) -> None:
    replay.route(vendor.path, unauthorized())
    result = apply_action(
        client, vendor.access(replay), vendor.ticket, raise_priority=True, reassign_to=None
    )
    assert (result.delivered, result.retry, result.status) == (False, False, 401)
    assert result.reason == (
        f"{vendor.name} ticket {vendor.ticket}: {vendor.name} refused the credentials (401 "
        f"to GET {vendor.path}); check {vendor.credentials}, and that this agent may edit "
        "tickets"
    )


@pytest.mark.parametrize("vendor", VENDORS, ids=lambda v: v.name)
def test_a_ticket_gone_from_the_helpdesk_is_not_retried(
    replay: Replay, client: httpx.Client, vendor: Vendor
) -> None:
    # no route for the ticket: the replay server answers 404 RecordNotFound
    result = apply_action(
        client, vendor.access(replay), vendor.ticket, raise_priority=True, reassign_to=None
    )
    assert (result.delivered, result.retry, result.status) == (False, False, 404)
    assert result.reason == (
        f"{vendor.name} ticket {vendor.ticket}: {vendor.name} has no such ticket (404 to GET "
        f"{vendor.path}): deleted or merged"
    )
    assert replay.writes() == []


@pytest.mark.parametrize("vendor", VENDORS, ids=lambda v: v.name)
def test_a_helpdesk_that_does_not_answer_is_retried(client: httpx.Client, vendor: Vendor) -> None:
    with replaying() as gone:
        access = vendor.access(gone)
    # the server is stopped: its port refuses the connection
    result = apply_action(client, access, vendor.ticket, raise_priority=True, reassign_to=None)
    assert (result.delivered, result.retry) == (False, True)
    assert result.reason.startswith(
        f"{vendor.name} ticket {vendor.ticket}: no answer to GET {vendor.path} (ConnectError"
    )


# --- a retry raises once, not twice --------------------------------------------------------


@pytest.mark.parametrize(
    ("vendor", "high"),
    [(VENDORS[0], {"ticket": {"priority": "high"}}), (VENDORS[1], {"priority": 3})],
    ids=["Zendesk", "Freshdesk"],
)
def test_ticket_raised_from_normal_twice_is_put_at_high_both_times(
    replay: Replay, client: httpx.Client, vendor: Vendor, high: dict[str, Any]
) -> None:
    # the first PUT's answer was lost before it reached the helpdesk: the ticket still
    # shows normal, and the retry sets high again, never urgent
    replay.route(vendor.path, ok(vendor.shown))
    replay.route(vendor.path, ok(vendor.shown), method="PUT")
    access = vendor.access(replay)
    for _ in range(2):
        result = apply_action(client, access, vendor.ticket, raise_priority=True,
                              reassign_to=None, from_priority="normal")  # fmt: skip
        assert result.delivered, result.reason
    assert replay.writes() == [("PUT", vendor.path, high), ("PUT", vendor.path, high)]


def test_zendesk_ticket_4411_raised_then_retried_after_a_lost_answer_stays_high(
    replay: Replay, client: httpx.Client
) -> None:
    # the first PUT landed (normal -> high) but its answer was lost; on the retry the
    # ticket shows high. From the priority stored when the level fired (normal) the
    # raise wants high, which it already is: no second PUT, and no urgent.
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "normal")), ok(zendesk_shown(4411, "high")))
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "high")), method="PUT")
    access = zendesk(replay)
    calls = [apply_action(client, access, "4411", raise_priority=True, reassign_to=None,
                          from_priority="normal") for _ in range(2)]  # fmt: skip
    assert [call.delivered for call in calls] == [True, True]
    assert calls[1].reason == (
        "Zendesk ticket 4411: priority already high, left as it is; nothing to change"
    )
    assert replay.writes() == [("PUT", ZENDESK_TICKET, {"ticket": {"priority": "high"}})]


def test_zendesk_ticket_4411_retried_without_from_priority_would_be_raised_twice(
    replay: Replay, client: httpx.Client
) -> None:
    # why from_priority exists: stepping up what the ticket shows on the retry
    # (high, after the first PUT landed) goes to urgent
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "normal")), ok(zendesk_shown(4411, "high")))
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "high")), method="PUT")
    access = zendesk(replay)
    for _ in range(2):
        apply_action(client, access, "4411", raise_priority=True, reassign_to=None)
    assert [body["ticket"]["priority"] for _m, _p, body in replay.writes()] == ["high", "urgent"]


def test_zendesk_ticket_4411_raised_by_hand_to_urgent_is_never_lowered(
    replay: Replay, client: httpx.Client
) -> None:
    # fired at normal, so the raise wants high; an agent has since set urgent
    replay.route(ZENDESK_TICKET, ok(zendesk_shown(4411, "urgent")))
    result = apply_action(client, zendesk(replay), "4411", raise_priority=True,
                          reassign_to=None, from_priority="normal")  # fmt: skip
    assert result.delivered
    assert replay.writes() == []


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ticket", "from_priority", "reason"),
    [
        ("4411", "medium", "Zendesk ticket 4411: from_priority 'medium' is not a priority; "
                           "write one of low, normal, high, urgent"),
        ("../users", None, "Zendesk ticket ../users: the ticket id is not a number; it must "
                           "be the helpdesk's numeric id"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_before_any_request(
    replay: Replay, client: httpx.Client, ticket: str, from_priority: str | None, reason: str
) -> None:
    result = apply_action(client, zendesk(replay), ticket, raise_priority=True,
                          reassign_to=None, from_priority=from_priority)  # fmt: skip
    assert (result.delivered, result.retry, result.reason) == (False, False, reason)
    assert replay.calls == []
