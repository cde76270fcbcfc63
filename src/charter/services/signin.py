"""Signing in with e-mail and password, rate-limited per account and per address.

Failed attempts are rows in the database, so the limit holds across workers and
restarts. A wrong e-mail and a wrong password give the same message (and take as
long), so the sign-in form does not reveal which accounts exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from charter.errors import AuthError, RateLimited
from charter.services._passwords import hash_password, needs_rehash, verify_password
from charter.services.accounts import EMAIL_LENGTH, UNPRINTABLE, Principal, principal
from charter.store import Database
from charter.store.models import LoginAttempt, User


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` failures per account and per address within ``window`` seconds."""

    attempts: int = 5
    window: int = 900


def sign_in(
    database: Database,
    email: str,
    password: str,
    *,
    address: str,
    limit: Limit = Limit(),
    now: dt.datetime | None = None,
) -> Principal:
    """The principal for a correct e-mail and password of an active account."""
    moment = now or dt.datetime.now(dt.UTC)
    email = email.strip().lower()
    # An address no account can have (too long, control characters) is not looked up,
    # and keys are cut to what the table holds; the attempt is still counted.
    storable = len(email) <= EMAIL_LENGTH and not UNPRINTABLE.search(email)
    keys = (f"account:{_key_part(email)}", f"address:{_key_part(address)}")
    with database.transaction() as session:
        _check_limit(session, keys, limit, moment)
        found = select(User).where(User.email == email)
        user = session.scalars(found).one_or_none() if storable else None
        good = verify_password(user.password_hash if user else None, password)
        if user is None or not good or not user.active:
            session.add_all(LoginAttempt(key=key, at=moment) for key in keys)
            failed = True
        else:
            session.execute(delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
            user.last_login_at = moment
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            failed = False
            who = principal(user, "session")
    if failed:  # raised after the commit, so the failure is counted
        raise AuthError("wrong e-mail or password, or the account is disabled")
    return who


def _key_part(value: str) -> str:
    return UNPRINTABLE.sub("?", value)[:EMAIL_LENGTH]


def _check_limit(
    session: Session, keys: tuple[str, ...], limit: Limit, moment: dt.datetime
) -> None:
    since = moment - dt.timedelta(seconds=limit.window)
    rows = session.execute(
        select(LoginAttempt.key, func.count(), func.min(LoginAttempt.at))
        .where(LoginAttempt.key.in_(keys), LoginAttempt.at > since)
        .group_by(LoginAttempt.key)
    ).all()
    for _key, count, oldest in rows:
        if count >= limit.attempts:
            oldest_at = (
                oldest
                if isinstance(oldest, dt.datetime)
                else dt.datetime.fromisoformat(str(oldest))
            )
            if oldest_at.tzinfo is None:
                oldest_at = oldest_at.replace(tzinfo=dt.UTC)
            wait = max(1, int((oldest_at - since).total_seconds()) + 1)
            raise RateLimited(
                f"too many failed sign-ins; try again in {wait} seconds", retry_after=wait
            )
