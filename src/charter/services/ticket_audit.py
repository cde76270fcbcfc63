"""A ticket's audit trail, like a helpdesk's metric events: what its clocks, its
escalations and their messages did, in time order. The ticket page and
``GET /api/tickets/{id}/audit`` show the same rows, from ``ticket_audit``.

- **Clocks** (``charter.sla.clock_events``): each targeted metric's clock started,
  paused, resumed, breached (its due instant passed while it ran) and stopped, derived
  at ``now`` from the ticket's events under the version that judges it (the one in
  force when it was written, as ``charter.services.sla_state.judge`` chooses).
- **Escalations**: each level still planned (at its delivery instant, ahead of
  ``now``), each that fired (``escalation_firings``), each withdrawn with its reason.
- **Messages**: each message a fired level queued, with where it stands now (the
  outbox), and every try: sent, failed with its next try, dead-lettered, withdrawn.

Rows at one instant read clocks first, then escalations, then messages, each by level.
Instants in the words are in the business's timezone (``business_timezone``),
durations through ``charter.figures``.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> try:
...     ticket_audit(db, 1)
... except NotFound as error:
...     str(error).split(":")[0]
'ticket 1 not found'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from charter import figures
from charter.clock import utc_moment
from charter.errors import NotFound
from charter.policy.calendar import ALWAYS
from charter.policy.schema import Policy
from charter.services.lifecycle import (
    governing,
    judging_pilots,
    judging_versions,
    operating_version,
)
from charter.services.sla_state import pilot_spans
from charter.services.ticket_views import business_timezone
from charter.sla.clock_events import clock_events
from charter.sla.evaluate import REPEATING
from charter.store import Database, outbox
from charter.store import tickets as stored

LARGEST_ID = 2**63 - 1
CLOCK_KINDS = {"started": "clock started", "paused": "clock paused", "resumed": "clock resumed",
               "breached": "target breached", "stopped": "clock stopped"}  # fmt: skip
PLANNED, FIRED, QUEUED = "escalation planned", "escalation fired", "message queued"
_SOURCES = ("clock", "escalation", "message")  # the order of rows at one instant


@dataclass(frozen=True)
class AuditRow:
    """One thing that happened to a ticket (or, for a planned level, will)."""

    at: dt.datetime
    kind: str  # clock started ... clock stopped, escalation ..., message ...
    metric: str | None
    level: int | None
    words: str


@dataclass(frozen=True)
class AuditTrail:
    """A ticket's trail as of ``as_of``, the version that judges it (``None``: no
    version is in force) and the timezone the words write instants in."""

    ticket_id: int
    as_of: dt.datetime
    timezone: str
    version: str | None  # "larkfield version 3"
    rows: list[AuditRow]


def ticket_audit(
    database: Database, ticket_id: int, *, now: dt.datetime | None = None
) -> AuditTrail:
    """The audit trail of the stored ticket ``ticket_id`` at ``now`` (default: the
    clock); ``NotFound`` when no stored ticket has that id."""
    moment = utc_moment(now)
    if not 1 <= ticket_id <= LARGEST_ID:
        raise _missing(ticket_id)
    versions, pilots = judging_versions(database), judging_pilots(database)
    operating = operating_version(database)
    with database.reading() as session:
        data = stored.load(session, pl.Series([ticket_id]), store_ids=True).data
        if data.tickets.height == 0:
            raise _missing(ticket_id)
        plans = stored.plans_of(session, ticket_id)
        firings = stored.firings_of(session, ticket_id)
        audit = stored.audit_of(session, ticket_id)
        piloted = stored.pilot_tickets(session, pilot_spans(pilots), (ticket_id, ticket_id))
        messages = [_message_facts(m) for m in outbox.messages_of(session, ticket_id)]
    created = data.tickets["created_at"][0]
    judging = governing(versions, created)
    if piloted.height:  # a pilot's ticket is judged under the pilot version
        judging = next(v for v in pilots if v.id == piloted["version_id"][0])
    policy = judging.policy() if judging is not None else None
    zone = business_timezone(operating.policy() if operating is not None else policy)
    chains = _levels(policy, operating.policy() if operating is not None else None)
    words = _Words(policy, ZoneInfo(zone), chains, moment)
    rows = [(0, r) for r in words.clocks(clock_events(policy, data, moment))] if policy else []
    rows += [(1, words.planned(p)) for p in plans]
    rows += [(1, words.fired(f, messages)) for f in firings]
    rows += [(2, words.queued(m)) for m in messages]  # before their tries, at one instant
    rows += [(_SOURCES.index(_source(a["kind"])), words.recorded(a)) for a in audit
             if a["kind"] != FIRED]  # fmt: skip
    # At one instant: clocks, escalations, messages; each by level (lowest first), and
    # otherwise as listed (a message queued before its tries).
    ordered = [row for _, row in sorted(rows, key=lambda p: (p[1].at, p[0], p[1].level or 0))]
    named = f"{judging.slug} version {judging.number}" if judging is not None else None
    return AuditTrail(ticket_id, moment, zone, named, ordered)


def _missing(ticket_id: int) -> NotFound:
    return NotFound(
        f"ticket {ticket_id} not found: no stored ticket has that id (ids are Charter's own "
        "numbers, shown in the ticket list, not the helpdesk's)"
    )


def _source(kind: str) -> str:
    return "message" if kind.startswith("message") else "escalation"


def _message_facts(message: Any) -> dict[str, Any]:
    """What the trail says of an outbox row, read while its session is open."""
    names = ("metric", "level_id", "version_id", "channel", "recipient", "state", "tries",
             "next_try_at", "last_error", "created_at", "sent_at")  # fmt: skip
    return {name: getattr(message, name) for name in names}


def _levels(*policies: Policy | None) -> dict[tuple[str, str], tuple[int, str]]:
    """``(metric, level id) -> (level, threshold)`` of the escalation chains, the first
    policy's winning."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for policy in reversed(policies):
        if policy is not None:
            found |= {(e.metric, e.id): (e.level, str(e.at)) for e in policy.escalation}
    return found


class _Words:
    """The words of each row: instants in the business's zone, durations by figures."""

    def __init__(
        self,
        policy: Policy | None,
        zone: ZoneInfo,
        levels: dict[tuple[str, str], tuple[int, str]],
        now: dt.datetime,
    ) -> None:
        self.policy, self.zone, self.levels, self.now = policy, zone, levels, now

    def instant(self, at: dt.datetime | None) -> str:
        return figures.instant(at, self.zone)

    def clock_name(self, clock: str) -> str:
        if clock == ALWAYS:
            return "24x7"
        calendar = self.policy.calendar(clock) if self.policy is not None else None
        return calendar.name if calendar is not None and calendar.name else clock

    def clocks(self, events: pl.DataFrame) -> list[AuditRow]:
        return [self.clock(event) for event in events.iter_rows(named=True)]

    def clock(self, event: dict[str, Any]) -> AuditRow:
        kind, clock = event["kind"], event["clock"]
        business = clock != ALWAYS
        time = "business time" if business else "real time"
        length = figures.duration(event["seconds"], business=business)
        say = {
            "started": f"started on the {self.clock_name(clock)} clock",
            "paused": f"paused: the ticket is {str(event['status']).replace('_', ' ')}",
            "resumed": f"resumed after {length} paused ({time})",
            "breached": f"breached: due {self.instant(event['due_at'])} passed with the "
            f"clock running ({length} target, {time})",
            "stopped": f"stopped after {length} ({time}, pauses excluded): {event['verdict']}"
            + (f", due {self.instant(event['due_at'])}" if event["due_at"] else ""),
        }[kind]
        if event["metric"] in REPEATING:
            say = f"run {event['occurrence'] + 1}: {say}"
        return AuditRow(event["at"], CLOCK_KINDS[kind], event["metric"], None, say)

    def level(
        self, metric: str, level_id: str, number: int | None = None
    ) -> tuple[int | None, str]:
        known = self.levels.get((metric, level_id))
        level = number if number is not None else (known[0] if known else None)
        threshold = f" ({known[1]})" if known else ""
        return level, f"level {level if level is not None else level_id}{threshold}"

    def planned(self, plan: stored.DueLevel) -> AuditRow:
        level, name = self.level(plan.metric, plan.level_id, plan.level)
        if plan.deliver_at is None:  # as of now: it has no instant while the clock waits
            say, at = f"{name} planned; not due while the clock is paused", self.now
        elif plan.due_at is not None and plan.deliver_at > plan.due_at:
            say = (f"{name} planned: due {self.instant(plan.due_at)}, delivered at the next "
                   f"opening, {self.instant(plan.deliver_at)}")  # fmt: skip
            at = plan.deliver_at
        else:
            say, at = f"{name} planned: due {self.instant(plan.deliver_at)}", plan.deliver_at
        return AuditRow(at, PLANNED, plan.metric, level, say)

    def fired(self, firing: dict[str, Any], messages: list[dict[str, Any]]) -> AuditRow:
        level, name = self.level(firing["metric"], firing["level_id"])
        sent = sum(
            (m["metric"], m["level_id"], m["version_id"])
            == (firing["metric"], firing["level_id"], firing["version_id"])
            for m in messages
        )
        say = f"{name} fired, due {self.instant(firing['due_at'])}; " + _messages(sent)
        return AuditRow(firing["fired_at"], FIRED, firing["metric"], level, say)

    def recorded(self, row: dict[str, Any]) -> AuditRow:
        level, _ = self.level(row["metric"], row["level_id"]) if row["level_id"] else (None, "")
        return AuditRow(row["at"], row["kind"], row["metric"], level, row["detail"])

    def queued(self, message: dict[str, Any]) -> AuditRow:
        level, name = self.level(message["metric"], message["level_id"])
        state, tries = message["state"], message["tries"]
        now = {
            "pending": f"waiting, next try {self.instant(message['next_try_at'])}",
            "sent": f"sent {self.instant(message['sent_at'])}",
            "dead": f"dead-lettered: {message['last_error']}",
            "withdrawn": f"withdrawn: {message['last_error']}",
        }.get(state, state)
        say = (f"{message['channel']} to {message['recipient']} for {name}; now {now}"
               f" ({figures.count(tries)} {'try' if tries == 1 else 'tries'})")  # fmt: skip
        return AuditRow(message["created_at"], QUEUED, message["metric"], level, say)


def _messages(count: int) -> str:
    return f"{figures.count(count)} message{'' if count == 1 else 's'}"
