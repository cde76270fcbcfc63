"""The demo's complaint cases and decisions, so their pages have something to show.

The demo's tickets come before its policy was published, so the worker opens no case
from them by itself; the manager opens cases for the latest tickets tagged
``complaint`` instead, and the agent works some of them: one left new, one
acknowledged, one answered, one answered and escalated to the review stage, which the
admin (another person, as the stage asks) handles. The agent also asks for a few return
and delivery decisions, and one refund is recorded paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from charter import clock
from charter.services import complaints, decisions
from charter.services.accounts import Principal
from charter.services.refunds import record_refund
from charter.store import Database
from charter.store import complaints as complaints_store

CASES = 8
LOOK_BACK = dt.timedelta(days=21)


def seed_cases(database: Database, manager: Principal, agent: Principal, admin: Principal,
               *, tickets_end: dt.date) -> None:  # fmt: skip
    """Open and work complaint cases from the complaint tickets of the three weeks to
    ``tickets_end``, and record the demo's decisions."""
    now = clock.now()
    end = dt.datetime.combine(tickets_end, dt.time(), dt.UTC) + dt.timedelta(days=1)
    with database.reading() as session:
        found = complaints_store.candidates(session, ["complaint"], [], end - LOOK_BACK)
    for turn, (ticket_id, created) in enumerate(found[-CASES:]):
        case = complaints.open_complaint(database, str(ticket_id), manager, now=now)
        worked = min(created + dt.timedelta(hours=3), now)
        if turn % 4 >= 1:
            complaints.acknowledge(database, case, agent, now=worked)
        if turn % 4 >= 2:
            complaints.respond(database, case, agent, now=worked)
        if turn % 4 == 3:
            complaints.escalate(database, case, agent, handler_id=admin.id, now=worked)
    _decisions(database, agent, now)


def _decisions(database: Database, agent: Principal, now: dt.datetime) -> None:
    ordered = (now - dt.timedelta(days=12)).replace(second=0, microsecond=0)
    delivered = ordered + dt.timedelta(days=3)
    for category, reason, price in (("kitchen", "changed_mind", "49.99"),
                                    ("bedding", "changed_mind", "29.00"),
                                    ("bedding", "faulty", "29.00"),
                                    ("furniture", "changed_mind", "349.00")):  # fmt: skip
        asked = decisions.decide_return(
            database, agent, ordered_at=ordered, delivered_at=delivered, category=category,
            reason=reason, price=Decimal(price), order_ref=f"LH-{1000 + len(category)}",
        )  # fmt: skip
        if asked.outcome == "allowed" and category == "kitchen":
            back = delivered + dt.timedelta(days=4)
            record_refund(database, asked.id, received_back_at=back,
                          paid_at=min(back + dt.timedelta(days=2), now))  # fmt: skip
    decisions.decide_delivery(database, agent, ordered_at=ordered, region="UK mainland",
                              method="standard", delivered_at=delivered)  # fmt: skip
    decisions.decide_delivery(database, agent, ordered_at=ordered + dt.timedelta(days=11),
                              region="UK mainland", method="express")  # fmt: skip
