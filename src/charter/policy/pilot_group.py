"""A pilot's group and period: who is tried on a version in pilot, and when.

The group is one kind of ticket value and a list of them: teams, segments or channels
(the ticket's own columns), customers (the requester's e-mail address) or agents (the
assignee). The period runs from ``starts_at`` (included) to ``ends_at`` (excluded).
The group's tickets created in the period are judged under the pilot version; every
other ticket stays on the version in force (docs/lifecycle.md, *Pilots*).

This is the one home of these rules: the lifecycle service checks a pilot with
:func:`pilot_group` and :func:`pilot_period` before storing it, and the store reads
:data:`COLUMNS` to find the group's tickets.

>>> pilot_group("team", [" tier-2 ", "tier-2", "tier-3"])
PilotGroup(kind='team', values=('tier-2', 'tier-3'))
>>> pilot_group("teams", ["tier-2"])
Traceback (most recent call last):
...
charter.errors.InvalidInput: group.kind: 'teams' is not a pilot group; use one of team, ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from charter import figures
from charter.errors import InvalidInput

Kind = Literal["team", "segment", "channel", "customer", "agent"]
# Each kind of group and the ticket column its values are matched against.
COLUMNS: dict[Kind, str] = {
    "team": "team",
    "segment": "segment",
    "channel": "channel",
    "customer": "requester_email",
    "agent": "assignee",
}
KIND_WORDS: dict[Kind, tuple[str, str]] = {
    "team": ("team", "teams"),
    "segment": ("segment", "segments"),
    "channel": ("channel", "channels"),
    "customer": ("customer", "customers"),
    "agent": ("agent", "agents"),
}
MAX_VALUES = 500  # a list longer than this is a segment: pilot on that instead
VALUE_LENGTH = 320  # the longest ticket value matched (an e-mail address)
LONGEST = dt.timedelta(days=366)  # a pilot longer than a year is no pilot


@dataclass(frozen=True)
class PilotGroup:
    """Who is in the pilot: tickets whose ``COLUMNS[kind]`` is one of ``values``."""

    kind: Kind
    values: tuple[str, ...]

    @property
    def column(self) -> str:
        return COLUMNS[self.kind]

    def describe(self) -> str:
        """The group in words.

        >>> PilotGroup("team", ("tier-2",)).describe()
        'team tier-2'
        >>> PilotGroup("agent", ("ana", "bo", "cy", "di")).describe()
        'agents ana, bo, cy and 1 more'
        """
        one, many = KIND_WORDS[self.kind]
        shown = ", ".join(self.values[:3])
        more = f" and {len(self.values) - 3} more" if len(self.values) > 3 else ""
        return f"{one if len(self.values) == 1 else many} {shown}{more}"


Outcome = Literal["published", "abandoned"]


@dataclass(frozen=True)
class Pilot:
    """A version's pilot: its group, its period (``starts_at`` up to ``ends_at``) and
    how it ended (``outcome``: None while undecided)."""

    group: PilotGroup
    starts_at: dt.datetime
    ends_at: dt.datetime
    outcome: Outcome | None = None

    @property
    def judges(self) -> bool:
        """Whether its group's tickets of the period are judged under its version: until
        it is abandoned (a published pilot keeps the tickets it judged)."""
        return self.outcome != "abandoned"

    def state(self, at: dt.datetime) -> str:
        """``scheduled``, ``running``, ``ended`` (its period is over, undecided),
        ``published`` or ``abandoned``."""
        if self.outcome is not None:
            return self.outcome
        if at < self.starts_at:
            return "scheduled"
        return "running" if at < self.ends_at else "ended"


def pilot_group(kind: str, values: Sequence[str]) -> PilotGroup:
    """The group ``kind`` with ``values`` (trimmed, repeats dropped, order kept), or
    ``InvalidInput`` naming the field and what is wrong."""
    found = next((k for k in COLUMNS if k == kind.strip()), None)
    if found is None:
        raise InvalidInput(
            f"group.kind: {kind[:40]!r} is not a pilot group; use one of "
            f"{', '.join(COLUMNS)} (customer: the requester's e-mail; agent: the assignee)",
            [{"field": "group.kind", "problem": "unknown kind"}],
        )
    kept = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not kept:
        raise InvalidInput(
            f"group.values: name at least one {KIND_WORDS[found][0]} for the pilot; "
            "the group is empty",
            [{"field": "group.values", "problem": "empty"}],
        )
    if len(kept) > MAX_VALUES:
        raise InvalidInput(
            f"group.values: {len(kept)} {KIND_WORDS[found][1]} is more than a pilot takes "
            f"({MAX_VALUES} at most); pilot on a team or segment that holds them instead",
            [{"field": "group.values", "problem": "too many"}],
        )
    for value in kept:
        if len(value) > VALUE_LENGTH or "\x00" in value:
            raise InvalidInput(
                f"group.values: {value[:40]!r}… is not a {KIND_WORDS[found][0]}: values are "
                f"at most {VALUE_LENGTH} characters, without NUL",
                [{"field": "group.values", "problem": "too long"}],
            )
    return PilotGroup(found, tuple(kept))


def pilot_period(
    starts_at: dt.datetime | None, ends_at: dt.datetime | None, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """The period from ``starts_at`` (default ``now``) to ``ends_at``, in UTC, or
    ``InvalidInput`` naming the field: both aware, the start not in the past (a verdict
    already given never changes), the end after the start and within a year of it.

    >>> now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    >>> pilot_period(None, now - dt.timedelta(days=1), now)
    Traceback (most recent call last):
    ...
    charter.errors.InvalidInput: ends_at: the pilot would end Mon 30 Nov 2026 00:00 UTC, ...
    """
    if ends_at is None:
        raise InvalidInput(
            "ends_at: say when the pilot ends (an instant with its time zone, such as "
            "2027-01-31T00:00:00+00:00); it can be extended later",
            [{"field": "ends_at", "problem": "required"}],
        )
    start = _aware("starts_at", starts_at) if starts_at is not None else now
    end = _aware("ends_at", ends_at)
    if start < now:
        raise InvalidInput(
            f"starts_at: {figures.instant(start)} is in the past (it is now "
            f"{figures.instant(now)}); a pilot cannot take in tickets already judged. Give a "
            "later instant, or leave it out to start now",
            [{"field": "starts_at", "problem": "in the past"}],
        )
    return start, check_end(start, end, now)


def check_end(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> dt.datetime:
    """``end`` if it is after both ``start`` and ``now`` and within a year of ``start``."""
    end = _aware("ends_at", end)
    if end <= max(start, now):
        after = "it starts" if start >= now else "now"
        raise InvalidInput(
            f"ends_at: the pilot would end {figures.instant(end)}, not after {after} "
            f"({figures.instant(max(start, now))}); give a later end",
            [{"field": "ends_at", "problem": "not after the start"}],
        )
    if end - start > LONGEST:
        raise InvalidInput(
            f"ends_at: {figures.instant(end)} is more than a year after the pilot starts "
            f"({figures.instant(start)}); a pilot runs a year at most: end it sooner and "
            "extend it if needed",
            [{"field": "ends_at", "problem": "too long"}],
        )
    return end


def _aware(name: str, at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise InvalidInput(
            f"{name}: {at.isoformat()} has no time zone; give an instant with one, such as "
            "2027-01-31T00:00:00+00:00",
            [{"field": name, "problem": "no timezone"}],
        )
    return at.astimezone(dt.UTC)
