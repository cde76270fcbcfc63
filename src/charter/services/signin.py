"""Signing in with e-mail and password, slowed per (account, address) and per address.

Failed attempts are rows in the database, so the waits hold across workers and
restarts. They are counted under two keys: the account tried from this address, and
the address whatever account it tries. After ``Limit.attempts`` failures of a pair,
or ``Limit.address_attempts`` of an address, each next attempt waits a delay that
doubles with every further failure, up to a cap (``charter.services._throttle``).
No key is ever the account alone: wrong passwords sent from one address never stop
the account's owner signing in from another. A successful sign-in clears its pair's
failures (not its address's, which an attacker's own account could otherwise clear).

A wrong e-mail and a wrong password give the same message (and take as long), so
the sign-in form does not reveal which accounts exist.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from charter import clock
from charter.errors import AuthError, RateLimited
from charter.services._passwords import hash_password, needs_rehash, verify_password
from charter.services._throttle import Limit, seconds_left
from charter.services.accounts import EMAIL_LENGTH, UNPRINTABLE, Principal, principal
from charter.store import Database
from charter.store import accounts as accounts_store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["Limit", "sign_in"]

ADDRESS_LENGTH = 40  # the longest IPv6 address in text is 39 characters
DEFAULT_LIMIT = Limit()


def sign_in(
    database: Database,
    email: str,
    password: str,
    *,
    address: str,
    limit: Limit = DEFAULT_LIMIT,
    now: dt.datetime | None = None,
) -> Principal:
    """The principal for a correct e-mail and password of an active account."""
    moment = now or clock.now()
    email = email.strip().lower()
    # An address no account can have (too long, control characters) is not looked up,
    # and keys are cut to what the table holds; the attempt is still counted.
    storable = len(email) <= EMAIL_LENGTH and not UNPRINTABLE.search(email)
    pair, by_address = _keys(email, address)
    with database.transaction() as session:
        _check_limit(session, pair, by_address, limit, moment)
        user = accounts_store.user_by_email(session, email) if storable else None
        good = verify_password(user.password_hash if user else None, password)
        if user is None or not good or not user.active:
            _record_failure(session, (pair, by_address), limit, moment)
            failed = True
        else:
            accounts_store.clear_failures(session, pair)
            user.last_login_at = moment
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            failed = False
            who = principal(user, "session")
    if failed:  # raised after the commit, so the failure is counted
        raise AuthError("wrong e-mail or password, or the account is disabled")
    return who


def _keys(email: str, address: str) -> tuple[str, str]:
    """The (account, address) pair's key and the address's, each within 300 characters."""
    where = _key_part(address)[:ADDRESS_LENGTH]
    return f"pair:{where}|{_key_part(email)}", f"address:{where}"


def _key_part(value: str) -> str:
    return UNPRINTABLE.sub("?", value)[:EMAIL_LENGTH]


def _record_failure(
    session: Session, keys: tuple[str, str], limit: Limit, moment: dt.datetime
) -> None:
    """Count a failure under both keys; their failures older than the window go."""
    since = moment - dt.timedelta(seconds=limit.window)
    accounts_store.add_failures(session, keys, moment, forget_until=since)


def _check_limit(
    session: Session, pair: str, by_address: str, limit: Limit, moment: dt.datetime
) -> None:
    """Refuse the attempt while either key must still wait, saying for how long."""
    since = moment - dt.timedelta(seconds=limit.window)
    rows = accounts_store.recent_failures(session, (pair, by_address), since)
    free = {pair: limit.attempts, by_address: limit.address_attempts}
    wait = max(
        (seconds_left(count, latest, free[key], limit, moment) for key, count, latest in rows),
        default=0,
    )
    if wait:
        raise RateLimited(
            f"too many failed sign-ins from this address; try again in {wait} seconds",
            retry_after=wait,
        )
