"""Escalations, live: keep each open ticket's plan, fire due levels once, deliver.

- ``keep_plan`` runs inside each SLA recompute (``charter.services.sla_state``): the
  tickets just judged get their levels planned afresh and compared with the stored
  plan (``charter.sla.replan``); levels no longer wanted are withdrawn with a reason in
  the ticket's audit trail.
- ``fire_due`` takes the planned levels whose delivery instant has come, a batch per
  transaction (claimed with ``SKIP LOCKED`` on PostgreSQL), and fires each once: its
  key (ticket, metric, level, version) and its messages go into the database together
  (a transactional outbox), so a level whose key is there already sends nothing.
- ``deliver_due`` sends the outbox's due messages (e-mail over SMTP, signed webhooks,
  actions in the helpdesk) and records each try; a failure is tried again on the
  back-off schedule (``charter.notify.retry``), then dead-lettered.

Who is notified, and whether a level still applies, is read from the version in force
at firing and again at delivery: a level switched off sends nothing afterwards, even a
message already in the outbox (it is marked withdrawn). The ticket's promise (rule,
target, due instant) is that of the version that judges it.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx2 as httpx
import polars as pl

from charter import clock
from charter.config import Settings
from charter.errors import ConfigError, InvalidInput
from charter.figures import instant
from charter.hours import OpeningHours
from charter.notify import (
    Delivery,
    Email,
    Fact,
    Mailer,
    Notice,
    RetryPolicy,
    WebhookEndpoint,
    compose,
    compose_facts,
    next_try,
    payload,
    send_webhook,
    smtp_settings,
)
from charter.policy.calendar import ALWAYS
from charter.policy.clock import opening_hours
from charter.policy.schema import Policy
from charter.policy.service_level import EscalationLevel, Target
from charter.services.lifecycle import (
    Version,
    judging_pilots,
    judging_versions,
    operating_version,
)
from charter.sla.replan import replan
from charter.store import Database, outbox
from charter.store import tickets as stored
from charter.sync.actions import apply_action
from charter.sync.freshdesk import FreshdeskAccess
from charter.sync.zendesk import ZendeskAccess

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


FIRE_BATCH = 500  # levels fired per transaction
LANES = 4  # messages sent at once on PostgreSQL, each lane with its own SMTP connection
BATCH = 50  # messages a lane claims at once
ACTION_TIMEOUT = 30.0  # seconds per request to a helpdesk's API
WITHDRAWN = "escalation withdrawn"


def keep_plan(
    session: Session,
    tickets: stored.Selection,
    fresh: pl.DataFrame,
    chain: pl.DataFrame,
    now: dt.datetime,
) -> int:
    """Replace the stored plan of ``tickets`` with their ``fresh`` one (``judge``'s
    plan), withdrawing what is no longer wanted; ``chain`` is the ``level_table`` of the
    version in force. The number of levels withdrawn."""
    result = replan(
        stored.stored_plans(session, tickets), fresh, chain, stored.fired_keys(session, tickets)
    )
    stored.replace_plans(session, tickets, result.live)
    gone = result.withdrawn
    stored.add_audit(
        session,
        gone.select(
            "ticket_id",
            pl.lit(now).dt.cast_time_unit("us").alias("at"),
            pl.lit(WITHDRAWN).alias("kind"),
            "metric",
            "level_id",
            pl.concat_str(
                pl.lit("level "),
                pl.col("level").cast(pl.String),
                pl.lit(" withdrawn: "),
                pl.col("reason"),
            ).alias("detail"),
        ),
    )
    return gone.height


@dataclass(frozen=True)
class Fired:
    """What one ``fire_due`` did: levels fired, levels found fired already (another
    worker got there first), levels withdrawn because the version in force dropped them."""

    fired: int = 0
    already: int = 0
    withdrawn: int = 0


def fire_due(
    database: Database, settings: Settings, *, worker: str, now: dt.datetime | None = None
) -> Fired:
    """Fire every planned level due at ``now``, each exactly once."""
    moment = clock.utc_moment(now)
    operating = operating_version(database)
    if operating is None:
        return Fired()
    chain: dict[tuple[str, str], EscalationLevel] = {
        (e.metric, e.id): e for e in operating.policy().escalation
    }
    versions = _Versions(database)
    fired = already = withdrawn = 0
    while True:
        with database.transaction() as session:
            due = stored.claim_due(session, moment, FIRE_BATCH)
            tickets = stored.firing_tickets(session, [level.ticket_id for level in due])
            firings, messages, audit, gone = [], {}, {}, []
            for level in due:
                key = (level.ticket_id, level.metric, level.level_id)
                definition = chain.get((level.metric, level.level_id))
                built = None
                if definition is not None:
                    ticket = tickets.get(level.ticket_id)
                    built = _messages(level, definition, ticket, versions, settings, moment)
                if definition is None or built is None:
                    why = "level removed" if definition is None else "target removed"
                    gone.append(_withdrawn(level, moment, why))
                    continue
                firings.append(
                    {"ticket_id": level.ticket_id, "metric": level.metric,
                     "level_id": level.level_id, "version_id": level.version_id,
                     "fired_at": moment, "due_at": level.due_at,
                     "deliver_at": level.deliver_at, "worker": worker}
                )  # fmt: skip
                messages[key] = built
                count = f"{len(built)} message{'s' if len(built) != 1 else ''}"
                words = f"level {level.level} ({definition.at}) fired; {count}"
                audit[key] = [{"ticket_id": level.ticket_id, "at": moment,
                               "kind": "escalation fired", "metric": level.metric,
                               "level_id": level.level_id, "detail": words}]  # fmt: skip
            written = stored.fire_batch(session, firings, due, messages, audit)
            stored.add_audit(session, pl.DataFrame(gone, schema=_AUDIT_SCHEMA))
        fired += len(written)
        already += len(firings) - len(written)
        withdrawn += len(gone)
        if len(due) < FIRE_BATCH:
            return Fired(fired, already, withdrawn)


def _withdrawn(level: stored.DueLevel, at: dt.datetime, reason: str) -> dict[str, Any]:
    return {"ticket_id": level.ticket_id, "at": at, "kind": WITHDRAWN, "metric": level.metric,
            "level_id": level.level_id,
            "detail": f"level {level.level} withdrawn: {reason}"}  # fmt: skip


class _Versions:
    """Policies of the versions plans name, parsed once per call."""

    def __init__(self, database: Database) -> None:
        judging = [*judging_versions(database), *judging_pilots(database)]  # pilots plan too
        self._by_id: dict[int, Version] = {v.id: v for v in judging}

    def policy(self, version_id: int) -> Policy | None:
        version = self._by_id.get(version_id)
        return version.policy() if version is not None else None

    @cache  # noqa: B019 - one call's versions, dropped with it
    def hours(self, version_id: int, calendar: str, year: int) -> OpeningHours:
        policy = self.policy(version_id)
        assert policy is not None
        return opening_hours(policy, calendar, years=range(year - 1, year + 2))


def _messages(
    level: stored.DueLevel,
    definition: EscalationLevel,
    ticket: stored.FiringTicket | None,
    versions: _Versions,
    settings: Settings,
    now: dt.datetime,
) -> list[dict[str, Any]] | None:
    """The outbox rows for one firing: an e-mail per address, a webhook when one is set,
    and the level's action in the helpdesk; None when the ticket's version no longer
    sets the target the level watches."""
    policy = versions.policy(level.version_id)
    notice = _notice(level, definition, ticket, versions, settings, now)
    if notice is None:
        return None
    base = {"ticket_id": level.ticket_id, "metric": level.metric, "level_id": level.level_id,
            "version_id": level.version_id, "created_at": now, "tries": 0,
            "next_try_at": now, "state": "pending", "last_error": None}  # fmt: skip
    rows = []
    for name in definition.notify:
        address = name if "@" in name else _role_address(policy, name)
        if address is None:
            rows.append({**base, "channel": "email", "recipient": name, "payload": notice,
                         "state": "dead", "next_try_at": None,
                         "last_error": f"role '{name}' has no e-mail address; add email: to it "
                         "under staff.roles in the policy"})  # fmt: skip
        else:
            rows.append({**base, "channel": "email", "recipient": address, "payload": notice})
    if settings.webhook_url:
        rows.append({**base, "channel": "webhook", "recipient": settings.webhook_url,
                     "payload": notice})  # fmt: skip
    action = definition.action
    if action is not None and (action.raise_priority or action.reassign_to):
        words = ", ".join(
            (["raise priority"] if action.raise_priority else [])
            + ([f"reassign to {action.reassign_to}"] if action.reassign_to else [])
        )
        rows.append({**base, "channel": "action", "recipient": words,
                     "payload": {"notice": notice,
                                 "source": ticket.source if ticket else None,
                                 "source_id": ticket.source_id if ticket else None,
                                 "raise_priority": action.raise_priority,
                                 "reassign_to": action.reassign_to,
                                 "from_priority": ticket.priority if ticket else None,
                                 }})  # fmt: skip
    return rows


def _role_address(policy: Policy | None, role: str) -> str | None:
    staff = policy.staff if policy is not None else None
    return staff.address_of(role) if staff is not None else None


def _notice(
    level: stored.DueLevel,
    definition: EscalationLevel,
    ticket: stored.FiringTicket | None,
    versions: _Versions,
    settings: Settings,
    now: dt.datetime,
) -> dict[str, Any] | None:
    """The notice's facts as JSON, written once at firing and read at each try."""
    policy = versions.policy(level.version_id)
    rules = policy.service_levels.rules if policy is not None else []
    rule = next((r for r in rules if r.id == level.rule_id), None)
    target = rule.targets.get(level.metric) if rule is not None else None  # type: ignore[call-overload]
    if rule is None or target is None:
        return None
    due = (ticket.due.get(level.metric) if ticket else None) or level.due_at or now
    zone, left = None, (due - now).total_seconds()
    if target.clock != ALWAYS:
        hours = versions.hours(level.version_id, target.clock, due.year)
        zone = hours.timezone
        left = hours.elapsed(now, due) if now <= due else -hours.elapsed(due, now)
    base = settings.base_url.rstrip("/") if settings.base_url else None
    return {
        "ticket_id": ticket.source_id if ticket is not None else str(level.ticket_id),
        "rule_id": level.rule_id or "",
        "rule_name": rule.name,
        "metric": level.metric,
        "target": target.model_dump(mode="json"),
        "clause_id": f"service_levels.rules.{level.rule_id}",
        "level": level.level,
        "threshold": str(definition.at),
        "due_at": due.astimezone(dt.UTC).isoformat(),
        "left_seconds": float(left),
        "ticket_url": f"{base}/tickets/{level.ticket_id}" if base else None,
        "base_url": base,
        "zone": zone,
    }


def notice_of(data: dict[str, Any]) -> Notice:
    """The ``Notice`` an outbox row's payload holds."""
    return Notice(
        ticket_id=data["ticket_id"],
        rule_id=data["rule_id"],
        rule_name=data.get("rule_name"),
        metric=data["metric"],
        target=Target.model_validate(data["target"]),
        clause_id=data["clause_id"],
        level=data["level"],
        threshold=data["threshold"],
        due_at=dt.datetime.fromisoformat(data["due_at"]),
        left_seconds=data["left_seconds"],
        ticket_url=data.get("ticket_url"),
        base_url=data.get("base_url"),
        zone=ZoneInfo(data["zone"]) if data.get("zone") else None,
    )


@dataclass(frozen=True)
class Delivered:
    """What one ``deliver_due`` did, by outcome."""

    sent: int = 0
    failed: int = 0  # failed, to be tried again
    dead: int = 0  # failed their last try, or a failure no try gets past
    withdrawn: int = 0
    reasons: list[str] = field(default_factory=list)


def deliver_due(
    database: Database, settings: Settings, *, now: dt.datetime | None = None
) -> Delivered:
    """Send every outbox message due at ``now``; record each try.

    Messages are claimed ``BATCH`` at a time (on PostgreSQL in ``LANES`` lanes at once,
    each with its own SMTP connection) and locked until the batch's outcomes are written.
    Each try's audit row is written as soon as the server answers, on a connection of
    its own: the receipt that makes a worker stopped mid-batch harmless. What it sent
    and did not mark is found by its receipt and marked sent, not sent again; what it
    claimed and did not send is released with its locks and goes with another worker.
    So a worker stopped at any point sends again, at most, the one message per lane
    whose acceptance it was writing down.
    """
    moment = clock.utc_moment(now)
    operating = operating_version(database)
    live = {(e.metric, e.id) for e in operating.policy().escalation} if operating else set()
    channels = _Channels(settings)
    lanes = LANES if database.dialect == "postgresql" else 1

    def lane(_: int) -> Delivered:
        totals = {"sent": 0, "failed": 0, "dead": 0, "withdrawn": 0}
        reasons: list[str] = []
        with channels.mailer() as mailer, database.autocommit() as receipts:
            while True:
                with database.transaction() as session:  # holds the batch's locks
                    batch = outbox.claim(session, moment, BATCH)
                    for message in batch:
                        if message.accepted_at is not None:  # sent, but not marked
                            message.state, message.sent_at = "sent", message.accepted_at
                            message.tries, message.next_try_at = message.tries + 1, None
                            message.last_error = None
                            totals["sent"] += 1
                            continue
                        result = None
                        if message.purpose != "escalation" or (
                            (message.metric, message.level_id) in live
                        ):
                            result = channels.send(message, moment, mailer)
                        outcome = _record(message, result, channels.retries, moment)
                        outbox.record_try(receipts, _audit(message, outcome, result, moment))
                        totals[outcome] += 1
                        if result is not None and not result.delivered and len(reasons) < 5:
                            reasons.append(
                                f"{message.channel} to {message.recipient}: {result.reason}"
                            )
                    outbox.mark(session, batch)
                if len(batch) < BATCH:
                    return Delivered(**totals, reasons=reasons)

    with ThreadPoolExecutor(max_workers=lanes) as pool:
        done = list(pool.map(lane, range(lanes)))
    return Delivered(
        sent=sum(d.sent for d in done),
        failed=sum(d.failed for d in done),
        dead=sum(d.dead for d in done),
        withdrawn=sum(d.withdrawn for d in done),
        reasons=[r for d in done for r in d.reasons][:5],
    )


_AUDIT_SCHEMA: dict[str, Any] = {
    "ticket_id": pl.Int64, "at": pl.Datetime("us", "UTC"), "kind": pl.String,
    "metric": pl.String, "level_id": pl.String, "detail": pl.String,
}  # fmt: skip


def _record(
    message: outbox.Claimed, result: Delivery | None, retries: RetryPolicy, at: dt.datetime
) -> str:
    """Write one try's outcome on the message; the outcome's name."""
    if result is None:  # its level was switched off before it went
        message.state, message.next_try_at = "withdrawn", None
        message.last_error = "level removed from the escalation chain before delivery"
        return "withdrawn"
    message.tries += 1
    if result.delivered:
        message.state, message.sent_at, message.next_try_at = "sent", at, None
        message.last_error = None
        return "sent"
    message.last_error = result.reason
    later = next_try(retries, message.tries, at, retry=result.retry, retry_after=result.retry_after)
    if later is None:
        message.state, message.next_try_at = "dead", None
        return "dead"
    message.next_try_at = later
    return "failed"


def _audit(
    message: outbox.Claimed, outcome: str, result: Delivery | None, at: dt.datetime
) -> dict[str, Any]:
    kind = {"sent": outbox.SENT, "failed": "message failed", "dead": "message dead-lettered",
            "withdrawn": "message withdrawn"}[outcome]  # fmt: skip
    words = f"{message.channel} to {message.recipient}"
    if result is not None:
        words += f" (try {message.tries}): {result.reason}"
    if outcome == "failed" and message.next_try_at is not None:
        # In UTC: the row is stored once and read on pages in other zones.
        words += f"; next try {instant(message.next_try_at)}"
    return {"ticket_id": message.ticket_id, "at": at, "kind": kind, "metric": message.metric,
            "level_id": message.level_id, "detail": words, "outbox_id": message.id}  # fmt: skip


class _Channels:
    """The configured ways out: SMTP, the webhook endpoint, the helpdesks' APIs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.smtp = smtp_settings(settings)
        self.retries = RetryPolicy()
        self.endpoint = (
            WebhookEndpoint(url=settings.webhook_url, secret=settings.webhook_secret)
            if settings.webhook_url and settings.webhook_secret
            else None
        )

    def mailer(self) -> Mailer | _NoMailer:
        """A connection to the SMTP server for one lane (none when none is set)."""
        return Mailer(self.smtp) if self.smtp is not None else _NoMailer()

    def send(
        self, message: outbox.Claimed, at: dt.datetime, mailer: Mailer | _NoMailer
    ) -> Delivery:
        """One try of ``message``."""
        if message.channel == "email":
            built = self._email(message, at)
            return built if isinstance(built, Delivery) else mailer.send(built)
        if message.channel == "webhook":
            return self._webhook(message, at)
        return self._action(message)

    def _email(self, message: outbox.Claimed, at: dt.datetime) -> Email | Delivery:
        if self.smtp is None:
            return _no_smtp()
        sender = self.smtp.from_address
        domain = sender.rpartition("@")[2].strip("> ") or "charter.invalid"
        try:
            if message.purpose != "escalation":  # training or review: facts in the payload
                data = message.payload
                facts = [self._linked(f) for f in data["facts"]]
                return compose_facts(
                    data["headline"], facts, data["footer"], sender, [message.recipient],
                    sent_at=at, message_id=f"<charter-outbox-{message.id}@{domain}>",
                )  # fmt: skip
            return compose(
                notice_of(message.payload),
                sender,
                [message.recipient],
                sent_at=at,
                message_id=f"<charter-outbox-{message.id}@{domain}>",
            )
        except InvalidInput as error:
            return Delivery.failed(str(error), retry=False)

    def _linked(self, fact: dict[str, Any]) -> Fact:
        """A payload's fact; a page of Charter's (a path) becomes a link to it on Charter's
        own address (``CHARTER_BASE_URL``), and stays the path as text without one."""
        href = fact.get("href")
        if not (href and href.startswith("/")):
            return Fact(fact["label"], fact["text"], href)
        if not self.settings.base_url:
            return Fact(fact["label"], fact["text"], None)
        address = self.settings.base_url.rstrip("/") + href
        return Fact(fact["label"], address if fact["text"] == href else fact["text"], address)

    def _webhook(self, message: outbox.Claimed, at: dt.datetime) -> Delivery:
        if self.endpoint is None:
            return Delivery.failed(
                "no webhook secret is set; set CHARTER_WEBHOOK_SECRET", retry=False
            )
        body = payload(notice_of(message.payload), at)
        return send_webhook(self.endpoint, f"msg_charter_{message.id}", body, at)

    def _action(self, message: outbox.Claimed) -> Delivery:
        data = message.payload
        source, ticket = data.get("source"), data.get("source_id")
        try:
            access = self._access(source)
        except ConfigError as error:
            return Delivery.failed(str(error), retry=False)
        if access is None or not ticket:
            return Delivery.failed(
                f"ticket {ticket or message.ticket_id} came from {source!r}, which Charter "
                "reads from a file, not a helpdesk's API: actions need tickets synced from "
                "Zendesk or Freshdesk (charter sync)",
                retry=False,
            )
        with httpx.Client(timeout=ACTION_TIMEOUT) as client:
            return apply_action(
                client,
                access,
                str(ticket),
                raise_priority=bool(data.get("raise_priority")),
                reassign_to=data.get("reassign_to"),
                from_priority=data.get("from_priority"),
            )

    def _access(self, source: str | None) -> ZendeskAccess | FreshdeskAccess | None:
        """The helpdesk API a ticket of ``source`` is changed through; ``ConfigError``
        naming the settings when they are missing."""
        s = self.settings
        if source == "zendesk":
            return ZendeskAccess.of(
                s.zendesk_subdomain, s.zendesk_email, s.zendesk_api_token, s.zendesk_base_url
            )
        if source == "freshdesk":
            return FreshdeskAccess.of(s.freshdesk_domain, s.freshdesk_api_key, s.freshdesk_base_url)
        return None


def _no_smtp() -> Delivery:
    return Delivery.failed(
        "no SMTP server is set; set CHARTER_SMTP_HOST and CHARTER_SMTP_FROM_ADDRESS", retry=True
    )


class _NoMailer:
    """What a lane sends e-mail with when no SMTP server is set."""

    def send(self, message: Email) -> Delivery:
        return _no_smtp()

    def __enter__(self) -> _NoMailer:
        return self

    def __exit__(self, *_: object) -> None:
        return None
