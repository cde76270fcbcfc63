"""Complaint cases on a track: the FCA preset's payment services complaints take their own
15-business-day stage, every other complaint the 8-week stage, from the moment the case
opens (by hand or by the worker), and neither path escalates into the other.

Counted by hand on the preset's ``business`` calendar: Monday to Friday 09:00-17:00
Europe/London, closed on England & Wales bank holidays (Fri 25 and Mon 28 Dec 2026,
Fri 1 Jan 2027); the day of receipt is day 0; GMT in December and January, so local and
UTC instants are the same.
"""

from __future__ import annotations

import datetime as dt

import pytest

from charter.errors import Conflict
from charter.policy.presets import preset_text
from charter.services import complaints
from charter.services.complaint_views import complaint_page
from charter.store import Database
from support.complaints import add_ticket, person, publish_complaints

UTC = dt.UTC
RECEIVED = dt.datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # Thu 3 Dec 2026, 10:00 GMT


@pytest.fixture
def fca(database: Database) -> Database:
    publish_complaints(database, preset_text("fca-disp"))
    return database


def open_by_hand(database: Database, ref: str, tags: list[str]) -> int:
    add_ticket(database, ref, RECEIVED, tags=tags)
    manager = person(database, f"Manager of {ref}", "manager")
    return complaints.open_complaint(database, ref, manager,
                                     now=RECEIVED + dt.timedelta(hours=1))  # fmt: skip


def test_a_general_fca_complaint_opens_on_the_eight_week_stage_from_its_receipt(
    fca: Database,
) -> None:
    # Tagged complaint only: no track takes it, so its path is the 8-week stage alone.
    # Day 0 Thu 3 Dec 2026 + 56 calendar days = Thu 28 Jan 2027, 23:59:59 GMT. (Opened on
    # the payment services stage it would be due Thu 24 Dec, and 8 weeks would only start
    # on an escalation.)
    case_id = open_by_hand(fca, "G-1", tags=["complaint"])
    page = complaint_page(fca, case_id, now=RECEIVED + dt.timedelta(hours=2))
    [stage] = page.stages
    assert stage.row.stage_id == "disp-general"
    [response] = stage.deadlines
    assert response.ends_utc == dt.datetime(2027, 1, 28, 23, 59, 59, tzinfo=UTC)
    assert page.can_escalate is False


def test_a_payment_services_complaint_opens_on_its_15_day_stage_and_has_no_next_stage(
    fca: Database,
) -> None:
    # Tagged payment-services: the payment-services track. Day 0 Thu 3 Dec; 15 business
    # days: Fri 4 (1), Mon 7 .. Fri 11 (2-6), Mon 14 .. Fri 18 (7-11), Mon 21 (12),
    # Tue 22 (13), Wed 23 (14), Thu 24 Dec 2026 (15), 23:59:59 GMT.
    case_id = open_by_hand(fca, "P-1", tags=["complaint", "payment-services"])
    page = complaint_page(fca, case_id, now=RECEIVED + dt.timedelta(hours=2))
    [stage] = page.stages
    assert stage.row.stage_id == "disp-payments"
    assert stage.deadlines[0].ends_utc == dt.datetime(2026, 12, 24, 23, 59, 59, tzinfo=UTC)
    assert page.can_escalate is False
    handler = person(fca, "Hal Handler", "agent")
    complaints.respond(fca, case_id, handler, now=RECEIVED + dt.timedelta(days=1))
    with pytest.raises(Conflict, match="is the last stage of this complaint's path"):
        complaints.escalate(fca, case_id, handler, now=RECEIVED + dt.timedelta(days=2))


def test_the_worker_puts_a_complaint_in_the_payment_services_category_on_its_track(
    fca: Database,
) -> None:
    # Both tickets carry the tag opens_on names; one is in the category the track names.
    add_ticket(fca, "W-1", RECEIVED, tags=["complaint"], category="Payment services")
    add_ticket(fca, "W-2", RECEIVED, tags=["complaint"], category="Savings")
    assert complaints.open_from_tickets(fca, now=RECEIVED + dt.timedelta(hours=1)) == 2
    stages = {}
    for case_id in (1, 2):
        context = complaints.case_context(fca, case_id)
        stages[context.case.ticket_ref] = context.case.current.stage_id
    assert stages == {"W-1": "disp-payments", "W-2": "disp-general"}


def test_a_housing_ombudsman_case_still_escalates_from_stage_1_to_stage_2(
    database: Database,
) -> None:
    # No tracks: one path, stage-1 then stage-2, the last.
    publish_complaints(database, preset_text("housing-ombudsman"))
    case_id = open_by_hand(database, "H-1", tags=["complaint"])
    officer = person(database, "Olu Officer", "agent")
    assert complaint_page(database, case_id, now=RECEIVED).can_escalate is True
    complaints.escalate(database, case_id, officer, reason="the customer asked",
                        now=RECEIVED + dt.timedelta(hours=2))  # fmt: skip
    context = complaints.case_context(database, case_id)
    assert [s.stage_id for s in context.case.stages] == ["stage-1", "stage-2"]
    assert complaint_page(database, case_id, now=RECEIVED).can_escalate is False
