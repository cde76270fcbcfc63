"""A version's pilot within the lifecycle: started with its group and period, extended,
ended by a publish or abandoned.

``transition`` calls these inside its transaction, on the version's row, after the
status check; each returns the note the version's history keeps. The rules of a group
and a period are :mod:`charter.policy.pilot_group`'s.

Re-exported by :mod:`charter.services.lifecycle`; use ``PilotRequest`` from there.

>>> PilotRequest(kind="team", values=("tier-2",)).names_group
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from charter import figures
from charter.errors import InvalidInput
from charter.policy.lifecycle import Action
from charter.policy.pilot_group import KIND_WORDS, check_end, pilot_group, pilot_period
from charter.store import tickets as stored
from charter.store.models import PolicyVersion


@dataclass(frozen=True)
class PilotRequest:
    """What a ``pilot`` step names (``kind`` and ``values``: the group; the period from
    ``starts_at``, default now, to ``ends_at``) or an ``extend`` step (``ends_at`` only)."""

    kind: str | None = None
    values: Sequence[str] = ()
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None

    @property
    def names_group(self) -> bool:
        return self.kind is not None or bool(self.values)

    @property
    def empty(self) -> bool:
        return not self.names_group and self.starts_at is None and self.ends_at is None


def check_request(action: Action, request: PilotRequest | None) -> None:
    """Refuse a group or period on any step but ``pilot`` and ``extend``, and the
    group or start on ``extend`` (it moves the end only)."""
    if request is None or request.empty:
        return
    if action not in ("pilot", "extend"):
        raise InvalidInput(
            f"group: only pilot and extend take a group or period, not {action}; leave them out",
            [{"field": "group", "problem": "only for pilot and extend"}],
        )
    if action == "extend" and (request.names_group or request.starts_at is not None):
        raise InvalidInput(
            "group: an extension moves only the pilot's end (ends_at); its group and start "
            "stay as they were. To try another group, abandon this pilot and pilot a new "
            "version",
            [{"field": "group", "problem": "not for extend"}],
        )


def start(row: PolicyVersion, request: PilotRequest | None, now: dt.datetime) -> str:
    """Store the pilot's group and period on ``row``; the history's note."""
    if request is None or request.kind is None:
        raise InvalidInput(
            "group.kind: name the pilot's group: team, segment, channel, customer or agent, "
            "with its values (for example team tier-2), and when it ends (ends_at)",
            [{"field": "group.kind", "problem": "required to pilot"}],
        )
    group = pilot_group(request.kind, request.values)
    if not stored.has_ticket_column(group.column):
        raise InvalidInput(
            f"group.kind: tickets carry no {group.column} yet, so a pilot on "
            f"{KIND_WORDS[group.kind][1]} cannot find its tickets; pilot on agents, teams, "
            "segments or channels",
            [{"field": "group.kind", "problem": "no such ticket column"}],
        )
    begins, ends = pilot_period(request.starts_at, request.ends_at, now)
    row.pilot_kind, row.pilot_values = group.kind, list(group.values)
    row.pilot_starts_at, row.pilot_ends_at, row.pilot_outcome = begins, ends, None
    return (
        f"pilot on {group.describe()} from {figures.instant(begins)} until {figures.instant(ends)}"
    )


def extend(row: PolicyVersion, request: PilotRequest | None, now: dt.datetime) -> str:
    """Move the running pilot's end later; the history's note names both ends."""
    if request is None or request.ends_at is None:
        raise InvalidInput(
            "ends_at: say when the extended pilot ends (an instant with its time zone)",
            [{"field": "ends_at", "problem": "required to extend"}],
        )
    before, begins = _period(row)
    ends = check_end(begins, request.ends_at, now)
    if ends <= before:
        raise InvalidInput(
            f"ends_at: {figures.instant(ends)} is not after the pilot's end "
            f"({figures.instant(before)}); an extension ends later. To end it sooner, "
            "publish or abandon it",
            [{"field": "ends_at", "problem": "not later than the end"}],
        )
    row.pilot_ends_at = ends
    return f"extended from {figures.instant(before)} to {figures.instant(ends)}"


def conclude(row: PolicyVersion, action: Action, at: dt.datetime) -> str:
    """End the pilot by ``publish`` (its period stops at ``at``, the instant the version
    takes effect for everyone, if sooner) or ``abandon``; the history's note."""
    if row.pilot_kind is None:
        return ""
    before, _ = _period(row)
    if action == "abandon":
        row.pilot_outcome = "abandoned"
        return "pilot abandoned: its tickets are judged under the version in force again"
    row.pilot_outcome = "published"
    if at < before:
        row.pilot_ends_at = at
        return f"pilot ended {figures.instant(at)}, when the version takes effect for everyone"
    return "pilot published: the version governs everyone's new tickets"


def _period(row: PolicyVersion) -> tuple[dt.datetime, dt.datetime]:
    """The stored end and start; a pilot started before groups existed has none."""
    if row.pilot_ends_at is None or row.pilot_starts_at is None:
        raise InvalidInput(
            f"version {row.number} was piloted without a group or period, so it has no end "
            "to move; publish or abandon it, then pilot a new version with a group",
            [{"field": "ends_at", "problem": "no period"}],
        )
    return row.pilot_ends_at, row.pilot_starts_at
