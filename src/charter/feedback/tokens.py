"""Short signed tokens: a few whole numbers and an expiry, signed with the server's
secret (``itsdangerous``, HMAC), in base 62 so they read well in a link.

A token cannot be guessed, changed (another number, a later expiry) or used under
another purpose: each purpose signs with its own salt.

>>> import datetime as dt
>>> at = dt.datetime(2026, 12, 21, 9, tzinfo=dt.UTC)
>>> token = sign([7, 1234], at, "k" * 32, "example")
>>> unsign(token, "k" * 32, "example", now=at)
[7, 1234]
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence

from itsdangerous import BadSignature, Signer

from charter.errors import InvalidInput

__all__ = ["Expired", "sign", "unsign"]

_DIGITS = string.digits + string.ascii_letters
MAX_LENGTH = 100


class Expired(InvalidInput):
    """A token that was ours but whose time is up."""


def sign(numbers: Sequence[int], expires_at: dt.datetime, secret: str, salt: str) -> str:
    """``numbers`` and the expiry, signed for ``salt``'s purpose."""
    payload = ".".join(_base62(n) for n in [*numbers, int(expires_at.timestamp())])
    return Signer(secret, salt=salt).sign(payload).decode()


def unsign(token: str, secret: str, salt: str, *, now: dt.datetime) -> list[int]:
    """The numbers a token carries; ``InvalidInput`` when it is not ours (or was
    changed), ``Expired`` when its time is up."""
    foreign = InvalidInput("this link or form is not one of ours; check it was copied whole")
    if len(token) > MAX_LENGTH:
        raise foreign
    try:
        parts = [
            _from_base62(p) for p in Signer(secret, salt=salt).unsign(token).decode().split(".")
        ]
    except (BadSignature, ValueError, UnicodeDecodeError):
        raise foreign from None
    *numbers, expires = parts
    if now.timestamp() > expires:
        raise Expired("this link or form has expired")
    return numbers


def _base62(number: int) -> str:
    if number < 0:
        raise ValueError("negative")
    digits = ""
    while True:
        number, rest = divmod(number, 62)
        digits = _DIGITS[rest] + digits
        if number == 0:
            return digits


def _from_base62(text: str) -> int:
    if not text or len(text) > 12 or any(c not in _DIGITS for c in text):
        raise ValueError(text)
    number = 0
    for char in text:
        number = number * 62 + _DIGITS.index(char)
    return number
