"""Browser sign-ins kept on the server, so that signing out ends them for good.

A signed-in browser's cookie carries a random sign-in id (its ``secret``); the
database keeps only its SHA-256, in ``sign_ins``, with the account, the account's
sign-in generation when it began (``users.session_epoch``), and when it began, was
last seen and was ended. A sign-in is live while:

- it has not been ended (signed out, or ended from another of its account's sign-ins);
- it began less than ``max_age`` seconds ago;
- its account is active and still in the same sign-in generation (a new password or
  disabling the account moves it on, which ends every sign-in begun before).

Every request made with the cookie checks all of this in the query that loads the
account, so a copy of a cookie taken before signing out is refused after it.

>>> import tempfile, pathlib
>>> from charter.services.accounts import create_user, principal
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> ada = create_user(db, email="ada@example.com", name="Ada", role="agent",
...                   password="a long password")
>>> secret = start_sign_in(db, Principal(ada.id, ada.email, ada.name, ada.role), max_age=60)
>>> live_principal(db, secret, max_age=60).email
'ada@example.com'
>>> end_sign_in(db, secret); live_principal(db, secret, max_age=60) is None
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import ColumnElement, and_, delete, select, update

from charter import clock
from charter.services.accounts import UNPRINTABLE, Principal, principal
from charter.store import Database
from charter.store.models import SignIn, User

SEEN_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often
AGENT_LENGTH = 200


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or clock.now()


def _live(moment: dt.datetime, max_age: int) -> ColumnElement[bool]:
    """A sign-in not ended, not expired, and in its account's current generation."""
    return and_(
        SignIn.ended_at.is_(None),
        SignIn.created_at > moment - dt.timedelta(seconds=max_age),
        SignIn.epoch == select(User.session_epoch).where(User.id == SignIn.user_id)
        .scalar_subquery(),
    )  # fmt: skip


def start_sign_in(
    database: Database,
    who: Principal,
    *,
    max_age: int,
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> str:
    """A new live sign-in for ``who`` (just signed in with a password); the secret for
    its cookie, which is kept nowhere else. The account's expired sign-ins go."""
    moment, secret = _now(now), secrets.token_urlsafe(32)
    expired = moment - dt.timedelta(seconds=max_age)
    agent = UNPRINTABLE.sub("", user_agent)[:AGENT_LENGTH]
    with database.transaction() as session:
        session.execute(
            delete(SignIn).where(SignIn.user_id == who.id, SignIn.created_at <= expired)
        )
        session.add(
            SignIn(
                user_id=who.id,
                token_hash=_digest(secret),
                epoch=who.epoch,
                created_at=moment,
                last_seen_at=moment,
                user_agent=agent,
            )
        )
    return secret


def live_principal(
    database: Database, secret: str, *, max_age: int, now: dt.datetime | None = None
) -> Principal | None:
    """The active account behind a live sign-in, or None (one query; a write at most
    once a minute, to record when the sign-in was last seen)."""
    moment = _now(now)
    with database.transaction() as session:
        found = session.execute(
            select(SignIn, User)
            .join(User, User.id == SignIn.user_id)
            .where(
                SignIn.token_hash == _digest(secret),
                SignIn.ended_at.is_(None),
                SignIn.created_at > moment - dt.timedelta(seconds=max_age),
                SignIn.epoch == User.session_epoch,
                User.active,
            )
        ).one_or_none()
        if found is None:
            return None
        row, user = found
        if moment - row.last_seen_at >= SEEN_EVERY:
            row.last_seen_at = moment
        return principal(user, "session")


def end_sign_in(database: Database, secret: str, now: dt.datetime | None = None) -> None:
    """End the sign-in (signing out); ending one already ended changes nothing."""
    with database.transaction() as session:
        session.execute(
            update(SignIn)
            .where(SignIn.token_hash == _digest(secret), SignIn.ended_at.is_(None))
            .values(ended_at=_now(now))
        )


def end_other_sign_ins(
    database: Database,
    user_id: int,
    *,
    keep: str | None,
    max_age: int,
    now: dt.datetime | None = None,
) -> int:
    """End every live sign-in of account ``user_id`` but the one of secret ``keep``
    (none kept when it is None); how many were live and are now ended."""
    moment = _now(now)
    others = [SignIn.user_id == user_id, _live(moment, max_age)]
    if keep is not None:
        others.append(SignIn.token_hash != _digest(keep))
    with database.transaction() as session:
        ended = session.execute(
            update(SignIn)
            .where(*others)
            .values(ended_at=moment)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(ended, "rowcount", 0))  # a CursorResult, typed as a Result


def renew_sign_in(database: Database, secret: str) -> None:
    """Carry a live sign-in over to its account's current sign-in generation: the
    browser that just changed its own password stays signed in (the others end)."""
    current = select(User.session_epoch).where(User.id == SignIn.user_id).scalar_subquery()
    with database.transaction() as session:
        session.execute(
            update(SignIn)
            .where(SignIn.token_hash == _digest(secret), SignIn.ended_at.is_(None))
            .values(epoch=current)
            .execution_options(synchronize_session=False)
        )
