"""Accounts in the store: users, their browser sign-ins, failed sign-ins, API tokens.

Plain functions over the caller's ``Session``; the services (``charter.services.
accounts``, ``sessions``, ``signin``, ``tokens``) open the transaction and decide
what the rows mean. Secrets arrive here already hashed (``digest``); nothing in the
store sees a password, a cookie or a token in clear.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> with db.transaction() as session:
...     ada = add_user(session, email="ada@example.com", name="Ada", role="admin",
...                    password_hash="x")
...     token = add_token(session, ada.id, name="CI", prefix="chr_abc", digest="d" * 64)
>>> with db.reading() as session:
...     found = token_by_hash(session, "d" * 64)
...     found[1].email, count_active_admins(session)
('ada@example.com', 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, delete, func, select, text, update
from sqlalchemy.orm import Session

from charter.store.models import ApiToken, LoginAttempt, SignIn, User


def add_user(session: Session, *, email: str, name: str, role: str, password_hash: str) -> User:
    """A new active user, flushed so that it has its id."""
    user = User(email=email, name=name, role=role, password_hash=password_hash, active=True)
    session.add(user)
    session.flush()
    return user


def all_users(session: Session) -> list[User]:
    """Every user, oldest first."""
    return list(session.scalars(select(User).order_by(User.id)))


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_email(session: Session, email: str) -> User | None:
    """The user of this (already normalised) e-mail address."""
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def hold_accounts(session: Session) -> None:
    """Make this transaction the only one changing accounts until it ends.

    Without it two admins demoting each other at the same instant each see the
    other still admin, and both succeed. PostgreSQL locks the active admins' rows,
    always in the same order so two changes cannot deadlock; SQLite takes its one
    write lock now, before anything is read, rather than at the first write.
    """
    if session.get_bind().dialect.name == "sqlite":
        driver = session.connection().connection.dbapi_connection
        if not getattr(driver, "in_transaction", True):  # the driver begins lazily
            session.execute(text("BEGIN IMMEDIATE"))
        return
    admins = select(User.id).where(User.role == "admin", User.active).order_by(User.id)
    session.execute(admins.with_for_update())


def count_active_admins(session: Session) -> int:
    """How many active admins there are (pending changes flushed by the caller)."""
    admins = session.scalar(
        select(func.count()).select_from(User).where(User.role == "admin", User.active)
    )
    return int(admins or 0)


def add_sign_in(
    session: Session,
    *,
    user_id: int,
    digest: str,
    epoch: int,
    at: dt.datetime,
    user_agent: str,
) -> None:
    """A new sign-in begun (and last seen) ``at``."""
    row = SignIn(
        user_id=user_id,
        token_hash=digest,
        epoch=epoch,
        created_at=at,
        last_seen_at=at,
        user_agent=user_agent,
    )
    session.add(row)


def drop_expired_sign_ins(session: Session, user_id: int, until: dt.datetime) -> None:
    """Delete the user's sign-ins begun at or before ``until``: the expired ones."""
    session.execute(delete(SignIn).where(SignIn.user_id == user_id, SignIn.created_at <= until))


def live_sign_in(session: Session, digest: str, since: dt.datetime) -> tuple[SignIn, User] | None:
    """The sign-in of this digest and its user, when it is not ended, began after
    ``since``, is in its user's current generation and the user is active."""
    found = session.execute(
        select(SignIn, User)
        .join(User, User.id == SignIn.user_id)
        .where(
            SignIn.token_hash == digest,
            SignIn.ended_at.is_(None),
            SignIn.created_at > since,
            SignIn.epoch == User.session_epoch,
            User.active,
        )
    ).one_or_none()
    return None if found is None else (found[0], found[1])


def end_sign_in(session: Session, digest: str, at: dt.datetime) -> None:
    """Mark the sign-in of this digest ended ``at``, unless it is ended already."""
    session.execute(
        update(SignIn)
        .where(SignIn.token_hash == digest, SignIn.ended_at.is_(None))
        .values(ended_at=at)
    )


def end_live_sign_ins(
    session: Session, user_id: int, *, since: dt.datetime, keep: str | None, at: dt.datetime
) -> int:
    """End the user's live sign-ins (begun after ``since``) but the one of digest
    ``keep``; how many were ended."""
    others = [SignIn.user_id == user_id, _live(since)]
    if keep is not None:
        others.append(SignIn.token_hash != keep)
    ended = session.execute(
        update(SignIn)
        .where(*others)
        .values(ended_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(ended, "rowcount", 0))  # a CursorResult, typed as a Result


def renew_sign_in(session: Session, digest: str) -> None:
    """Move the sign-in of this digest, if not ended, to its user's current generation."""
    session.execute(
        update(SignIn)
        .where(SignIn.token_hash == digest, SignIn.ended_at.is_(None))
        .values(epoch=_current_epoch())
        .execution_options(synchronize_session=False)
    )


def _current_epoch() -> ColumnElement[int]:
    return select(User.session_epoch).where(User.id == SignIn.user_id).scalar_subquery()


def _live(since: dt.datetime) -> ColumnElement[bool]:
    """A sign-in not ended, begun after ``since``, in its account's current generation."""
    return and_(
        SignIn.ended_at.is_(None),
        SignIn.created_at > since,
        SignIn.epoch == _current_epoch(),
    )


def recent_failures(
    session: Session, keys: Iterable[str], since: dt.datetime
) -> list[tuple[str, int, dt.datetime]]:
    """Per key with failures after ``since``: the key, how many, and the latest."""
    rows = session.execute(
        select(LoginAttempt.key, func.count(), func.max(LoginAttempt.at))
        .where(LoginAttempt.key.in_(tuple(keys)), LoginAttempt.at > since)
        .group_by(LoginAttempt.key)
    ).all()
    return [(key, count, _aware(latest)) for key, count, latest in rows]


def add_failures(
    session: Session, keys: Iterable[str], at: dt.datetime, *, forget_until: dt.datetime
) -> None:
    """Count a failure ``at`` under each key; their failures at or before
    ``forget_until`` go."""
    keys = tuple(keys)
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.key.in_(keys), LoginAttempt.at <= forget_until)
    )
    session.add_all(LoginAttempt(key=key, at=at) for key in keys)


def clear_failures(session: Session, key: str) -> None:
    """Forget every failure counted under ``key``."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))


def _aware(value: object) -> dt.datetime:
    """An aggregate's instant: SQLite gives it back as text, without a zone."""
    instant = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=dt.UTC)


def add_token(session: Session, user_id: int, *, name: str, prefix: str, digest: str) -> ApiToken:
    """A new token row, flushed so that it has its id and creation instant."""
    row = ApiToken(user_id=user_id, name=name, prefix=prefix, token_hash=digest)
    session.add(row)
    session.flush()
    return row


def tokens_of(session: Session, user_id: int | None) -> list[ApiToken]:
    """The tokens of one user, or everyone's when ``user_id`` is None; oldest first."""
    query = select(ApiToken).order_by(ApiToken.id)
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(session.scalars(query))


def token_by_id(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def token_by_hash(session: Session, digest: str) -> tuple[ApiToken, User] | None:
    """The token of this digest and its owner, revoked or not."""
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest)
    ).one_or_none()
    return None if found is None else (found[0], found[1])
