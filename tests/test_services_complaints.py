"""Complaint cases on the clock: opened by a tag, deadlines counted on the stage's
calendar, the acknowledgment anchor, extensions, a different handler at stage 2 (with
two requests racing), and reminders and overdue notices written exactly once.

Every expected instant is counted by hand on ``uk-support`` (support.complaints: Monday
to Saturday working days, Sundays, England's bank holidays and 29-30 December 2026
closed; GMT in December, so local and UTC instants are the same).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import select

from charter.config import Settings
from charter.errors import Conflict, InvalidInput, NotFound
from charter.services import complaints
from charter.services.complaint_notices import run_complaints
from charter.services.complaint_views import complaint_page
from charter.services.worker import tick
from charter.store import Database
from charter.store.models import ComplaintStageRecord, OutboxMessage
from support.complaints import AGENTS, REVIEW, add_ticket, person, publish_complaints
from support.web import make_settings

UTC = dt.UTC


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def end_of(year: int, month: int, day: int) -> dt.datetime:
    return at(year, month, day, 23, 59, 59)


@pytest.fixture
def store(database: Database) -> Database:
    publish_complaints(database)
    return database


def opened(database: Database, ref: str, created: dt.datetime, **extra: Any) -> int:
    add_ticket(database, ref, created)
    manager = person(database, "Mo Manager", "manager")
    return complaints.open_complaint(database, ref, manager, now=created + dt.timedelta(hours=1),
                                     **extra)  # fmt: skip


def test_a_complaint_received_on_a_thursday_is_acknowledged_by_friday_and_answered_by_monday(
    store: Database,
) -> None:
    # Received Thu 3 Dec 2026 10:00: day 0 Thursday; acknowledge within 1wd -> Fri 4
    # 23:59:59. Not acknowledged yet, the response (2wd from the acknowledgment) counts
    # from that deadline: day 0 Fri 4, Sat 5 (1, Saturdays open), Sunday closed, Mon 7 (2).
    case_id = opened(store, "T-1", at(2026, 12, 3, 10))
    page = complaint_page(store, case_id, now=at(2026, 12, 3, 12))
    ack, response = page.stages[0].deadlines
    assert (ack.name, ack.ends_utc) == ("acknowledgment", end_of(2026, 12, 4))
    assert (response.ends_utc, response.provisional) == (end_of(2026, 12, 7), True)
    assert page.next_due is not None and page.next_due.name == "acknowledgment"
    assert "received Thursday 3 December 2026 at 10:00" in ack.steps[0]


def test_a_late_acknowledgment_moves_the_response_it_anchors(store: Database) -> None:
    # Acknowledged Mon 7 Dec 09:00: day 0 Monday, Tue 8 (1), Wed 9 (2) -> Wed 9 23:59:59;
    # counted from receipt it would have been Sat 5.
    case_id = opened(store, "T-2", at(2026, 12, 3, 10))
    complaints.acknowledge(store, case_id, person(store, "Ann"), now=at(2026, 12, 7, 9))
    page = complaint_page(store, case_id, now=at(2026, 12, 7, 10))
    ack, response = page.stages[0].deadlines
    assert ack.state == "late"
    assert (response.ends_utc, response.provisional) == (end_of(2026, 12, 9), False)
    assert response.steps[0] == "acknowledged Monday 7 December 2026 at 09:00"
    with store.reading() as session:
        stored = session.scalar(select(ComplaintStageRecord.respond_due_at))
    assert stored == end_of(2026, 12, 9)


def test_a_complaint_received_before_christmas_is_answered_after_new_year(
    store: Database,
) -> None:
    # Received Wed 23 Dec 18:00: acknowledge by Thu 24 (mornings only, but open). The
    # response counts from that deadline: day 0 Thu 24; Fri 25 Christmas, Sat 26 Boxing
    # Day, Sun 27, Mon 28 (substitute), Tue 29 and Wed 30 (closed dates) are skipped; Thu
    # 31 (1), Fri 1 Jan New Year's Day skipped, Sat 2 Jan 2027 (2).
    case_id = opened(store, "T-3", at(2026, 12, 23, 18))
    ack, response = complaint_page(store, case_id, now=at(2026, 12, 23, 19)).stages[0].deadlines
    assert ack.ends_utc == end_of(2026, 12, 24)
    assert response.ends_utc == end_of(2027, 1, 2)


def test_an_extension_needs_a_reason_and_stops_at_the_cap(store: Database) -> None:
    # The acknowledgment due Fri 4 Dec, extended by 2wd: Sat 5 (1), Mon 7 (2). A second of
    # 2 would make 4 in all, past the cap of 3.
    case_id = opened(store, "T-4", at(2026, 12, 3, 10))
    ann = person(store, "Ann")
    with pytest.raises(InvalidInput, match="reason: an extension needs a written reason"):
        complaints.extend(store, case_id, ann, deadline="acknowledgment", days=2, reason=" ")
    reason = "waiting for the courier's report"
    complaints.extend(store, case_id, ann, deadline="acknowledgment", days=2, reason=reason,
                      now=at(2026, 12, 4, 9))  # fmt: skip
    with pytest.raises(InvalidInput, match="4 working days of extensions in all would pass the "
                       "policy's cap of 3"):  # fmt: skip
        complaints.extend(store, case_id, ann, deadline="acknowledgment", days=2, reason="more")
    page = complaint_page(store, case_id, now=at(2026, 12, 4, 10))
    ack, response = page.stages[0].deadlines
    assert ack.ends_utc == end_of(2026, 12, 7)
    # The provisional response moves with it: day 0 Mon 7, Tue 8 (1), Wed 9 (2).
    assert response.ends_utc == end_of(2026, 12, 9)
    [extension] = page.stages[0].row.extensions
    assert (extension.days, extension.reason, extension.granted_by) == (
        2, "waiting for the courier's report", "Ann")  # fmt: skip


def test_stage_two_refuses_stage_one_handler_and_takes_another(store: Database) -> None:
    case_id = opened(store, "T-5", at(2026, 12, 3, 10))
    ann, ben = person(store, "Ann"), person(store, "Ben")
    complaints.assign(store, case_id, ann.id, ann)
    complaints.respond(store, case_id, ann, now=at(2026, 12, 4, 9))
    # Escalated Tue 8 Dec 10:00: stage 2 acknowledges in 2wd (Wed 9, Thu 10) and answers
    # in 10wd from receipt: Wed 9 ... Sat 12 (4), Mon 14 (5) ... Sat 19 December (10).
    assert complaints.escalate(store, case_id, ann, now=at(2026, 12, 8, 10)) == 2
    with pytest.raises(Conflict, match="Ann handled stage 1, and stage 2 .* must be handled "
                       "by someone else"):  # fmt: skip
        complaints.assign(store, case_id, ann.id, ann)
    assert complaints.assign(store, case_id, ben.id, ann) == "Ben"
    stage_two = complaint_page(store, case_id, now=at(2026, 12, 8, 11)).stages[1]
    assert (stage_two.row.stage_id, stage_two.row.handler) == (REVIEW, "Ben")
    assert [d.ends_utc for d in stage_two.deadlines] == [end_of(2026, 12, 10),
                                                         end_of(2026, 12, 19)]  # fmt: skip


def test_stage_one_is_escalated_unanswered_only_as_the_customers_request(store: Database) -> None:
    case_id = opened(store, "T-6", at(2026, 12, 3, 10))
    ann = person(store, "Ann")
    with pytest.raises(InvalidInput, match="reason: stage 1 has no response yet"):
        complaints.escalate(store, case_id, ann)
    complaints.escalate(store, case_id, ann, reason="the customer asked for a review")
    with pytest.raises(Conflict, match="stage 2 is the last stage"):
        complaints.respond(store, case_id, ann)
        complaints.escalate(store, case_id, ann)


def test_a_ticket_opens_one_case_and_a_second_is_refused_by_name(store: Database) -> None:
    case_id = opened(store, "T-7", at(2026, 12, 3, 10))
    with pytest.raises(Conflict, match=f"ticket T-7 already has complaint {case_id}"):
        complaints.open_complaint(store, "T-7", person(store, "Ann"))
    with pytest.raises(NotFound, match="ticket 'T-404' does not exist"):
        complaints.open_complaint(store, "T-404", person(store, "Ann"))


def count_outbox(database: Database) -> list[tuple[str, str, str]]:
    with database.reading() as session:
        o = OutboxMessage
        rows = session.execute(select(o.level_id, o.recipient, o.payload).order_by(o.id))
        return [(kind, to, payload["headline"]) for kind, to, payload in rows]


def test_the_worker_opens_a_tagged_complaint_and_sends_each_notice_exactly_once(
    store: Database, database_url: str
) -> None:
    settings: Settings = make_settings(database_url)
    add_ticket(store, "T-8", at(2026, 12, 3, 10), tags=["refund", "complaint"])
    add_ticket(store, "T-9", at(2026, 12, 3, 10), tags=["complaints-team"])  # not the tag
    # Thu 3 Dec 11:00: the case opens; the acknowledgment (due Fri 4) is reminded of at
    # once: the working day before its last day is the day of receipt, whose opening
    # (08:00) came before the receipt.
    first = tick(store, settings, worker="w", started_at=at(2026, 12, 3, 11),
                 now=at(2026, 12, 3, 11), syncing=False)  # fmt: skip
    assert first.errors == []
    assert count_outbox(store) == [("reminder", AGENTS, "Complaint 1: the acknowledgment of "
                                    "Front line is due by Fri 04 Dec 2026 23:59 GMT")]  # fmt: skip
    assert run_complaints(store, settings, at(2026, 12, 3, 11, 5)).total == 0
    # Sat 5 Dec 10:00: the acknowledgment is overdue (Fri 4 23:59:59 passed); the response,
    # due Mon 7 (provisional), is reminded of from Saturday's opening, 09:00.
    run = run_complaints(store, settings, at(2026, 12, 5, 10))
    assert (run.opened, run.reminders, run.overdue) == (0, 1, 1)
    assert run_complaints(store, settings, at(2026, 12, 5, 10, 5)).total == 0
    # Tue 8 Dec, just after midnight: the response is overdue too.
    assert run_complaints(store, settings, at(2026, 12, 8, 0, 0, 1)).overdue == 1
    assert [kind for kind, _, _ in count_outbox(store)] == [
        "reminder", "overdue", "reminder", "overdue"]  # fmt: skip
    assert run_complaints(store, settings, at(2026, 12, 9)).total == 0


def test_the_response_reminder_waits_for_the_opening_of_the_day_before(
    store: Database, database_url: str
) -> None:
    # The provisional response is due Mon 7 Dec; the working day before is Sat 5, which
    # opens at 09:00: nothing at 08:59, the reminder at 09:00.
    settings = make_settings(database_url)
    case_id = opened(store, "T-10", at(2026, 12, 3, 10))
    complaints.extend(store, case_id, person(store, "Ann"), deadline="acknowledgment", days=1,
                      reason="a long letter", now=at(2026, 12, 3, 12))  # fmt: skip
    # The acknowledgment is now due Sat 5; its reminder was due Fri 4 at 08:00.
    run = run_complaints(store, settings, at(2026, 12, 4, 8, 0))
    assert (run.reminders, run.overdue) == (1, 0)
    # The response counts from Sat 5: day 0, Mon 7 (1), Tue 8 (2); its reminder is Mon 7
    # at 08:00.
    assert run_complaints(store, settings, at(2026, 12, 7, 7, 59)).total == 1  # ack overdue
    assert run_complaints(store, settings, at(2026, 12, 7, 8, 0)).reminders == 1


def test_a_role_without_an_address_gets_a_dead_letter_that_says_so(
    database: Database, database_url: str
) -> None:
    from support import EXAMPLE_TEXT

    publish_complaints(database, EXAMPLE_TEXT)  # the example's agents have no address
    opened(database, "T-11", at(2026, 12, 3, 10))
    run_complaints(database, make_settings(database_url), at(2026, 12, 3, 12))
    with database.reading() as session:
        message = session.scalars(select(OutboxMessage)).one()
    assert (message.state, message.recipient) == ("dead", "agent")
    assert message.last_error == ("role 'agent' has no e-mail address; add email: to it under "
                                  "staff.roles in the policy")  # fmt: skip


ROUNDS = 8


@pytest.mark.postgres
def test_two_racing_requests_never_leave_one_handler_on_both_stages(
    store: Database, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the race is run on PostgreSQL, where requests run side by side")
    ann, ben = person(store, "Ann"), person(store, "Ben")
    for round_ in range(ROUNDS):
        case_id = opened(store, f"R-{round_}", at(2026, 12, 3, 10))
        complaints.assign(store, case_id, ann.id, ann)
        barrier = threading.Barrier(2)
        outcomes: list[object] = [None, None]

        def run(slot: int, work: Any, barrier: threading.Barrier = barrier,
                outcomes: list[object] = outcomes) -> None:  # fmt: skip
            database = Database(database_url)
            try:
                barrier.wait()
                outcomes[slot] = work(database)
            except Exception as error:  # the test reports it
                outcomes[slot] = error
            finally:
                database.dispose()

        # One moves stage 1 to Ben; the other escalates at the customer's request with
        # Ben at stage 2. Whichever goes first, Ben is never on both stages.
        jobs = [lambda d: complaints.assign(d, case_id, ben.id, ann),  # noqa: B023
                lambda d: complaints.escalate(d, case_id, ann, reason="asked",  # noqa: B023
                                              handler_id=ben.id)]  # fmt: skip
        threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(isinstance(o, Exception) and not isinstance(o, Conflict)
                       for o in outcomes), outcomes  # fmt: skip
        stages = complaint_page(store, case_id).stages
        handlers = [s.row.handler_id for s in stages]
        assert len(handlers) == 1 or handlers[0] != handlers[1], (round_, handlers, outcomes)


def test_stage_one_responder_without_a_handler_may_not_answer_stage_two(store: Database) -> None:
    # Nobody was assigned at stage 1, so its handler is whoever answered it: Ann.
    case_id = opened(store, "T-12", at(2026, 12, 3, 10))
    ann, ben = person(store, "Ann"), person(store, "Ben")
    complaints.respond(store, case_id, ann, now=at(2026, 12, 4, 9))
    complaints.escalate(store, case_id, ben, now=at(2026, 12, 4, 10))
    with pytest.raises(Conflict, match="Ann handled stage 1"):
        complaints.respond(store, case_id, ann, now=at(2026, 12, 5, 10))
    complaints.respond(store, case_id, ben, now=at(2026, 12, 5, 10))
    assert complaint_page(store, case_id).stages[1].row.responded_by == "Ben"
