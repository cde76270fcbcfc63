"""Survey invitations: one per solved ticket at most, from scheduled to answered.

Every function takes the session and never commits; the survey service owns the
transaction. The worker's steps move whole sets of invitations in one statement each
(no query per ticket): ``schedule`` inserts the new ones (a second worker's insert of
the same ticket is a no-op: ``ticket_id`` is unique), ``claim_due`` moves the due ones
to ``sent`` and returns only those this transaction moved, so two workers never send
one twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import and_, bindparam, case, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from charter.store.models import OutboxMessage, SlaState, SurveyInvitation, Ticket, UtcDateTime
from charter.store.scores import kept_or_broken

__all__ = [
    "ANSWERED_SCHEMA",
    "PromiseCsat",
    "Due",
    "SurveyInvitation",
    "answer",
    "answered",
    "against_tickets",
    "answers_since",
    "claim_due",
    "csat_by_promise",
    "expire",
    "invitation",
    "queue_mail",
    "reschedule",
    "schedule",
    "source_ids",
    "withdraw",
]

SOLVED = ("solved", "closed")
CHUNK = 10_000  # ids per statement

ANSWERED_SCHEMA: dict[str, pl.DataType] = {
    "ticket_id": pl.Int64(),
    "kind": pl.Utf8(),
    "score": pl.Int64(),
    "comment": pl.Utf8(),
    "reasons": pl.List(pl.Utf8()),
    "answered_at": pl.Datetime("us", "UTC"),
}


def answered(session: Session, since: dt.datetime, until: dt.datetime) -> pl.DataFrame:
    """The answers given in ``[since, until)``, one row per ticket, oldest first:
    ``ticket_id``, ``kind`` (csat, nps, ces), ``score``, ``comment`` (null when none),
    ``reasons`` (a list, empty when none ticked) and ``answered_at`` (UTC)."""
    row = SurveyInvitation
    query = (
        select(row.ticket_id, row.kind, row.score, row.comment, row.reasons, row.answered_at)
        .where(row.state == "answered", row.answered_at >= since, row.answered_at < until)
        .order_by(row.answered_at, row.ticket_id)
    )
    rows = [(t, k, s, c, list(r or []), a) for t, k, s, c, r, a in session.execute(query)]
    return pl.DataFrame(rows, schema=ANSWERED_SCHEMA, orient="row")


def schedule(
    session: Session, *, since: dt.datetime, after_seconds: int, version_id: int, kind: str,
    now: dt.datetime,
) -> int:  # fmt: skip
    """Schedule an invitation for every ticket solved (or closed) at or after ``since``
    with a requester's address and none yet, due ``after_seconds`` after its solve: one
    ``INSERT ... SELECT``; a ticket that has one already, from another worker too, is
    left as it is (``ON CONFLICT DO NOTHING`` on the unique ``ticket_id``). How many
    were scheduled."""
    t, i = Ticket, SurveyInvitation
    dialect = session.get_bind().dialect.name
    known = select(i.ticket_id).where(i.ticket_id == t.id)
    chosen = select(
        t.id, literal(version_id), literal(kind), t.requester_email, t.solved_at,
        _plus_seconds(dialect, after_seconds), literal("scheduled"),
        literal(now, UtcDateTime()),
    ).where(
        t.status.in_(SOLVED), t.solved_at >= since, t.requester_email.is_not(None),
        t.requester_email != "", ~known.exists(),
    ).order_by(t.id)  # fmt: skip
    # In ticket order: two workers inserting the same tickets wait on each other in the
    # same order, never each on the other's.
    columns = ["ticket_id", "version_id", "kind", "email", "solved_at", "due_at", "state",
               "created_at"]  # fmt: skip
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = (
        module.insert(i).from_select(columns, chosen).on_conflict_do_nothing(
            index_elements=["ticket_id"]).returning(i.id)
    )  # fmt: skip
    # Counted from the rows it returns: the drivers' row counts of an INSERT ... SELECT
    # with ON CONFLICT are not to be trusted.
    return len(session.execute(statement).all())


def _plus_seconds(dialect: str, seconds: int) -> Any:
    """The ticket's solve plus ``seconds``, as each database keeps an instant: SQLite's
    text (``YYYY-MM-DD HH:MM:SS.ffffff``: whole seconds added, the fraction kept)."""
    if dialect == "postgresql":
        return Ticket.solved_at + func.make_interval(0, 0, 0, 0, 0, 0, seconds)
    whole = func.strftime("%Y-%m-%d %H:%M:%S", Ticket.solved_at, f"+{int(seconds)} seconds")
    return whole.op("||")(func.substr(Ticket.solved_at, 20, 7))


def against_tickets(session: Session, state: str) -> pl.DataFrame:
    """Every invitation in ``state`` beside its ticket as it is now: ``id``,
    ``ticket_id``, ``solved_at`` (the solve it follows), ``due_at``, ``status`` and
    ``now_solved_at`` (the ticket's), for the service to tell which still stand."""
    i, t = SurveyInvitation, Ticket
    query = (
        select(i.id, i.ticket_id, i.solved_at, i.due_at, t.status, t.solved_at)
        .join(t, t.id == i.ticket_id, isouter=True)
        .where(i.state == state)
    )
    instant = pl.Datetime("us", "UTC")
    schema = {"id": pl.Int64(), "ticket_id": pl.Int64(), "solved_at": instant,
              "due_at": instant, "status": pl.Utf8(), "now_solved_at": instant}  # fmt: skip
    return pl.DataFrame(list(session.execute(query)), schema=schema, orient="row")


def reschedule(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Schedule withdrawn invitations again after a later solve (``id``, ``solved_at``,
    ``due_at`` each)."""
    if not rows:
        return
    statement = (
        update(SurveyInvitation)
        .where(SurveyInvitation.id == bindparam("invitation"),
               SurveyInvitation.state == "withdrawn")
        .values(state="scheduled", solved_at=bindparam("solved"), due_at=bindparam("due"))
    )  # fmt: skip
    params = [{"invitation": r["id"], "solved": r["solved_at"], "due": r["due_at"]} for r in rows]
    session.connection().execute(statement, params)


def source_ids(session: Session, ticket_ids: Sequence[int]) -> dict[int, str]:
    """The helpdesk's id of each of ``ticket_ids`` (what the customer knows it by)."""
    if not ticket_ids:
        return {}
    found: dict[int, str] = {}
    for chunk in _chunks(ticket_ids):
        query = select(Ticket.id, Ticket.source_id).where(Ticket.id.in_(chunk))
        found.update((int(i), str(s)) for i, s in session.execute(query))
    return found


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    """``ids`` in lists of at most ``CHUNK``: a statement's parameters are bounded
    (65,535 on PostgreSQL), so a long list is several statements, never one per id."""
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def withdraw(session: Session, ids: Sequence[int]) -> int:
    """Withdraw the still scheduled invitations among ``ids``; how many."""
    withdrawn = 0
    for chunk in _chunks(ids):
        statement = (
            update(SurveyInvitation)
            .where(SurveyInvitation.id.in_(chunk), SurveyInvitation.state == "scheduled")
            .values(state="withdrawn")
        )
        withdrawn += int(session.execute(statement).rowcount)  # type: ignore[attr-defined]
    return withdrawn


@dataclass(frozen=True)
class Due:
    """An invitation this transaction moved to ``sent``: its e-mail is to be queued."""

    id: int
    ticket_id: int
    version_id: int
    kind: str
    email: str
    expires_at: dt.datetime


def claim_due(
    session: Session, ids: Sequence[int], now: dt.datetime, valid_for: dt.timedelta
) -> list[Due]:
    """Move the still scheduled invitations among ``ids`` to ``sent`` (their link valid
    for ``valid_for`` from ``now``); only those this call moved, so another worker that
    got there first leaves this one nothing to send."""
    expires = now + valid_for
    rows: list[Any] = []
    for chunk in _chunks(ids):
        statement = (
            update(SurveyInvitation)
            .where(SurveyInvitation.id.in_(chunk), SurveyInvitation.state == "scheduled")
            .values(state="sent", sent_at=now, expires_at=expires)
            .returning(
                SurveyInvitation.id, SurveyInvitation.ticket_id, SurveyInvitation.version_id,
                SurveyInvitation.kind, SurveyInvitation.email,
            )
        )  # fmt: skip
        rows += session.execute(statement).all()
    return sorted(
        (Due(int(i), int(t), int(v), str(k), str(e), expires) for i, t, v, k, e in rows),
        key=lambda d: d.id,
    )


def queue_mail(session: Session, due: Sequence[Due], payloads: Sequence[dict[str, Any]],
               at: dt.datetime) -> None:  # fmt: skip
    """Write each claimed invitation's e-mail to the outbox (purpose ``survey``, due at
    ``at``) and note the message on its invitation."""
    if not due:
        return
    rows = [
        {"ticket_id": d.ticket_id, "metric": "survey", "level_id": d.kind,
         "version_id": d.version_id, "channel": "email", "purpose": "survey",
         "recipient": d.email, "payload": p, "state": "pending", "tries": 0,
         "next_try_at": at, "created_at": at}
        for d, p in zip(due, payloads, strict=True)
    ]  # fmt: skip
    session.connection().execute(insert(OutboxMessage), rows)
    # A ticket's survey is sent once, so its one survey message is the one just written.
    o, i = OutboxMessage, SurveyInvitation
    message = (
        select(o.id).where(o.ticket_id == i.ticket_id, o.purpose == "survey").scalar_subquery()
    )
    for chunk in _chunks([d.id for d in due]):
        session.execute(update(i).where(i.id.in_(chunk)).values(outbox_id=message))


def expire(session: Session, now: dt.datetime) -> int:
    """Mark sent invitations whose link ran out unanswered as expired; how many."""
    statement = (
        update(SurveyInvitation)
        .where(SurveyInvitation.state == "sent", SurveyInvitation.expires_at <= now)
        .values(state="expired")
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def invitation(session: Session, invitation_id: int) -> SurveyInvitation | None:
    """One invitation by its number, locked for this transaction on PostgreSQL."""
    query = select(SurveyInvitation).where(SurveyInvitation.id == invitation_id)
    return session.scalars(query.with_for_update()).first()


def answers_since(session: Session, address_hash: str, since: dt.datetime) -> int:
    """How many answers one address gave since ``since``."""
    query = select(func.count()).where(
        SurveyInvitation.address_hash == address_hash, SurveyInvitation.answered_at >= since
    )
    return int(session.execute(query).scalar_one())


def answer(
    session: Session, invitation_id: int, *, score: int, comment: str | None,
    reasons: list[str], at: dt.datetime, address_hash: str,
) -> bool:  # fmt: skip
    """Record the answer on a sent invitation; False when it was answered (or is not
    open) already, so a second use of the link changes nothing."""
    statement = (
        update(SurveyInvitation)
        .where(and_(SurveyInvitation.id == invitation_id, SurveyInvitation.state == "sent"))
        .values(state="answered", score=score, comment=comment, reasons=reasons,
                answered_at=at, address_hash=address_hash)
    )  # fmt: skip
    return int(session.execute(statement).rowcount) == 1  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PromiseCsat:
    """CSAT of the tickets whose promises were all kept, or one of them broken."""

    group: str  # "kept" or "broken"
    tickets: int  # the group's tickets, scored or not
    answers: int  # those with a CSAT score (a survey answer, else the imported score)
    satisfied: int  # scores 4 or 5
    from_surveys: int  # scores that came from a survey answer


def csat_by_promise(
    session: Session, *, created_from: dt.datetime, created_before: dt.datetime,
    channel: str | None = None, priority: str | None = None, team: str | None = None,
) -> list[PromiseCsat]:  # fmt: skip
    """Tickets created in ``[created_from, created_before)`` (and the groups given) whose
    promises were kept (a clock met, none breached, at risk or running: the ticket
    list's worst status ``met``) or broken (a clock breached: worst ``breached``), with
    their CSAT: a ticket's survey answer of kind ``csat`` where it has one, else the
    score imported from the helpdesk. One grouped query."""
    s, t, a = SlaState.__table__.c, Ticket, SurveyInvitation
    group = kept_or_broken().label("grp")
    answered = case((a.state == "answered", a.score), else_=None)
    score = func.coalesce(answered, t.csat)
    counted = case((score.between(1, 5), 1), else_=0)
    query = (
        select(group, func.count(), func.sum(counted),
               func.sum(case((score.between(4, 5), 1), else_=0)),
               func.sum(case((answered.between(1, 5), 1), else_=0)))
        .select_from(t)
        .join(SlaState.__table__, s.ticket_id == t.id)
        .join(a, and_(a.ticket_id == t.id, a.kind == "csat", a.state == "answered"),
              isouter=True)
        .where(t.created_at >= created_from, t.created_at < created_before)
        .group_by(group)
    )  # fmt: skip
    for column, value in ((t.channel, channel), (t.priority, priority), (t.team, team)):
        if value is not None:  # whatever its case, as the ticket list's filters match
            query = query.where(func.lower(column) == func.lower(value))
    found = {g: rest for g, *rest in session.execute(query) if g is not None}
    return [
        PromiseCsat(g, *(int(n or 0) for n in found.get(g, (0, 0, 0, 0))))
        for g in ("kept", "broken")
    ]
