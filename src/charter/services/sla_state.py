"""SLA state of the stored tickets, kept in ``sla_states`` under the operating policy.

The *operating policy* is the earliest-created policy that has a published
version; its published version is the one tickets are measured against
(``charter.services.lifecycle.operating_version``). The
tickets are read from the store in columns, evaluated by the same engine that
runs on files (``charter.sla.evaluate``) and written back in bulk: no query per
ticket. Running clocks move with time, so ``pending`` and ``at_risk`` are as of
the recompute; run ``charter sla recompute`` on a schedule to keep them fresh.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> summary = recompute_sla(db)
>>> summary.computed, summary.note
(False, 'no policy is published yet, so there is no SLA state to compute; publish a version first')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from charter.errors import UsageError
from charter.services.lifecycle import operating_version
from charter.sla.evaluate import evaluate
from charter.store import Database
from charter.store import tickets as stored

NOTHING_PUBLISHED = (
    "no policy is published yet, so there is no SLA state to compute; publish a version first"
)


@dataclass(frozen=True)
class SlaSummary:
    """What a recompute did. ``computed`` is False when there was nothing to compute,
    and ``note`` says why."""

    tickets: int = 0
    states: int = 0
    written: int = 0
    computed_at: dt.datetime | None = None
    policy: str | None = None
    version: int | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def computed(self) -> bool:
        return self.computed_at is not None

    @classmethod
    def skipped(cls, note: str) -> SlaSummary:
        return cls(note=note)


def recompute_sla(
    database: Database,
    *,
    now: dt.datetime | None = None,
    ticket_ids: pl.Series | None = None,
) -> SlaSummary:
    """Recompute and store the SLA state of every ticket, or of ``ticket_ids``.

    ``now`` (aware; default: the current time) is the instant running clocks are
    judged at. In the summary, ``states`` counts the (ticket, metric) states the
    tickets now have, ``written`` those that changed and were rewritten, and
    ``statuses`` the states by status.
    """
    moment = _moment(now)
    operating = operating_version(database)
    if operating is None:
        return SlaSummary.skipped(NOTHING_PUBLISHED)
    policy = operating.policy()
    with database.transaction() as session:
        tickets = stored.load(session, ticket_ids).data
        states = evaluate(policy, tickets, moment)
        done = stored.replace_sla_states(
            session, states, version_id=operating.id, computed_at=moment, ticket_ids=ticket_ids
        )
    return SlaSummary(
        tickets=tickets.tickets.height,
        states=done.written + done.kept,
        written=done.written,
        computed_at=moment,
        policy=operating.slug,
        version=operating.number,
        statuses=done.statuses,
    )


def _moment(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise UsageError(f"now={now.isoformat()} has no timezone; give an aware instant")
    return now.astimezone(dt.UTC)
