"""What the policy editor pages show: numbered lines with their problems, and who may act.

A policy text that does not load is shown line by line, each failing line marked
and carrying its diagnostics; the list of problems links to the lines (``#L12``).

>>> problems = check_text("organisation:\\n  name: [a]\\n", "acme version 2")
>>> [(p.line, p.column, p.code) for p in problems]
[(2, 3, 'P202'), (2, 9, 'P201')]
>>> [(line.number, bool(line.problems)) for line in source_lines("a\\nb", problems)]
[(1, False), (2, True)]
>>> form_text("a\\r\\nb\\r")
'a\\nb\\n'
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from charter.errors import CharterError, Conflict, Forbidden, InvalidInput, PolicyError, UsageError
from charter.policy.cache import load_cached
from charter.policy.diagnostic import Diagnostic, render_path
from charter.policy.lifecycle import Action, steps_open_to
from charter.publish.public_page import page_timezone
from charter.services import lifecycle
from charter.services.accounts import Principal
from charter.services.lifecycle import PilotRequest, PolicyOverview, Version, VersionDiff
from charter.store import Database

# What a refused request answers with; the page repeats the service's message.
REFUSALS: tuple[type[CharterError], ...] = (
    Forbidden,
    Conflict,
    PolicyError,
    InvalidInput,
    UsageError,
)
REVIEW_STEPS: tuple[Action, ...] = ("approve", "reject")  # the reviewer's page's controls
DONE = {
    "create": "The policy was created; its version 1 is a draft.",
    "edit": "The draft was saved.",
    "draft": "A new draft was created.",
    "comment": "Your comment was added.",
    "submit": "The version was submitted for review.",
    "approve": "The version was approved.",
    "reject": "The version was rejected.",
    "pilot": "The version is now in pilot on its group.",
    "extend": "The pilot was extended.",
    "publish": "The version was published.",
    "abandon": "The pilot was abandoned; its tickets are judged under the live version again.",
    "retire": "The version was retired.",
}


@dataclass(frozen=True)
class Problem:
    """One diagnostic as the page shows it."""

    line: int
    column: int
    code: str
    path: str
    message: str
    hint: str

    @property
    def anchor(self) -> str:
        """The id of the line it is on, or ``""`` for a problem of the whole text."""
        return f"L{self.line}" if self.line else ""


@dataclass
class SourceLine:
    number: int
    text: str
    problems: list[Problem] = field(default_factory=list)


def problems_of(diagnostics: Iterable[Diagnostic]) -> list[Problem]:
    return [
        Problem(d.line, d.column, d.code, render_path(d.path), d.message, d.hint)
        for d in diagnostics
        if d.severity == "error"
    ]


def check_text(text: str, file: str) -> list[Problem]:
    """Every error that keeps ``text`` from loading as a policy; empty when it loads."""
    try:
        load_cached(text, file)
    except PolicyError as error:
        return problems_of(error.diagnostics)
    return []


def source_lines(text: str, problems: Sequence[Problem]) -> list[SourceLine]:
    """The text's lines, numbered from 1, each with the problems found on it."""
    lines = [SourceLine(n, line) for n, line in enumerate(text.split("\n"), start=1)]
    for problem in problems:
        if problem.line:
            # A problem past the end (e.g. an unclosed bracket) belongs to the last line.
            lines[min(problem.line, len(lines)) - 1].problems.append(problem)
    return lines


def form_text(value: str) -> str:
    """A textarea's value with the browser's CR LF line ends made LF again."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def message_of(error: CharterError) -> str:
    """The refusal's message; a policy error's diagnostics are listed by the page."""
    return str(error).splitlines()[0]


def steps_for(
    who: Principal, version: Version, writers: Mapping[int, Sequence[int]]
) -> list[Action]:
    """The lifecycle steps ``who`` may take on ``version`` now (the service has the last word).

    ``writers``: whose text the version carries (``lifecycle.text_writers``), who may
    not review it.
    """
    return steps_open_to(who.role, who.id, version.status, writers)


def publish_zone(version: Version) -> str:
    """The zone a publish form's local time is read in: the policy's business timezone
    (as the public page shows it), else UTC."""
    try:
        return page_timezone(version.policy())
    except PolicyError:
        return "UTC"


def effective_instant(text: str, zone: str, name: str = "effective_at") -> dt.datetime:
    """A publish form's ``effective_at``: a local date and time in ``zone`` (as a
    ``datetime-local`` field sends it), or an ISO 8601 instant with its offset.

    >>> effective_instant("2026-12-06T09:00", "Europe/London").isoformat()
    '2026-12-06T09:00:00+00:00'
    >>> effective_instant("6 Dec", "UTC")
    Traceback (most recent call last):
    ...
    charter.errors.InvalidInput: effective_at: '6 Dec' is not a date and time; ...
    """
    try:
        found = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        empty = {"effective_at": "to publish now", "starts_at": "to start now"}
        raise InvalidInput(
            f"{name}: {text[:40]!r} is not a date and time; give one such as "
            f"2026-12-06T09:00{', or leave it empty ' + empty[name] if name in empty else ''}",
            [{"field": name, "problem": "not a date and time"}],
        ) from None
    if found.tzinfo is None:
        found = found.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    return found.astimezone(dt.UTC)


def pilot_request(action: str, form: Mapping[str, str], zone: str) -> PilotRequest | None:
    """What the version page's pilot fields ask for ``action``: the group (``pilot_kind``,
    ``pilot_values`` split at commas and line ends) and period (``starts_at``, ``ends_at``:
    local times in ``zone``) for a pilot, the new end for an extension; None otherwise.

    >>> form = {"pilot_kind": "team", "pilot_values": "tier-2, tier-3",
    ...         "ends_at": "2027-01-31T00:00"}
    >>> found = pilot_request("pilot", form, "UTC")
    >>> found.values, found.ends_at.isoformat()
    (('tier-2', 'tier-3'), '2027-01-31T00:00:00+00:00')
    """
    if action not in ("pilot", "extend"):
        return None

    def when(name: str) -> dt.datetime | None:
        text = form.get(name, "").strip()
        return effective_instant(text, zone, name) if text else None

    if action == "extend":
        return PilotRequest(ends_at=when("ends_at"))
    values = form.get("pilot_values", "").replace("\n", ",").split(",")
    return PilotRequest(
        kind=form.get("pilot_kind") or None,
        values=tuple(v.strip() for v in values if v.strip()),
        starts_at=when("starts_at"),
        ends_at=when("ends_at"),
    )


@dataclass(frozen=True)
class ReviewView:
    """What a version in review opens with: its changes against ``against`` (the version
    in force when there is one, else the one it is based on; None: nothing to compare),
    the reviewer's steps open to this person, and why the changes cannot be shown."""

    against: int | None
    live: bool
    diff: VersionDiff | None
    steps: list[Action]
    problem: str = ""


def review_of(
    database: Database, policy: PolicyOverview, version: Version, steps: Sequence[Action]
) -> ReviewView | None:
    """The reviewer's view of ``version`` while it is in review; None at any other status."""
    if version.status != "in_review":
        return None
    return live_changes(database, policy, version, [s for s in steps if s in REVIEW_STEPS])


def live_changes(
    database: Database,
    policy: PolicyOverview,
    version: Version,
    open_steps: Sequence[Action] = (),
) -> ReviewView:
    """``version``'s changes against the version in force (else the one it is based on)."""
    live = policy.in_force or policy.published
    against = live if live is not None and live != version.number else version.based_on
    open_steps = list(open_steps)
    if against is None:
        return ReviewView(None, False, None, open_steps)
    try:
        found = lifecycle.diff_versions(database, policy.slug, version.number, against)
    except (PolicyError, InvalidInput) as error:
        return ReviewView(against, against == live, None, open_steps, message_of(error))
    return ReviewView(against, against == live, found, open_steps)
