"""Training records: staff profiles, acknowledgments, quiz attempts and answers,
refresher cards, and the keys that send each training message once.

Plain functions taking the caller's session; the services decide what is asked of whom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from charter.store import outbox
from charter.store.models import (
    Acknowledgment,
    Base,
    QuizAnswer,
    QuizAttempt,
    RefresherCard,
    SectionRead,
    StaffProfile,
    TrainingSend,
    User,
)

__all__ = [
    "Acknowledgment", "ClauseTally", "QuizAnswer", "QuizAttempt", "RefresherCard",
    "StaffProfile", "acknowledgments", "add_acknowledgment", "add_answer", "answers_of",
    "attempt", "attempts", "card", "cards_due", "claim_send", "clause_tallies", "drop_cards",
    "mark_read", "new_attempt", "profile", "put_profile", "queue_message", "reads", "reads_of",
    "sent_keys", "set_card", "staff",
]  # fmt: skip


def staff(session: Session) -> list[tuple[User, StaffProfile | None]]:
    """Every active account with its profile (None when it has none yet), by name."""
    query = (
        select(User, StaffProfile)
        .outerjoin(StaffProfile, StaffProfile.user_id == User.id)
        .where(User.active.is_(True))
        .order_by(User.name, User.id)
    )
    return [(user, found) for user, found in session.execute(query)]


def profile(session: Session, user_id: int) -> StaffProfile | None:
    return session.get(StaffProfile, user_id)


def put_profile(session: Session, user_id: int, **fields: Any) -> StaffProfile:
    """Write an account's profile (created when it has none)."""
    row = session.get(StaffProfile, user_id, with_for_update=True)
    if row is None:
        row = StaffProfile(user_id=user_id, channels=[])
        session.add(row)
    for name, value in fields.items():
        setattr(row, name, value)
    session.flush()
    return row


def acknowledgments(
    session: Session, user_ids: Sequence[int] | None = None
) -> list[Acknowledgment]:
    """Acknowledgments (of ``user_ids``, or everyone's), oldest first."""
    query = select(Acknowledgment).order_by(Acknowledgment.acknowledged_at, Acknowledgment.id)
    if user_ids is not None:
        query = query.where(Acknowledgment.user_id.in_(list(user_ids)))
    return list(session.scalars(query))


def add_acknowledgment(
    session: Session, *, user_id: int, version_id: int, number: int, content_hash: str,
    at: dt.datetime,
) -> bool:  # fmt: skip
    """Record an acknowledgment; False when the person had acknowledged that version
    already (the first one stands)."""
    values = {"user_id": user_id, "version_id": version_id, "version_number": number,
              "content_hash": content_hash, "acknowledged_at": at}  # fmt: skip
    return _insert_new(session, "acknowledgments", values)


def mark_read(
    session: Session, user_id: int, version_id: int, section: str, at: dt.datetime
) -> None:
    """Record that a person read a section of a version (the first time stands)."""
    _insert_new(session, "section_reads", {"user_id": user_id, "version_id": version_id,
                                           "section": section, "read_at": at})  # fmt: skip


def reads(session: Session, user_id: int, version_id: int) -> dict[str, dt.datetime]:
    """The sections a person marked as read in a version, with when."""
    query = select(SectionRead.section, SectionRead.read_at).where(
        SectionRead.user_id == user_id, SectionRead.version_id == version_id
    )
    return {str(s): at for s, at in session.execute(query)}


def reads_of(session: Session, user_ids: Sequence[int]) -> dict[tuple[int, int], set[str]]:
    """The sections each of ``user_ids`` marked as read, by (person, version)."""
    query = select(SectionRead.user_id, SectionRead.version_id, SectionRead.section).where(
        SectionRead.user_id.in_(list(user_ids))
    )
    found: dict[tuple[int, int], set[str]] = {}
    for user, version, section in session.execute(query):
        found.setdefault((int(user), int(version)), set()).add(str(section))
    return found


def new_attempt(
    session: Session, user_id: int, version_id: int, questions: list[str], at: dt.datetime
) -> QuizAttempt:
    row = QuizAttempt(user_id=user_id, version_id=version_id, questions=questions, started_at=at)
    session.add(row)
    session.flush()
    return row


def attempt(session: Session, attempt_id: int, *, lock: bool = False) -> QuizAttempt | None:
    return session.get(QuizAttempt, attempt_id, with_for_update=lock)


def attempts(session: Session, user_ids: Sequence[int] | None = None) -> list[QuizAttempt]:
    """Quiz attempts (of ``user_ids``, or everyone's), oldest first."""
    query = select(QuizAttempt).order_by(QuizAttempt.started_at, QuizAttempt.id)
    if user_ids is not None:
        query = query.where(QuizAttempt.user_id.in_(list(user_ids)))
    return list(session.scalars(query))


def answers_of(
    session: Session, *, attempt_id: int | None = None, user_ids: Sequence[int] | None = None
) -> list[QuizAnswer]:
    """Answers of one attempt, or of some people (or everyone's), oldest first."""
    query: Select[tuple[QuizAnswer]] = select(QuizAnswer)
    if attempt_id is not None:
        query = query.where(QuizAnswer.attempt_id == attempt_id)
    if user_ids is not None:
        query = query.where(QuizAnswer.user_id.in_(list(user_ids)))
    return list(session.scalars(query.order_by(QuizAnswer.answered_at, QuizAnswer.id)))


def add_answer(session: Session, **fields: Any) -> QuizAnswer:
    row = QuizAnswer(**fields)
    session.add(row)
    session.flush()
    return row


def card(session: Session, user_id: int, question_id: str) -> RefresherCard | None:
    """A person's card for a question, locked for this transaction."""
    return session.get(RefresherCard, (user_id, question_id), with_for_update=True)


def set_card(
    session: Session, user_id: int, question_id: str, schedule: tuple[int, dt.datetime] | None
) -> None:
    """Give a person's card for a question its step and due instant; None removes it."""
    row = session.get(RefresherCard, (user_id, question_id), with_for_update=True)
    if schedule is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = RefresherCard(user_id=user_id, question_id=question_id)
        session.add(row)
    row.step, row.due_at = schedule


def drop_cards(session: Session, user_id: int, question_ids: Sequence[str]) -> None:
    """Remove a person's cards for questions the policy no longer asks."""
    for question_id in question_ids:
        set_card(session, user_id, question_id, None)


def cards_due(session: Session, user_id: int, at: dt.datetime) -> list[RefresherCard]:
    """A person's refresher cards due at ``at``, the longest due first."""
    query = (
        select(RefresherCard)
        .where(RefresherCard.user_id == user_id, RefresherCard.due_at <= at)
        .order_by(RefresherCard.due_at, RefresherCard.question_id)
    )
    return list(session.scalars(query))


def claim_send(session: Session, user_id: int, version_id: int, kind: str, at: dt.datetime) -> bool:
    """Write the key of one training message; False when it was written before (the
    message went, or is going, already)."""
    values = {"user_id": user_id, "version_id": version_id, "kind": kind, "sent_at": at}
    return _insert_new(session, "training_sends", values)


def sent_keys(session: Session) -> set[tuple[int, int, str]]:
    """The (person, version, kind) of every training message written so far."""
    query = select(TrainingSend.user_id, TrainingSend.version_id, TrainingSend.kind)
    return {(int(u), int(v), str(k)) for u, v, k in session.execute(query)}


def _insert_new(session: Session, table_name: str, values: dict[str, Any]) -> bool:
    """Insert a row unless one with its key is there (two requests racing included);
    whether this one was written."""
    table = Base.metadata.tables[table_name]
    build = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    key = next(iter(table.primary_key.columns))
    statement = build(table).values(**values).on_conflict_do_nothing().returning(key)
    return session.execute(statement).first() is not None


def queue_message(
    session: Session, *, version_id: int, kind: str, recipient: str, payload: dict[str, Any],
    at: dt.datetime,
) -> None:  # fmt: skip
    """Write a training e-mail to the outbox, due at ``at``."""
    outbox.queue(session, purpose="training", version_id=version_id, kind=kind,
                 recipient=recipient, payload=payload, at=at)  # fmt: skip


@dataclass(frozen=True)
class ClauseTally:
    """How one clause's questions were answered: answers, wrong ones, and the people who
    answered and who got one wrong."""

    clause_id: str
    answers: int
    wrong: int
    people: int
    people_wrong: int


def clause_tallies(session: Session, user_ids: Sequence[int] | None = None) -> list[ClauseTally]:
    """Per clause, over the quiz and refresher answers (of ``user_ids``, or everyone's):
    the counts the managers' page shows: the largest share of people who got one wrong
    first, then the most people, then by clause id."""
    wrong = QuizAnswer.correct.is_(False)
    query = select(
        QuizAnswer.clause_id,
        func.count(),
        func.count().filter(wrong),
        func.count(QuizAnswer.user_id.distinct()),
        func.count(QuizAnswer.user_id.distinct()).filter(wrong),
    ).group_by(QuizAnswer.clause_id)
    if user_ids is not None:
        query = query.where(QuizAnswer.user_id.in_(list(user_ids)))
    rows = [
        ClauseTally(str(c), int(a), int(w), int(p), int(pw))
        for c, a, w, p, pw in session.execute(query)
    ]
    worst = sorted(rows, key=lambda t: (-t.people_wrong / max(t.people, 1), -t.people_wrong,
                                        t.clause_id))  # fmt: skip
    return worst
