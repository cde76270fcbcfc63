"""What the tickets pages show: a page of tickets, or one ticket with the rule behind it.

Instants are stored in UTC; staff read them in the business's own time as well. The
business's timezone is the timezone of the first calendar of the operating policy
(``charter.services.lifecycle.operating_version``), or UTC when no policy is
published or it names no calendar.

A ticket's SLA state records the policy version it was computed under and the rule
that applied (first match wins). ``ticket_view`` names that version (which may be
older than the one operating now, until the next recompute) and the rule's targets
as that version wrote them.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> listed = ticket_list(db, channel="email")
>>> listed.timezone, listed.page.total, listed.policy
('UTC', 0, None)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from charter.errors import PolicyError
from charter.policy.cache import load_cached
from charter.policy.calendar import ALWAYS
from charter.policy.schema import Policy
from charter.policy.service_level import METRICS, Rule
from charter.services.lifecycle import operating_version
from charter.services.ticket_detail import TicketDetail, get_ticket
from charter.services.ticket_queries import Page, list_tickets
from charter.store import Database
from charter.store import tickets as stored

UTC = "UTC"


@dataclass(frozen=True)
class VersionRef:
    """A policy version as pages name it: ``larkfield version 3 (published)``."""

    slug: str
    number: int
    status: str


@dataclass(frozen=True)
class TicketList:
    """A page of tickets, the metrics that have a state on it, and whose time it is."""

    page: Page
    timezone: str
    metrics: list[str]
    policy: VersionRef | None


@dataclass(frozen=True)
class RuleTarget:
    """One metric's promise as the policy wrote it: ``4 business hours`` on a clock."""

    within: str
    clock: str
    attainment: float | None


@dataclass(frozen=True)
class AppliedRule:
    """The service-level rule that governed a ticket, in the version it was judged by."""

    id: str
    name: str | None
    targets: dict[str, RuleTarget]

    @property
    def clause(self) -> str:
        """The rule's clause id, the handbook's anchor for it."""
        return f"service_levels.rules.{self.id}"


@dataclass(frozen=True)
class TicketView:
    """A ticket in full, the version its SLA state was computed under, and its rule."""

    ticket: TicketDetail
    timezone: str
    computed_at: dt.datetime | None  # None: the ticket has no SLA state
    version: VersionRef | None
    rule: AppliedRule | None


def ticket_list(
    database: Database,
    *,
    sla_status: str | None = None,
    channel: str | None = None,
    team: str | None = None,
    page: int = 1,
    per_page: int = 50,
    order: str = "due",
    descending: bool = False,
    **narrower: Any,
) -> TicketList:
    """Page ``page`` of the stored tickets the filters keep, sorted by ``order``
    (unsolved and soonest due first by default); ``narrower`` passes
    ``list_tickets``'s other filters (priority, worst, open_only, days, narrower)."""
    found = list_tickets(
        database, sla_status=sla_status, channel=channel, team=team, page=page,
        per_page=per_page, order=order, descending=descending, **narrower,
    )  # fmt: skip
    present = {metric for row in found.items for metric in row.sla}
    operating = operating_version(database)
    policy = _policy(operating.text) if operating is not None else None
    return TicketList(
        page=found,
        timezone=business_timezone(policy),
        metrics=[metric for metric in METRICS if metric in present],
        policy=VersionRef(operating.slug, operating.number, operating.status)
        if operating is not None
        else None,
    )


def ticket_choices(database: Database) -> dict[str, list[stored.Choice]]:
    """The values the list's channel, priority, team and assignee filters offer: those
    the stored tickets have, one per value whatever its case."""
    with database.reading() as session:
        return stored.choices(session)


def own_names(email: str, name: str) -> tuple[str, ...]:
    """The assignee values that are this person ("my tickets"): Charter's accounts are
    not linked to the helpdesk's agents, so a ticket is someone's when its assignee is
    their e-mail address or their name, whatever the case (docs/tickets-view.md).

    >>> own_names("Ana@Example.com", " Ana Lima ")
    ('Ana@Example.com', 'Ana Lima')
    """
    return tuple(dict.fromkeys(n.strip() for n in (email, name) if n.strip()))


def ticket_view(database: Database, ticket_id: int) -> TicketView:
    """The stored ticket with this id; ``NotFound`` (with the reason) when there is none."""
    ticket = get_ticket(database, ticket_id)
    operating = operating_version(database)
    timezone = business_timezone(_policy(operating.text) if operating is not None else None)
    # The state row, even one whose metrics are all empty (no rule matched), and the
    # version it names (gone when its policy was deleted since).
    with database.reading() as session:
        found = stored.sla_state_version(session, ticket.id)
    if found is None:
        return TicketView(ticket, timezone, None, None, None)
    judged = found.version
    if judged is None:
        return TicketView(ticket, timezone, found.computed_at, None, _rule(None, found.rule_id))
    version = VersionRef(judged.slug, judged.number, judged.status)
    rule = _rule(_policy(judged.text), found.rule_id)
    return TicketView(ticket, timezone, found.computed_at, version, rule)


def business_timezone(policy: Policy | None) -> str:
    """The timezone staff read instants in: the policy's first calendar's, else UTC."""
    if policy is None or not policy.calendars:
        return UTC
    return policy.calendars[0].timezone


def _policy(text: str) -> Policy | None:
    """The policy a stored version's text holds (versions are immutable once submitted,
    so the text decides it), or None when it no longer loads."""
    try:
        return load_cached(text, "stored version").policy
    except PolicyError:
        return None


def _rule(policy: Policy | None, rule_id: str | None) -> AppliedRule | None:
    if rule_id is None:
        return None
    rules = policy.service_levels.rules if policy is not None else []
    rule = next((r for r in rules if r.id == rule_id), None)
    if policy is None or rule is None:
        return AppliedRule(rule_id, None, {})
    return AppliedRule(rule.id, rule.name, _targets(policy, rule))


def _targets(policy: Policy, rule: Rule) -> dict[str, RuleTarget]:
    targets: dict[str, RuleTarget] = {}
    for metric, target in rule.targets.items():
        calendar = policy.calendar(target.clock)
        clock = "24x7" if target.clock == ALWAYS else (calendar.name if calendar else None)
        within = target.within.words(business=target.clock != ALWAYS)
        targets[metric] = RuleTarget(within, clock or target.clock, target.attainment)
    return targets
