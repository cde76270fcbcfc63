"""One exception tree for Charter.

    CharterError                 base of every error Charter raises on purpose
    ├── PolicyError              a policy file could not be loaded or is invalid;
    │                            carries every diagnostic of the file
    ├── CalendarError            an opening-hours calendar is malformed or cannot answer
    │                            (for example, it never opens, so no due time exists)
    ├── UsageError               a command or function was called with bad arguments
    ├── ConfigError              a setting is missing or unsafe (for example the secret key)
    ├── StoreError               the database cannot be used as it is
    │   └── NotMigrated          the database schema is older than this Charter; run
    │                            ``charter db upgrade``
    ├── NotFound                 a record asked for does not exist
    ├── Conflict                 a request clashes with the current state (a duplicate,
    │                            an illegal lifecycle step); says what would allow it
    ├── InvalidInput             a request's content is unusable (a policy that does
    │                            not validate on submit, a bad filter); says where
    ├── HelpdeskError            a helpdesk's API refused a request or kept failing
    │                            (bad credentials, a 5xx answer after the last try)
    ├── AuthError                no valid credentials (wrong password, unknown token)
    │   └── RateLimited          too many failed sign-ins; carries ``retry_after`` seconds
    ├── TooManyRequests          an anonymous sender went past a limit (feedback on the
    │                            public page); carries ``retry_after`` seconds
    └── Forbidden                signed in, but the role or ownership does not allow it

Every error says what was wrong, where, and how to fix it. Entry points (CLI, web)
catch ``CharterError`` and show its message; anything else reaching a user is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charter.policy.diagnostic import Diagnostic


class CharterError(Exception):
    """Base class of every error Charter raises on purpose."""


class PolicyError(CharterError):
    """A policy file could not be loaded or validated.

    ``diagnostics`` holds every problem found in the file, each with its location.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        count = len(self.diagnostics)
        head = f"{count} error{'s' if count != 1 else ''} in policy"
        super().__init__("\n".join([head, *(d.render() for d in self.diagnostics)]))


class CalendarError(CharterError):
    """An opening-hours calendar is malformed or cannot answer a question."""


class UsageError(CharterError):
    """A command or function was called with arguments it cannot use."""


class ConfigError(CharterError):
    """A setting is missing, malformed or unsafe for the environment."""


class StoreError(CharterError):
    """The database cannot be used as it is."""


class NotMigrated(StoreError):
    """The database schema is not the one this Charter expects."""


class NotFound(CharterError):
    """A record that was asked for does not exist."""


class Conflict(CharterError):
    """A request clashes with the current state; the message says what would allow it."""


class InvalidInput(CharterError):
    """A request's content cannot be used; the message says where and what."""

    def __init__(self, message: str, details: Sequence[dict[str, object]] = ()) -> None:
        super().__init__(message)
        self.details = list(details)


class HelpdeskError(CharterError):
    """A helpdesk's API refused a request, or kept failing after the last try."""


class AuthError(CharterError):
    """No valid credentials were given."""


class RateLimited(AuthError):
    """Too many failed sign-ins from one account or address; try again later."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyRequests(CharterError):
    """An anonymous sender went past a rate limit (feedback on the public page); try
    again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(CharterError):
    """The signed-in user's role or ownership does not allow the action."""
