"""The worker's complaint step: cases opened from tickets, reminders and overdue notices.

Each tick (``run_complaints``) opens the cases the policy's ``opens_on`` asks for,
then looks at each open case's current stage: for each of its deadlines whose step is
not done, a reminder is written to the stage's owner role's address (``staff.roles[]
.email``) once its reminder instant came (the opening of the last working day before
the deadline's last day), and an overdue notice once the deadline passed; a deadline
already passed gets the overdue notice only. Each is written to the outbox in the
transaction that records it (``complaint_notices``' key: stage, deadline, kind and
the deadline's instant), so it is written once however many workers run; an extended
deadline is a new instant and is reminded of again. A role with no address gets a
dead letter that says so, as the review's reminders do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from charter import clock, figures
from charter.config import Settings
from charter.decisions.complaint_clock import DEADLINES, reminder_at
from charter.decisions.deadlines import Deadline
from charter.services.complaints import CaseContext, context_of, open_from_tickets
from charter.services.lifecycle import judging_versions
from charter.store import Database
from charter.store import complaints as records
from charter.store import outbox as outbox_store

__all__ = ["ComplaintRun", "run_complaints"]

FOOTER = "Sent by Charter because the complaint procedure in the policy sets this deadline."


@dataclass(frozen=True)
class ComplaintRun:
    """What one run of the step did."""

    opened: int = 0
    reminders: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.opened + self.reminders + self.overdue


def run_complaints(
    database: Database, settings: Settings, now: dt.datetime | None = None
) -> ComplaintRun:
    """Open cases from tickets, then write the reminders and overdue notices due at
    ``now`` (the worker's step)."""
    moment = clock.utc_moment(now)
    opened = open_from_tickets(database, moment)
    with database.reading() as session:
        cases = records.load_cases(session, open_only=True)
    versions = judging_versions(database, moment)
    reminders = overdue = 0
    base = (settings.base_url or "").rstrip("/")
    for case in cases:
        context = context_of(database, case, versions)
        for kind, name, due in _due_notices(context, moment):
            with database.transaction() as session:
                row = case.current
                if not records.claim_notice(session, row.id, name, kind, due.ends_utc, moment):
                    continue
                _queue(session, context, kind, name, due, base, moment)
            reminders += kind == "reminder"
            overdue += kind == "overdue"
    return ComplaintRun(opened, reminders, overdue)


def _due_notices(context: CaseContext, moment: dt.datetime) -> list[tuple[str, str, Deadline]]:
    row = context.case.current
    clocks = context.clocks[context.case.stages.index(row)]
    found = []
    for name in DEADLINES:
        due = clocks.of(name)
        done = row.acknowledged_at if name == "acknowledgment" else row.responded_at
        if due is None or done is not None:
            continue
        if moment > due.ends_utc:
            found.append(("overdue", name, due))
        elif moment >= reminder_at(due):
            found.append(("reminder", name, due))
    return found


def _queue(
    session: Any, context: CaseContext, kind: str, name: str, due: Deadline, base: str,
    moment: dt.datetime,
) -> None:  # fmt: skip
    case, row = context.case, context.case.current
    stage = context.stage_of(row)
    policy = context.version.policy()
    address = policy.staff.address_of(stage.owner_role) if policy.staff else None
    when = figures.instant(due.ends_local)
    tense = "is" if kind == "reminder" else "was"
    headline = f"Complaint {case.id}: the {name} of {stage.name} {tense} due by {when}"
    facts: list[dict[str, Any]] = [
        {"label": "Complaint", "text": f"{case.id}, from ticket {case.ticket_ref}", "href": None},
        {"label": "Stage", "text": f"{row.position}: {stage.name}", "href": None},
        {"label": "Handler", "text": row.handler or "nobody yet", "href": None},
        {"label": "Deadline", "text": f"{name}, {when}", "href": None},
    ]
    if base.startswith(("http://", "https://")):
        facts.append({"label": "Open", "text": "The complaint in Charter",
                      "href": f"{base}/complaints/{case.id}"})  # fmt: skip
    missing = (
        f"role '{stage.owner_role}' has no e-mail address; add email: to it under "
        "staff.roles in the policy"
    ) if address is None else None  # fmt: skip
    outbox_store.queue(
        session, purpose="complaint", version_id=case.version_id, kind=kind,
        recipient=address or stage.owner_role,
        payload={"headline": headline, "facts": facts, "footer": FOOTER}, at=moment,
        dead_because=missing,
    )  # fmt: skip
