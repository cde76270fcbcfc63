"""The survey invitations' repository: the answers it hands the review pack and the
once-only moves the worker relies on, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import polars as pl

from charter.store import Database
from charter.store import surveys as store
from charter.store.models import SurveyInvitation

T0 = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def _invitation(ticket_id: int, state: str, **fields: object) -> SurveyInvitation:
    values: dict[str, object] = {
        "ticket_id": ticket_id, "version_id": 1, "kind": "csat", "email": f"c{ticket_id}@x.test",
        "solved_at": T0, "due_at": T0 + dt.timedelta(hours=1), "state": state, "created_at": T0,
    }  # fmt: skip
    values.update(fields)
    return SurveyInvitation(**values)


def test_answered_gives_the_answers_of_the_period_with_their_columns(database: Database) -> None:
    with database.transaction() as session:
        session.add_all([
            # ticket 1: answered inside the period, a bad score with reasons
            _invitation(1, "answered", score=2, comment="Slow", reasons=["It took too long"],
                        answered_at=T0 + dt.timedelta(days=1)),
            # ticket 2: answered inside the period, no comment, no reasons
            _invitation(2, "answered", kind="nps", score=9, reasons=[],
                        answered_at=T0 + dt.timedelta(days=2)),
            # ticket 3: answered on the period's end: outside ([since, until))
            _invitation(3, "answered", score=5, reasons=[], answered_at=T0 + dt.timedelta(days=7)),
            # ticket 4: sent, never answered
            _invitation(4, "sent"),
        ])  # fmt: skip
    with database.reading() as session:
        found = store.answered(session, T0, T0 + dt.timedelta(days=7))
    assert found.schema == pl.Schema(store.ANSWERED_SCHEMA)
    assert found.to_dicts() == [
        {"ticket_id": 1, "kind": "csat", "score": 2, "comment": "Slow",
         "reasons": ["It took too long"], "answered_at": T0 + dt.timedelta(days=1)},
        {"ticket_id": 2, "kind": "nps", "score": 9, "comment": None, "reasons": [],
         "answered_at": T0 + dt.timedelta(days=2)},
    ]  # fmt: skip


def test_answered_with_none_in_the_period_is_an_empty_frame_with_the_columns(
    database: Database,
) -> None:
    with database.reading() as session:
        found = store.answered(session, T0, T0 + dt.timedelta(days=7))
    assert found.height == 0
    assert found.schema == pl.Schema(store.ANSWERED_SCHEMA)
