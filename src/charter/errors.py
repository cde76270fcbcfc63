"""One exception tree for Charter.

    CharterError                 base of every error Charter raises on purpose
    ├── PolicyError              a policy file could not be loaded or is invalid;
    │                            carries every diagnostic of the file
    ├── CalendarError            an opening-hours calendar is malformed or cannot answer
    │                            (for example, it never opens, so no due time exists)
    └── UsageError               a command or function was called with bad arguments

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
