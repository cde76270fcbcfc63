"""Escalation actions carried out in the helpdesk, through its API: raise a ticket's
priority one step, reassign it to a group by name, or both in one update.

:func:`apply_action` makes one attempt and returns a :class:`~charter.notify.Delivery`,
as an e-mail or a webhook does, so the outbox keeps and retries actions like messages:

- Zendesk: ``GET /api/v2/tickets/{id}.json`` for the priority, ``GET /api/v2/groups.json``
  (following ``next_page``) for the group, then one ``PUT /api/v2/tickets/{id}.json``
  with ``{"ticket": {"priority": ..., "group_id": ...}}``.
- Freshdesk: ``GET /api/v2/tickets/{id}``, ``GET /api/v2/groups?per_page=100&page=n``
  (until a short page), then one ``PUT /api/v2/tickets/{id}`` with ``{"priority": n,
  "group_id": g}`` (priorities 1 low, 2 medium, 3 high, 4 urgent).

Priorities run low < normal < high < urgent (Freshdesk's medium is normal); a raise is
one step and stops at urgent. A Zendesk ticket with no priority counts as normal, as the
importers read it, so a raise sets high. A raise never lowers a ticket: when it already
is at the level the raise asks, or above it (someone raised it by hand), its priority is
left alone. Group names match case-insensitively; an unknown one changes nothing.

Retried safely: the outbox may call again after an answer was lost, when the first PUT
may have landed. Stepping up the priority read then would raise twice (normal to high,
then high to urgent). So the caller stores the priority the ticket had when the level
fired and passes it as ``from_priority``: the raise sets ``step_up(from_priority)``,
whatever the ticket shows now, and a repeat finds it already there. A group is set by
id, which a repeat only sets again.

A 429 (with its ``Retry-After`` in ``retry_after``), a 408, a 5xx answer or no answer
is a failure a later try may get past; a refused login (401, 403), a ticket gone (404),
a refused update (400, 422) or an unknown group is not, and the reason names the
helpdesk, the ticket and what it answered.

>>> step_up("normal"), step_up("urgent"), step_up(None)
('high', 'urgent', 'high')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from charter.excerpt import excerpt
from charter.notify.delivery import Delivery
from charter.sync import freshdesk, zendesk
from charter.sync._http import retry_after_seconds
from charter.sync.freshdesk import FreshdeskAccess
from charter.sync.zendesk import ZendeskAccess

PRIORITIES = ("low", "normal", "high", "urgent")
NO_PRIORITY = "normal"  # what a ticket without one counts as (Zendesk leaves it empty)
RETRIED = frozenset({408, 429, 500, 502, 503, 504})
MOST_GROUP_PAGES = 100  # 10,000 groups; a listing longer than that is a broken cursor
_FRESHDESK_CODES = {1: "low", 2: "normal", 3: "high", 4: "urgent"}
_SHOWN = 200  # characters of a helpdesk's answer kept in a reason


class _Failed(Exception):
    """Ends an attempt with the delivery that says why."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery


def step_up(priority: str | None) -> str:
    """The priority one step above ``priority`` (a ticket without one counts as normal);
    urgent stays urgent."""
    rank = PRIORITIES.index(priority or NO_PRIORITY)
    return PRIORITIES[min(rank + 1, len(PRIORITIES) - 1)]


@dataclass(frozen=True)
class _Api:
    """One helpdesk's paths, credentials and shapes."""

    vendor: str
    base_url: str
    auth: httpx.BasicAuth
    credentials: str
    ticket_path: str
    groups: Callable[[_Api, httpx.Client, str], Iterator[dict[str, Any]]]
    priority_of: Callable[[Any], str | None]
    update: Callable[[str | None, int | None], dict[str, Any]]

    def url(self, path_or_url: str) -> str:
        """``path_or_url`` on this helpdesk's base: a next-page address is followed only
        on the configured host, so the credentials never go elsewhere."""
        parts = httpx.URL(path_or_url)
        query = f"?{parts.query.decode()}" if parts.query else ""
        return f"{self.base_url.rstrip('/')}{parts.path}{query}"


def apply_action(
    client: httpx.Client,
    access: ZendeskAccess | FreshdeskAccess,
    ticket_source_id: str,
    *,
    raise_priority: bool,
    reassign_to: str | None,
    from_priority: str | None = None,
) -> Delivery:
    """Carry out one escalation's action on one helpdesk ticket: one attempt, whose
    outcome says whether a later try may help. ``from_priority`` (low, normal, high,
    urgent) is the ticket's priority when the level fired, for a raise that stays one
    step however often it is retried. ``client`` is any client (its time-out applies);
    the address and credentials come from ``access``, and go nowhere else."""
    api = _api(access)
    where = f"{api.vendor} ticket {excerpt(ticket_source_id)}"
    problem = _argument_problem(ticket_source_id, from_priority)
    if problem:
        return Delivery.failed(f"{where}: {problem}", retry=False)
    try:
        return _apply(api, client, ticket_source_id, raise_priority, reassign_to, from_priority)
    except _Failed as failed:
        return failed.delivery


def _apply(
    api: _Api, client: httpx.Client, ticket: str, raise_priority: bool,
    reassign_to: str | None, from_priority: str | None,
) -> Delivery:  # fmt: skip
    where = f"{api.vendor} ticket {ticket}"
    priority, said = None, []
    if raise_priority:
        now = api.priority_of(_call(api, client, "GET", api.ticket_path.format(id=ticket), ticket))
        wanted = step_up(from_priority or now)
        if PRIORITIES.index(now or NO_PRIORITY) >= PRIORITIES.index(wanted):
            said.append(f"priority already {now or NO_PRIORITY}, left as it is")
        else:
            priority = wanted
            said.append(f"priority {now or 'none'} → {wanted}")
    group = _group(api, client, ticket, reassign_to) if reassign_to else None
    if group is not None:
        said.append(f"group → {excerpt(group[1])} (id {group[0]})")
    if priority is None and group is None:
        return Delivery.ok(f"{where}: {'; '.join(said) or 'no action asked'}; nothing to change")
    body = api.update(priority, group[0] if group else None)
    _call(api, client, "PUT", api.ticket_path.format(id=ticket), ticket, body)
    return Delivery.ok(f"{where}: {'; '.join(said)}")


def _argument_problem(ticket: str, from_priority: str | None) -> str | None:
    if not ticket.isascii() or not ticket.isdigit():
        return "the ticket id is not a number; it must be the helpdesk's numeric id"
    if from_priority is not None and from_priority not in PRIORITIES:
        return (
            f"from_priority {excerpt(from_priority)!r} is not a priority; "
            f"write one of {', '.join(PRIORITIES)}"
        )
    return None


def _group(api: _Api, client: httpx.Client, ticket: str, name: str) -> tuple[int, str]:
    """The id and name of the helpdesk's group called ``name`` in any case."""
    wanted = name.strip().casefold()
    names: list[str] = []
    for group in api.groups(api, client, ticket):
        if group.get("deleted") or not isinstance(group.get("id"), int):
            continue
        names.append(str(group.get("name") or ""))
        if names[-1].strip().casefold() == wanted:
            return int(group["id"]), names[-1]
    shown = ", ".join(excerpt(n, 40) for n in sorted(names, key=str.casefold)[:5]) or "none"
    more = f", … ({len(names)} in all)" if len(names) > 5 else ""
    raise _Failed(Delivery.failed(
        f"{api.vendor} ticket {ticket} left unchanged: {api.vendor} has no group named "
        f"{excerpt(name)!r}; its groups are {shown}{more}; name one of them in the level's "
        "reassign_to", retry=False,
    ))  # fmt: skip


def _call(
    api: _Api, client: httpx.Client, method: str, path: str, ticket: str,
    body: dict[str, Any] | None = None,
) -> Any:  # fmt: skip
    """The JSON answer to one request, or :class:`_Failed` saying what went wrong."""
    request = f"{method} {httpx.URL(path).path}"
    where = f"{api.vendor} ticket {ticket}"
    try:
        response = client.request(method, api.url(path), auth=api.auth, json=body,
                                  headers={"Accept": "application/json"})  # fmt: skip
    except httpx.TransportError as error:
        raise _Failed(Delivery.failed(
            f"{where}: no answer to {request} ({type(error).__name__}: "
            f"{excerpt(str(error), 120)})", retry=True,
        )) from None  # fmt: skip
    if response.status_code >= 300:
        raise _Failed(_refusal(api, response, request, where))
    try:
        return response.json() if response.content else None
    except ValueError:
        raise _Failed(Delivery.failed(
            f"{where}: the answer to {request} is not JSON: "
            f"{excerpt(response.text.strip(), 120)}", status=response.status_code, retry=False,
        )) from None  # fmt: skip


def _refusal(api: _Api, response: httpx.Response, request: str, where: str) -> Delivery:
    status = response.status_code
    answer = excerpt(response.text.strip(), _SHOWN)
    if status in RETRIED:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        asked = f", asked to wait {wait:g} s" if wait is not None else ""
        return Delivery.failed(f"{where}: {api.vendor} answered {status} to {request}{asked}",
                               status=status, retry=True, retry_after=wait)  # fmt: skip
    if status in (401, 403):
        reason = (f"{api.vendor} refused the credentials ({status} to {request}); check "
                  f"{api.credentials}, and that this agent may edit tickets")  # fmt: skip
    elif status == 404:
        reason = f"{api.vendor} has no such ticket (404 to {request}): deleted or merged"
    else:
        reason = f"{api.vendor} refused {request} with {status}: {answer}"
    return Delivery.failed(f"{where}: {reason}", status=status, retry=False)


def _zendesk_groups(api: _Api, client: httpx.Client, ticket: str) -> Iterator[dict[str, Any]]:
    url: str | None = "/api/v2/groups.json"
    for _ in range(MOST_GROUP_PAGES):
        if not url:
            return
        body = _call(api, client, "GET", url, ticket)
        body = body if isinstance(body, dict) else {}
        yield from (g for g in body.get("groups") or [] if isinstance(g, dict))
        url = body.get("next_page")  # offset pagination: no page[size] is asked for


def _freshdesk_groups(api: _Api, client: httpx.Client, ticket: str) -> Iterator[dict[str, Any]]:
    for page in range(1, MOST_GROUP_PAGES + 1):
        body = _call(api, client, "GET", f"/api/v2/groups?per_page=100&page={page}", ticket)
        groups = [g for g in body if isinstance(g, dict)] if isinstance(body, list) else []
        yield from groups
        if len(groups) < 100:
            return


def _zendesk_priority(body: Any) -> str | None:
    ticket = body.get("ticket") if isinstance(body, dict) else None
    value = ticket.get("priority") if isinstance(ticket, dict) else None
    return value if value in PRIORITIES else None


def _freshdesk_priority(body: Any) -> str | None:
    value = body.get("priority") if isinstance(body, dict) else None
    return _FRESHDESK_CODES.get(value) if isinstance(value, int) else None


def _zendesk_update(priority: str | None, group: int | None) -> dict[str, Any]:
    return {"ticket": _fields(priority, group)}


def _freshdesk_update(priority: str | None, group: int | None) -> dict[str, Any]:
    return _fields(PRIORITIES.index(priority) + 1 if priority else None, group)


def _fields(priority: str | int | None, group: int | None) -> dict[str, Any]:
    fields = {"priority": priority, "group_id": group}
    return {name: value for name, value in fields.items() if value is not None}


def _api(access: ZendeskAccess | FreshdeskAccess) -> _Api:
    if isinstance(access, ZendeskAccess):
        return _Api(
            "Zendesk", access.base_url,
            httpx.BasicAuth(f"{access.email}/token", access.api_token), zendesk.CREDENTIALS,
            "/api/v2/tickets/{id}.json", _zendesk_groups, _zendesk_priority, _zendesk_update,
        )  # fmt: skip
    return _Api(
        "Freshdesk", access.base_url, httpx.BasicAuth(access.api_key, "X"),
        freshdesk.CREDENTIALS, "/api/v2/tickets/{id}", _freshdesk_groups,
        _freshdesk_priority, _freshdesk_update,
    )  # fmt: skip
