"""Dead letters made the way production makes them, for the outbox's tests.

The story (the escalation story of test_services_escalations.py, with two faults):
Acme promises a first response to e-mail within 4 business hours on its ``office``
calendar (Mon-Fri 09:00-17:00 London, = UTC in January). Level 1 (``l1``) is due at 50%
of the target and notifies the ``lead`` role and ``ops@acme.example``; the ``lead`` role
has no e-mail address, and the relay refuses ``ops@acme.example`` with a 550. Tickets
are written on Monday 5 January 2026 at 09:00, so l1 is due 2 business hours later, at
11:00: each ticket's level 1 fires then and leaves two dead letters (the role's never
tried, the refused address tried once). Level 2 (``l2``, at breach, 13:00) notifies
``oncall@acme.example``, which the relay accepts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from charter.services.tickets import import_tickets
from charter.store import Database
from charter.store.models import PolicyVersion
from support.escalation import settings_for, step
from support.sla import at, data, make_ticket
from support.smtp import Mailbox, smtp_server
from support.ticket_store import publish, result_of

POLICY = """\
organisation: {name: Acme, mission: Delight}
calendars:
  - {id: office, timezone: Europe/London,
     weekly: {mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00],
              thu: [09:00-17:00], fri: [09:00-17:00]}}
service_levels:
  rules:
    - id: sl-email
      when: {channel: [email]}
      targets: {first_response: {within: 4h, clock: office}}
staff:
  roles:
    - {id: lead, name: Team lead}
escalation:
  - {id: l1, metric: first_response, level: 1, at: "50%",
     notify: [lead, ops@acme.example]}
  - {id: l2, metric: first_response, level: 2, at: breach, notify: [oncall@acme.example]}
"""
REFUSED = frozenset({"ops@acme.example"})
FIRED_AT = "2026-01-05 11:00"  # London = UTC in January


def make_dead_letters(
    database: Database, tmp_path: Path, tickets: tuple[str, ...] = ("t1",)
) -> None:
    """Publish the story's policy, store ``tickets`` and tick at 11:00 against a relay
    that refuses ops@acme.example: two dead letters per ticket."""
    publish(database, POLICY)
    rows = [make_ticket(id=t) for t in tickets]
    import_tickets(database, result_of(data(rows)), source="helpdesk", batch_size=100)
    with smtp_server(refuse=REFUSED) as mailbox:
        step(database, settings_for(mailbox.port, tmp_path), at(FIRED_AT))


def give_lead_an_address(database: Database, since: dt.datetime) -> None:
    """Version 2 of the policy, in force from ``since``: the lead role has
    leads@acme.example."""
    text = POLICY.replace("{id: lead, name: Team lead}",
                          "{id: lead, name: Team lead, email: leads@acme.example}")  # fmt: skip
    with database.transaction() as session:
        first = session.get(PolicyVersion, 1)
        assert first is not None
        first.status, first.retired_at = "retired", since
        session.flush()
        session.add(
            PolicyVersion(
                policy_id=1, number=2, status="published", text=text, content_hash="v2",
                published_at=since, effective_at=since,
            )
        )  # fmt: skip


__all__ = ["Mailbox", "at", "give_lead_an_address", "make_dead_letters", "settings_for", "step"]
