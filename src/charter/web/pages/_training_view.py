"""What the training pages share: instants on the training calendar's clock, the changes
that asked someone again (each with the handbook clause it belongs to), the words for
a reason or a state, and reading the numbers and dates of a form.

>>> reason_words("changed")
'a change concerns your work'
>>> whole_number("attempt", " 12 ")
12
>>> day("started_on", "2026-12-07"), day("started_on", "")
(datetime.date(2026, 12, 7), None)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from charter.errors import InvalidInput
from charter.policy.clauses import clause_of, clauses
from charter.policy.diff import Change
from charter.policy.schema import Policy
from charter.publish.public_page import page_timezone
from charter.web.pages._tickets_display import Times

REASONS = {
    "first version": "the first version in force asks everyone",
    "changed": "a change concerns your work",
    "joined": "you are new: the version in force when you started",
}
STATE_WORDS = {"done": "done", "due": "due", "overdue": "overdue", "none": "nothing asked"}
_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Shown:
    """A change as a page lists it: its sentence and the clause it belongs to."""

    text: str
    clause_id: str | None


def shown_changes(changes: Sequence[Change], policy: Policy) -> list[Shown]:
    """``changes`` in words, each with the id of its clause in ``policy`` (the version
    that made them), so the page links it to the handbook."""
    known = {c.id for c in clauses(policy)}
    return [Shown(change.text, clause_of(change.path, known)) for change in changes]


def times_of(policy: Policy | None) -> Times:
    """Instants on the clock deadlines are counted on: the training calendar's zone,
    else the business's, else UTC."""
    if policy is None:
        return Times("UTC")
    if policy.training is not None:
        calendar = policy.calendar(policy.training.calendar)
        if calendar is not None:
            return Times(calendar.timezone)
    return Times(page_timezone(policy))


def reason_words(reason: str) -> str:
    return REASONS.get(reason, reason)


def whole_number(field: str, value: str) -> int:
    """A form's or URL's id as a number; ``InvalidInput`` naming the field otherwise."""
    text = value.strip()
    if not _NUMBER.fullmatch(text):
        shown = text[:20] + ("…" if len(text) > 20 else "")
        raise InvalidInput(f"{field}: {shown!r} is not a whole number",
                           [{"field": field, "problem": "not a whole number"}])  # fmt: skip
    return int(text)


def day(field: str, value: str) -> dt.date | None:
    """A date typed as ``YYYY-MM-DD`` (what a date input sends); None when blank."""
    text = value.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _not_a_date(field, text)
    except ValueError:
        return _not_a_date(field, text)


def _not_a_date(field: str, text: str) -> dt.date:
    shown = text[:20] + ("…" if len(text) > 20 else "")
    raise InvalidInput(f"{field}: {shown!r} is not a date; write it as 2026-12-07 "
                       "(year-month-day), or leave it empty",
                       [{"field": field, "problem": "not a date"}])  # fmt: skip
