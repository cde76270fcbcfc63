"""Password hashing with Argon2 (argon2-cffi's recommended parameters).

>>> hashed = hash_password("correct horse battery")
>>> hashed.startswith("$argon2id$"), verify_password(hashed, "correct horse battery")
(True, True)
>>> verify_password(hashed, "wrong")
False
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from charter.errors import InvalidInput

MIN_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the account does not exist, so a wrong e-mail takes as long
# as a wrong password and does not reveal which accounts exist.
_DUMMY = _hasher.hash("no such account")


def check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"password: {len(password)} characters is too short; use at least {MIN_LENGTH}",
            [{"field": "password", "problem": f"shorter than {MIN_LENGTH} characters"}],
        )
    if not _encodable(password):
        raise InvalidInput(
            "password: contains characters that are not valid Unicode text",
            [{"field": "password", "problem": "not valid Unicode text"}],
        )


def _encodable(password: str) -> bool:
    try:
        password.encode()
    except UnicodeEncodeError:  # a lone surrogate, e.g. from JSON "\ud800"
        return False
    return True


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(hashed: str | None, password: str) -> bool:
    if not _encodable(password):
        password, hashed = "", None  # cannot be anyone's password; still spend the time
    try:
        return _hasher.verify(hashed or _DUMMY, password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    return _hasher.check_needs_rehash(hashed)
