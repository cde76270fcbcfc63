"""The complaints repository: one case per ticket, a notice once per key, the tags matched
exactly, and the KPIs counted by the one rule the lists use (``kept``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from charter.store import Database
from charter.store import complaints as records
from support.complaints import add_ticket, publish_complaints

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 10, 12, tzinfo=UTC)


def at(day: int, hour: int = 12, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("done", "due", "expected"),
    [
        (at(3), at(4), "within"),  # done before its deadline
        (at(4), at(4), "within"),  # done at its very instant
        (at(5), at(4), "late"),  # done after it
        (None, at(9), "late"),  # not done, and the deadline passed before NOW (10th)
        (None, at(11), None),  # not done, not due yet: not counted
        (at(3), None, None),  # no deadline promised
    ],
)
def test_kept_counts_a_step_not_done_only_once_its_deadline_passed(
    done: dt.datetime | None, due: dt.datetime | None, expected: str | None
) -> None:
    assert records.kept(done, due, NOW) == expected


def _open(database: Database, ticket_id: int, received: dt.datetime, stage: str,
          ack_due: dt.datetime | None, respond_due: dt.datetime) -> int | None:  # fmt: skip
    with database.transaction() as session:
        return records.open_case(
            session, ticket_id=ticket_id, version_id=1, received_at=received, opened_by=None,
            because="test", stage_id=stage, acknowledge_due_at=ack_due,
            respond_due_at=respond_due, now=received,
        )  # fmt: skip


def _ticket_id(database: Database, ref: str) -> int:
    with database.reading() as session:
        found = records.ticket_ref(session, ref)
    assert found is not None
    return found[0]


def test_a_ticket_has_one_case_however_often_it_is_opened(database: Database) -> None:
    publish_complaints(database)
    add_ticket(database, "A-1", at(3))
    ticket = _ticket_id(database, "A-1")
    first = _open(database, ticket, at(3), "s1", at(4), at(7))
    assert first is not None
    assert _open(database, ticket, at(3), "s1", at(4), at(7)) is None
    with database.reading() as session:
        assert [c.id for c in records.load_cases(session)] == [first]


def test_a_notice_is_claimed_once_per_deadline_instant(database: Database) -> None:
    publish_complaints(database)
    add_ticket(database, "A-2", at(3))
    case_id = _open(database, _ticket_id(database, "A-2"), at(3), "s1", at(4), at(7))
    with database.reading() as session:
        case = records.load_case(session, case_id or 0)
    assert case is not None
    row = case.current.id
    with database.transaction() as session:
        assert records.claim_notice(session, row, "acknowledgment", "reminder", at(4), NOW)
        assert not records.claim_notice(session, row, "acknowledgment", "reminder", at(4), NOW)
        # An extended deadline is another instant: reminded of again.
        assert records.claim_notice(session, row, "acknowledgment", "reminder", at(7), NOW)
        assert records.claim_notice(session, row, "acknowledgment", "overdue", at(4), NOW)


def test_candidates_match_a_tag_exactly_or_a_category(database: Database) -> None:
    publish_complaints(database)
    add_ticket(database, "B-1", at(3), tags=["complaint"])
    add_ticket(database, "B-2", at(3), tags=["complaint-free", "xcomplaint"])
    add_ticket(database, "B-3", at(3), category="Complaints")
    add_ticket(database, "B-4", at(1, month=11), tags=["complaint"])  # before ``since``
    with database.reading() as session:
        found = records.candidates(session, ["complaint"], ["Complaints"], at(2))
    ids = [_ticket_id(database, r) for r in ("B-1", "B-3")]
    assert [i for i, _ in found] == ids


def test_kpis_count_each_stage_in_the_month_it_was_received(database: Database) -> None:
    publish_complaints(database)
    for ref in ("K-1", "K-2", "K-3", "K-4"):
        add_ticket(database, ref, at(1))
    # K-1: received 1 Nov, acknowledged 2 Nov (due 3rd: within), answered 10 Nov (due
    # 5th: late). K-2: received 1 Dec, acknowledged 2 Dec (due 2nd 12:00: within), not
    # answered, due 9 Dec: late by NOW (10th). K-3: received 8 Dec, nothing done, due
    # the 9th (ack: late) and the 15th (answer: not due yet). K-4: received 9 Dec,
    # answered the 9th (due the 11th: within); its acknowledgment, due the 10th at 18:00,
    # is not recorded and not due yet. December: 1 and 1 acknowledged within and late
    # (K-2, K-3); 1 and 1 answered within and late (K-4, K-2).
    cases = {
        "K-1": (at(1, month=11), at(3, month=11), at(5, month=11)),
        "K-2": (at(1), at(2), at(9)),
        "K-3": (at(8), at(9), at(15)),
        "K-4": (at(9), at(10, 18), at(11)),
    }
    done = {"K-1": (at(2, month=11), at(10, month=11)), "K-2": (at(2), None),
            "K-3": (None, None), "K-4": (None, at(9, 15))}  # fmt: skip
    for ref, (received, ack_due, respond_due) in cases.items():
        case_id = _open(database, _ticket_id(database, ref), received, "s1", ack_due, respond_due)
        with database.transaction() as session:
            case = records.load_case(session, case_id or 0)
            assert case is not None
            acknowledged, responded = done[ref]
            records.set_stage(session, case.current.id, acknowledged_at=acknowledged,
                              responded_at=responded)  # fmt: skip
    with database.reading() as session:
        rows = records.complaint_kpis(session, NOW)
    assert rows == [
        records.KpiRow("2026-11", "s1", 1, 0, 0, 1),
        records.KpiRow("2026-12", "s1", 1, 1, 1, 1),
    ]
    with database.reading() as session:
        assert records.complaint_kpis(session, NOW, months=["2026-12"]) == rows[1:]


def test_kpis_put_a_stage_in_its_utc_month_whatever_the_sessions_zone(
    database: Database,
) -> None:
    # Received Mon 30 Nov 2026 23:30 UTC: November in UTC, already 1 December in
    # Auckland (UTC+13). Acknowledged 1 Dec 09:00 UTC, due 2 Dec: within; answered 3 Dec,
    # due 4 Dec: within. The row is November's however the connection reads times.
    publish_complaints(database)
    add_ticket(database, "Z-1", at(1, month=11))
    received = dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    case_id = _open(database, _ticket_id(database, "Z-1"), received, "s1", at(2), at(4))
    with database.transaction() as session:
        case = records.load_case(session, case_id or 0)
        assert case is not None
        records.set_stage(session, case.current.id, acknowledged_at=at(1, 9),
                          responded_at=at(3))  # fmt: skip
    with database.reading() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET TIME ZONE 'Pacific/Auckland'"))
        rows = records.complaint_kpis(session, NOW)
    assert rows == [records.KpiRow("2026-11", "s1", 1, 0, 1, 0)]
