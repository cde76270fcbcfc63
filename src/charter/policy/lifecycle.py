"""The policy lifecycle's rules as data: the statuses, which action moves which status,
who may author, comment and review, and the steps open to a person.

This is the one home of these rules: :mod:`charter.services.lifecycle` asks these
functions before it changes a version (they raise with a message that says what is
wrong and what would allow the step), the editor pages call them to show only what
a person may do, and the store builds its CHECK constraint from :data:`STATUSES`.
Roles are named by their values (``admin``, ``manager``, ``agent``).

>>> allowed_actions("in_review")
['approve', 'reject']
>>> target_of("publish", "pilot", number=2, slug="acme")
'published'
>>> route("draft", "publish")
['submit', 'approve']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from charter.errors import Conflict, Forbidden

Status = Literal["draft", "in_review", "approved", "pilot", "published", "retired", "rejected"]
Action = Literal["submit", "approve", "reject", "pilot", "extend", "publish", "abandon", "retire"]
STATUSES: tuple[Status, ...] = (
    "draft",
    "in_review",
    "approved",
    "pilot",
    "published",
    "retired",
    "rejected",
)
ACTIONS: tuple[Action, ...] = (
    "submit",
    "approve",
    "reject",
    "pilot",
    "extend",
    "publish",
    "abandon",
    "retire",
)
# Comments are taken while the team can still change the outcome.
COMMENTABLE: tuple[Status, ...] = ("draft", "in_review", "approved", "pilot")
AUTHORS = ("admin", "manager")  # roles that write, review and publish policies


@dataclass(frozen=True)
class Step:
    """One action: the statuses it starts from, where it leads, the timestamp it sets."""

    sources: tuple[Status, ...]
    target: Status
    stamp: str | None
    review: bool = False


STEPS: dict[Action, Step] = {
    "submit": Step(("draft",), "in_review", "submitted_at"),
    "approve": Step(("in_review",), "approved", "approved_at", review=True),
    "reject": Step(("in_review",), "rejected", None, review=True),
    "pilot": Step(("approved",), "pilot", "piloted_at"),
    # A pilot ends in one of three ways: extended (a new end), published, abandoned.
    "extend": Step(("pilot",), "pilot", None),
    "publish": Step(("approved", "pilot"), "published", "published_at"),
    "abandon": Step(("pilot",), "retired", "retired_at"),
    "retire": Step(("published",), "retired", "retired_at"),
}


def allowed_actions(status: str) -> list[Action]:
    """The actions that may be taken from ``status``, in lifecycle order."""
    return [action for action, step in STEPS.items() if status in step.sources]


def route(status: str, action: Action) -> list[Action]:
    """The shortest list of actions that brings ``status`` to where ``action`` may start.

    Empty when ``action`` is allowed now or no forward path leads there (versions
    never move back).
    """
    goals = set(STEPS[action].sources)
    seen, queue = {status}, deque([(status, list[Action]())])
    while queue:
        current, path = queue.popleft()
        if current in goals:
            return path
        for step_action in allowed_actions(current):
            following = STEPS[step_action].target
            if following not in seen:
                seen.add(following)
                queue.append((following, [*path, step_action]))
    return []


def target_of(action: Action, status: str, *, number: int, slug: str) -> Status:
    """The status ``action`` leads to from ``status``, or :class:`Conflict` saying why not.

    >>> target_of("submit", "published", number=3, slug="acme")
    Traceback (most recent call last):
    ...
    charter.errors.Conflict: cannot submit version 3 of acme: its status is published, ...
    """
    step = STEPS[action]
    if status not in step.sources:
        raise Conflict(f"cannot {action} version {number} of {slug}: {_why(action, status, slug)}")
    return step.target


def _words(items: Sequence[str], joiner: str = "or") -> str:
    words = list(items)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {joiner} {words[-1]}"


def _why(action: Action, status: str, slug: str) -> str:
    """The current status, the actions allowed from it, and what would allow ``action``."""
    step, allowed = STEPS[action], allowed_actions(status)
    if allowed:
        actions = _words(allowed, "and")
        now = f"its status is {status}, from which the allowed actions are {actions}"
    else:
        now = f"its status is {status}, which is final (no action is allowed from it)"
    text = f"{now}; {action} needs status {_words(step.sources)}"
    if action == "retire" and status == "pilot":
        return f"{text}. To end a pilot without publishing it, abandon it"
    if status == step.target:
        return f"{text}. It is already {status}"
    path = route(status, action)
    if path:
        return f"{text}: {', then '.join(path)} it first"
    return f"{text}. Versions never go back: {new_draft_hint(slug)}"


def new_draft_hint(slug: str) -> str:
    return f"create a new draft from it with POST /api/policies/{slug}/versions"


def check_editable(status: str, *, number: int, slug: str) -> None:
    """Only a draft may change; from ``in_review`` on a version is immutable."""
    if status != "draft":
        raise Conflict(
            f"version {number} of {slug} is {status} and cannot be edited: "
            f"a version is immutable once submitted; {new_draft_hint(slug)}"
        )


def check_commentable(status: str, *, number: int, slug: str) -> None:
    """Comments are taken before a version is published, while they can change it."""
    if status not in COMMENTABLE:
        raise Conflict(
            f"version {number} of {slug} is {status}, so it takes no more "
            f"comments: comments are for versions that are {_words(COMMENTABLE)}. Comment on "
            f"a newer draft, or {new_draft_hint(slug)}"
        )


def may_author(role: str) -> bool:
    """Whether ``role`` writes, reviews and publishes policies (agents read and comment)."""
    return role in AUTHORS


def require_author_role(role: str, doing: str) -> None:
    """Refuse anyone but managers and admins the steps that change a policy."""
    if not may_author(role):
        raise Forbidden(
            f"only managers and admins may {doing}; you are signed in as {role}. "
            "Agents read policies and comment on versions that are not yet published."
        )


def steps_open_to(
    role: str, person: int, status: str, writers: Mapping[int, Sequence[int]]
) -> list[Action]:
    """The actions ``person`` (of ``role``) may take on a version in ``status`` whose
    text ``writers`` wrote: none for agents, and no review of text of their own."""
    if not may_author(role):
        return []
    steps = allowed_actions(status)
    if writers.get(person):
        steps = [step for step in steps if not STEPS[step].review]
    return steps


def require_other_reviewer(
    person: int, writers: Mapping[int, Sequence[int]], action: Action, number: int
) -> None:
    """A version is reviewed by someone who wrote none of its text.

    ``writers`` maps each person whose text version ``number`` carries to the
    versions they wrote it in (see :mod:`charter.services.lifecycle._writers`).
    """
    wrote = writers.get(person, ())
    if not wrote:
        return
    copied = [n for n in wrote if n != number]
    if not copied:
        why = "you wrote or edited this version"
    else:
        where = _words([str(n) for n in copied], "and")
        own = "" if len(copied) == len(wrote) else "you wrote or edited it, and "
        plural = "s" if len(copied) > 1 else ""
        why = (
            f"{own}it carries text you wrote in version{plural} {where}, which no one "
            "else has reviewed"
        )
    raise Forbidden(
        f"{why}, so you cannot {action} it: a reviewer must be a manager or admin other "
        "than its author and editors, and those of the unreviewed versions it was copied "
        "from. Ask another manager to review it."
    )
