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
import secrets

from charter import clock
from charter.services.accounts import UNPRINTABLE, Principal, principal
from charter.services.tokens import digest  # the same SHA-256 of a random secret
from charter.store import Database
from charter.store import accounts as accounts_store

SEEN_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often
AGENT_LENGTH = 200


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or clock.now()


def _begun_after(moment: dt.datetime, max_age: int) -> dt.datetime:
    """The instant a sign-in live at ``moment`` must have begun after."""
    return moment - dt.timedelta(seconds=max_age)


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
    agent = UNPRINTABLE.sub("", user_agent)[:AGENT_LENGTH]
    with database.transaction() as session:
        accounts_store.drop_expired_sign_ins(session, who.id, _begun_after(moment, max_age))
        accounts_store.add_sign_in(
            session,
            user_id=who.id,
            digest=digest(secret),
            epoch=who.epoch,
            at=moment,
            user_agent=agent,
        )
    return secret


def live_principal(
    database: Database, secret: str, *, max_age: int, now: dt.datetime | None = None
) -> Principal | None:
    """The active account behind a live sign-in, or None (one query; a write at most
    once a minute, to record when the sign-in was last seen)."""
    moment = _now(now)
    with database.transaction() as session:
        since = _begun_after(moment, max_age)
        found = accounts_store.live_sign_in(session, digest(secret), since)
        if found is None:
            return None
        row, user = found
        if moment - row.last_seen_at >= SEEN_EVERY:
            row.last_seen_at = moment
        return principal(user, "session")


def end_sign_in(database: Database, secret: str, now: dt.datetime | None = None) -> None:
    """End the sign-in (signing out); ending one already ended changes nothing."""
    with database.transaction() as session:
        accounts_store.end_sign_in(session, digest(secret), _now(now))


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
    kept = None if keep is None else digest(keep)
    with database.transaction() as session:
        return accounts_store.end_live_sign_ins(
            session, user_id, since=_begun_after(moment, max_age), keep=kept, at=moment
        )


def renew_sign_in(database: Database, secret: str) -> None:
    """Carry a live sign-in over to its account's current sign-in generation: the
    browser that just changed its own password stays signed in (the others end)."""
    with database.transaction() as session:
        accounts_store.renew_sign_in(session, digest(secret))
