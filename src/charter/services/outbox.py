"""The outbox seen from outside: its dead letters, retrying them, and its health.

- ``messages`` lists the messages in one state (dead letters by default), with how
  many there are in all.
- ``retry_dead`` puts dead letters (some ids, or all) back in line: each is tried at
  the worker's next tick with a fresh set of tries, and its ticket's audit trail says
  who asked. An e-mail to a role that had no address is sent to the address the
  policy in force now gives the role; while the role still has none it stays dead.
- ``health`` is what ``GET /api/health`` reports: each worker's last tick, the oldest
  undelivered message and the messages by state.

>>> Message.__dataclass_fields__.keys() >= {"id", "ticket", "recipient", "last_error"}
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from charter import clock
from charter.errors import Conflict, InvalidInput, NotFound
from charter.policy.schema import Policy
from charter.services.lifecycle import operating_version
from charter.store import Database, outbox
from charter.store import tickets as stored

if TYPE_CHECKING:
    from charter.store.models import OutboxMessage

STATES: tuple[str, ...] = tuple(outbox.OUTBOX_STATES)
LISTED = ("dead", "pending", "sent")  # the states a person lists
MAX_LISTED = 1000  # the most messages one list shows
MAX_IDS = 1000  # the most ids one retry names
LARGEST_ID = 2**31 - 1  # outbox ids are 32-bit: a larger one names no message
MAX_PAGE = 1_000_000  # further than anyone pages, and no overflow
RETRIED = "message retried"


@dataclass(frozen=True)
class Message:
    """One outbox message as a person reads it. ``ticket_id`` is Charter's number,
    ``ticket`` the helpdesk's id; ``level`` the escalation level's number. A training
    message (``purpose`` ``training``) names no ticket: its metric is ``training``."""

    id: int
    ticket_id: int | None
    ticket: str
    purpose: str
    metric: str
    level_id: str
    level: int | None
    channel: str
    recipient: str
    state: str
    tries: int
    last_error: str | None
    created_at: dt.datetime
    next_try_at: dt.datetime | None
    sent_at: dt.datetime | None


@dataclass(frozen=True)
class Listing:
    """Up to ``limit`` messages in ``state``, of ``total`` there are, from page ``page``
    (``limit`` a page)."""

    state: str
    messages: list[Message]
    total: int
    limit: int
    page: int = 1

    @property
    def pages(self) -> int:
        return -(-self.total // self.limit)


def messages(database: Database, state: str = "dead", limit: int = 100, page: int = 1) -> Listing:
    """The messages in ``state``, ``limit`` a page: dead letters newest first, pending
    ones in the order they will be tried, sent ones newest first."""
    if state not in LISTED:
        raise InvalidInput(
            f"state {state[:20]!r} is not one to list; use {', '.join(LISTED)}",
            [{"field": "state", "problem": "not a listed state"}],
        )
    if not 1 <= limit <= MAX_LISTED:
        raise InvalidInput(
            f"limit {limit} is out of range; ask for 1 to {MAX_LISTED:,} messages",
            [{"field": "limit", "problem": f"not 1 to {MAX_LISTED}"}],
        )
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput(
            f"page {page} is out of range; pages are numbered from 1",
            [{"field": "page", "problem": f"not 1 to {MAX_PAGE}"}],
        )
    with database.reading() as session:
        rows = outbox.in_state(session, state, limit, (page - 1) * limit)
        total = outbox.counts(session).get(state, 0)
    found = [_message(m) for m in rows]
    return Listing(state=state, messages=found, total=total, limit=limit, page=page)


def _message(row: OutboxMessage) -> Message:
    notice: dict[str, Any] = row.payload.get("notice", row.payload) if row.payload else {}
    level = notice.get("level")
    return Message(
        id=row.id,
        ticket_id=row.ticket_id,
        ticket=str(notice.get("ticket_id") or row.ticket_id or ""),
        purpose=row.purpose,
        metric=row.metric,
        level_id=row.level_id,
        level=int(level) if isinstance(level, int) else None,
        channel=row.channel,
        recipient=row.recipient,
        state=row.state,
        tries=row.tries,
        last_error=row.last_error,
        created_at=row.created_at,
        next_try_at=row.next_try_at,
        sent_at=row.sent_at,
    )


@dataclass(frozen=True)
class Retried:
    """What ``retry_dead`` did: the ids put back in line, and those left dead with why."""

    retried: list[int]
    kept: dict[int, str]


def retry_dead(
    database: Database,
    ids: Sequence[int] | None,
    *,
    who: str,
    now: dt.datetime | None = None,
) -> Retried:
    """Put the dead letters ``ids`` (None: every dead letter) back in line to be tried
    at ``now`` with a fresh set of tries. Ids that are not dead letters are refused
    together, and nothing is retried."""
    moment = clock.utc_moment(now)
    if ids is not None:
        _check_ids(database, ids)
    operating = operating_version(database)
    policy = operating.policy() if operating is not None else None
    with database.transaction() as session:
        candidates = outbox.dead(session, ids)
        kept = {m.id: why for m in candidates if (why := _readdress(m, policy)) is not None}
        retried = [m for m in candidates if m.id not in kept]
        outbox.requeue(retried, moment)
        stored.add_audit(session, _audit(retried, who, moment))
    return Retried(retried=sorted(m.id for m in retried), kept=kept)


def _check_ids(database: Database, ids: Sequence[int]) -> None:
    """Refuse ids that name no message, or a message that is not a dead letter."""
    if not ids:
        raise InvalidInput("name the dead letters to retry by id, or retry them all")
    if len(ids) > MAX_IDS:
        raise InvalidInput(f"{len(ids):,} ids is too many at once; name at most {MAX_IDS:,}, "
                           "or retry them all")  # fmt: skip
    beyond = sorted({i for i in ids if not 0 < i <= LARGEST_ID})
    if beyond:
        raise NotFound(
            f"no outbox message {_ids(beyond)}; `charter outbox list` shows the dead letters"
        )
    with database.reading() as session:
        states = outbox.states_of(session, ids)
    missing = sorted({i for i in ids if i not in states})
    if missing:
        raise NotFound(
            f"no outbox message {_ids(missing)}; `charter outbox list` shows the dead letters"
        )
    alive = sorted({i for i in ids if states[i] != "dead"})
    if alive:
        words = ", ".join(f"{i} is {states[i]}" for i in alive[:10])
        raise Conflict(f"only dead letters are retried: message {words}; nothing was retried")


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:10])
    return shown + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def _readdress(message: OutboxMessage, policy: Policy | None) -> str | None:
    """Give an e-mail to a role the address the policy in force gives it now; why the
    message stays dead when the role still has none."""
    if message.channel != "email" or "@" in message.recipient:
        return None
    role = message.recipient
    staff = policy.staff if policy is not None else None
    address = staff.address_of(role) if staff is not None else None
    if address is None:
        return (f"role '{role}' still has no e-mail address; add email: to it under "
                "staff.roles in the policy, publish it, then retry")  # fmt: skip
    message.recipient = address
    return None


def _audit(retried: list[OutboxMessage], who: str, at: dt.datetime) -> pl.DataFrame:
    rows = [
        {"ticket_id": m.ticket_id, "at": at, "kind": RETRIED, "metric": m.metric,
         "level_id": m.level_id,
         "detail": f"{m.channel} to {m.recipient} retried by {who}; tries start again"}
        for m in retried
    ]  # fmt: skip
    schema: dict[str, Any] = {
        "ticket_id": pl.Int64, "at": pl.Datetime("us", "UTC"), "kind": pl.String,
        "metric": pl.String, "level_id": pl.String, "detail": pl.String,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


@dataclass(frozen=True)
class WorkerHealth:
    """One worker's last tick, and how long ago it was at the moment asked."""

    name: str
    started_at: dt.datetime
    last_tick_at: dt.datetime
    seconds_ago: float
    tick_seconds: float
    ticks: int
    last_error: str | None


@dataclass(frozen=True)
class Health:
    """The workers' last ticks (latest first), the oldest undelivered (pending) message
    and its age, and the outbox's messages by state (every state, zeros included)."""

    at: dt.datetime
    workers: list[WorkerHealth]
    oldest_undelivered_at: dt.datetime | None
    oldest_undelivered_seconds: float | None
    counts: dict[str, int]


def health(database: Database, now: dt.datetime | None = None) -> Health:
    """The worker and outbox figures at ``now``."""
    moment = clock.utc_moment(now)
    with database.reading() as session:
        ticks = outbox.worker_ticks(session)
        oldest = outbox.oldest_pending(session)
        found = outbox.counts(session)
    workers = [
        WorkerHealth(
            name=t.worker,
            started_at=t.started_at,
            last_tick_at=t.last_tick_at,
            seconds_ago=(moment - t.last_tick_at).total_seconds(),
            tick_seconds=t.tick_seconds,
            ticks=t.ticks,
            last_error=t.last_error,
        )
        for t in ticks
    ]
    return Health(
        at=moment,
        workers=workers,
        oldest_undelivered_at=oldest,
        oldest_undelivered_seconds=(moment - oldest).total_seconds() if oldest else None,
        counts={state: found.get(state, 0) for state in STATES},
    )
