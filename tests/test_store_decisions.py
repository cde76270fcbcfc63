"""The decisions' repository: filters, clauses in order, batches and the refund
states, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from charter.store import Database
from charter.store import decisions as store
from charter.store.models import Decision

DUE = dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _decision(**fields: object) -> Decision:
    values: dict[str, object] = {
        "kind": "return", "asked_at": DUE - 10 * DAY, "asked_by": None, "asked_by_name": "Ann",
        "asked_via": "session", "inputs": {}, "outcome": "allowed", "answer": {},
        "version_label": "larkfield version 1", "content_hash": "ab" * 32,
        "version_basis": "order",
    }  # fmt: skip
    values.update(fields)
    return Decision(**values)


def _add(database: Database, *rows: tuple[Decision, list[tuple[str, str]]]) -> list[int]:
    with database.transaction() as session:
        return [store.add(session, row, clauses).id for row, clauses in rows]


def test_refund_story_counts_paid_on_time_late_and_overdue_at_an_instant(
    database: Database,
) -> None:
    _add(
        database,
        (_decision(refund_due_at=DUE, refund_paid_at=DUE - HOUR), []),  # paid an hour early
        (_decision(refund_due_at=DUE, refund_paid_at=DUE), []),  # paid at the due instant
        (_decision(refund_due_at=DUE, refund_paid_at=DUE + DAY), []),  # paid a day late
        (_decision(refund_due_at=DUE), []),  # unpaid, due yesterday at 11 Dec 12:00
        (_decision(refund_due_at=DUE + 2 * DAY), []),  # unpaid, due tomorrow: not counted
        (_decision(refund_paid_at=DUE), []),  # paid with no due instant: not counted
        (_decision(kind="delivery", outcome="promised"), []),  # no refund at all
    )
    with database.reading() as session:
        counts = store.refund_counts(session, DUE + DAY)
        # on time: the first two (paid <= due); late: the third; overdue: the fourth.
        assert counts == {"on_time": 2, "late": 1, "overdue": 1}
        overdue = store.find(session, store.Filter(refund="overdue", at=DUE + DAY), limit=10)
        assert [d.refund_paid_at for d in overdue] == [None]
        # An hour before the due instant the fourth is not overdue yet.
        assert store.refund_counts(session, DUE - HOUR)["overdue"] == 0


def test_filters_keep_kind_outcome_clause_person_dates_and_ticket(database: Database) -> None:
    ids = _add(
        database,
        (_decision(ticket_ref="T-1"), [("returns.window", "30 days"), ("return-unused", "U")]),
        (_decision(kind="delivery", outcome="late", asked_at=DUE), [("delivery.uk", "2 days")]),
        (_decision(outcome="refused", asked_at=DUE + DAY), [("return-unused", "Unused")]),
    )
    with database.reading() as session:

        def kept(**keep: object) -> list[int]:
            return sorted(d.id for d in store.find(session, store.Filter(**keep), limit=10))  # type: ignore[arg-type]

        assert kept() == ids
        assert kept(kind="delivery") == [ids[1]]
        assert kept(outcome="refused") == [ids[2]]
        # A clause cited second counts as much as one cited first.
        assert kept(clause="return-unused") == [ids[0], ids[2]]
        assert kept(ticket_ref="T-1") == [ids[0]]
        # since included, until not: [DUE, DUE + 1 day) holds only the delivery.
        assert kept(since=DUE, until=DUE + DAY) == [ids[1]]
        assert store.count(session, store.Filter(kind="return")) == 2
        clauses = store.clauses_of(session, [ids[0]])[ids[0]]
        assert [(c.position, c.clause_id) for c in clauses] == [
            (0, "returns.window"),
            (1, "return-unused"),
        ]


def test_in_batches_reads_every_kept_row_oldest_first_in_pieces(database: Database) -> None:
    ids = _add(database, *[(_decision(), []) for _ in range(5)])
    with database.reading() as session:
        batches = [[d.id for d in b] for b in store.in_batches(session, store.Filter(), size=2)]
    assert batches == [ids[0:2], ids[2:4], ids[4:5]]
