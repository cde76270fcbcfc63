"""Training messages through the outbox: reminders before and at a deadline, the
manager told once it has passed, and a "what changed" notice for a minor change.

Each goes once per person, version and kind: its key (``training_sends``) is written in
the transaction that writes its outbox message. Each is due inside the training
calendar's opening hours (``charter.training.deadlines``), never at night or at weekends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from charter import clock, figures
from charter.config import Settings
from charter.notify import Fact
from charter.services.lifecycle import Version
from charter.services.training._standing import (
    DEFAULTS,
    Requirement,
    Standing,
    hours_of,
    settings_of,
    standings,
)
from charter.store import Database
from charter.store import training as records
from charter.store.models import User
from charter.training.deadlines import reminder_times, send_at

FOOTER = "Sent by Charter because the customer service policy asks this of you."


@dataclass(frozen=True)
class Reminded:
    """What one pass wrote to the outbox, by kind."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def send_reminders(
    database: Database, settings: Settings, now: dt.datetime | None = None
) -> Reminded:
    """Write every training message due at ``now`` that was not written before."""
    moment = clock.utc_moment(now)
    people = standings(database, moment)
    managers = {s.user.id: s.user for s in people}
    with database.reading() as session:  # what went before: most ticks write nothing
        sent = records.sent_keys(session)
    counts: dict[str, int] = {}
    base = (settings.base_url or "").rstrip("/")
    for standing in people:
        version = standing.requirement.version if standing.requirement else None
        if version is None:
            continue
        for kind, recipient, at, payload in _due(standing, managers, moment, base):
            if (standing.user.id, version.id, kind) in sent:
                continue
            with database.transaction() as session:
                if records.claim_send(session, standing.user.id, version.id, kind, moment):
                    records.queue_message(session, version_id=version.id, kind=kind,
                                          recipient=recipient, payload=payload, at=at)  # fmt: skip
                    counts[kind] = counts.get(kind, 0) + 1
    return Reminded(counts)


def _due(
    standing: Standing, managers: dict[int, User], now: dt.datetime, base: str
) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
    """The messages due for one person now: (kind, recipient, when, payload)."""
    required = standing.requirement
    if required is None or not standing.user.email:
        return []
    policy = required.version.policy()
    training = settings_of(policy)
    if training is DEFAULTS:
        return []
    hours = hours_of(required.version, training.calendar)
    name, number = standing.user.name, required.version.number
    link = f"{base}/training" if base.startswith(("http://", "https://")) else None
    found = []
    if standing.notice is not None and standing.notice.changes:
        changes = [Fact("Changed", c.text) for c in standing.notice.changes[:20]]
        found.append(
            (
                "notice",
                standing.user.email,
                send_at(now, hours),
                _payload(
                    f"What changed in version {number} of the customer service policy",
                    [Fact("For", name), *changes, Fact("Your acknowledgment", "still stands")],
                    link,
                ),
            )
        )
    if required.deadline is None or required.state(now) == "done":
        return found
    times = _times(required.version, required.deadline, training.calendar)
    what = _task(required)
    for kind in ("before", "due"):
        if now >= times[kind]:
            headline = (f"Reminder: {what} by {_when(required.deadline, hours.timezone)}"
                        if kind == "before" else f"Due now: {what}")  # fmt: skip
            found.append((kind, standing.user.email, send_at(now, hours), _payload(
                headline, [Fact("For", name), Fact("Version", str(number)),
                           *_changed(required)], link)))  # fmt: skip
    manager_id = standing.profile.manager_id if standing.profile else None
    manager = managers.get(manager_id) if manager_id is not None else None
    if now >= times["overdue"] and manager is not None and manager.email:
        found.append(("overdue", manager.email, send_at(now, hours), _payload(
            f"{name} is overdue: {what}",
            [Fact("Who", f"{name} <{standing.user.email}>"), Fact("Version", str(number)),
             Fact("Deadline", _when(required.deadline, hours.timezone))],
            f"{base}/training/team" if link else None)))  # fmt: skip
    return found


def _task(required: Requirement) -> str:
    number = required.version.number
    if required.acknowledged_at is None:
        return f"acknowledge version {number} of the policy and pass its quiz"
    return f"pass the quiz of version {number} of the policy"


def _changed(required: Requirement) -> list[Fact]:
    return [Fact("Changed", c.text) for c in required.concerning[:20]]


def _when(at: dt.datetime, zone: str) -> str:
    return figures.instant(at, ZoneInfo(zone))


def _payload(headline: str, facts: list[Fact], link: str | None) -> dict[str, Any]:
    rows = [{"label": f.label, "text": f.text, "href": f.href} for f in facts]
    if link is not None:
        rows.append({"label": "Open", "text": "Your training in Charter", "href": link})
    return {"headline": headline, "facts": rows, "footer": FOOTER}


@lru_cache(maxsize=4096)
def _times(version: Version, deadline: dt.datetime, calendar: str) -> dict[str, dt.datetime]:
    """The reminder instants of one deadline, worked out once: many people share one."""
    training = settings_of(version.policy())
    return reminder_times(deadline, training.remind_before, hours_of(version, calendar))
