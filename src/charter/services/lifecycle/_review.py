"""Reviewing versions: the semantic diff between two, staff comments, the audit trail.

These are re-exported by :mod:`charter.services.lifecycle`; use them from there.

>>> from charter.errors import PolicyError
>>> from charter.policy.diagnostic import Diagnostic
>>> error = PolicyError([Diagnostic("P100", "error", "bad", file="acme version 2", line=3)])
>>> print(_unloadable(2, "acme", error))
version 2 of acme does not load, so it cannot be compared: acme version 2:3:0: error P100 ...
"""

from __future__ import annotations

from charter.errors import InvalidInput, PolicyError
from charter.policy.diff import diff, summarize
from charter.policy.lifecycle import check_commentable
from charter.services.accounts import Principal
from charter.services.lifecycle._find import find_policy, find_version
from charter.services.lifecycle._input import CLAUSE_LENGTH, NOTE_LENGTH, clean
from charter.services.lifecycle._values import (
    Comment,
    Event,
    VersionDiff,
    comment_of,
    event_of,
    version_of,
)
from charter.store import Database
from charter.store import policies as policies_store

SHOWN_DIAGNOSTICS = 3


def _unloadable(number: int, slug: str, error: PolicyError) -> InvalidInput:
    first = "; ".join(d.render() for d in error.diagnostics[:SHOWN_DIAGNOSTICS])
    return InvalidInput(
        f"version {number} of {slug} does not load, so it cannot be compared: {first}",
        [d.to_json() for d in error.diagnostics],
    )


def diff_versions(
    database: Database, slug: str, number: int, against: int | None = None
) -> VersionDiff:
    """What changed from version ``against`` (default: the one it is based on) to ``number``."""
    with database.reading() as session:
        policy = find_policy(session, slug)
        new = version_of(find_version(session, policy, number), slug)
        if against is None and new.based_on is None:
            raise InvalidInput(
                f"against: version {number} of {slug} is based on no other version; "
                "name the version to compare it with (?against=M)",
                [{"field": "against", "problem": "required for a first version"}],
            )
        old_number = new.based_on if against is None else against
        assert old_number is not None
        old = version_of(find_version(session, policy, old_number), slug)
    policies = []
    for version in (old, new):
        try:
            policies.append(version.policy())
        except PolicyError as error:
            raise _unloadable(version.number, slug, error) from None
    changes = diff(policies[0], policies[1])
    return VersionDiff(slug, old.number, new.number, changes, summarize(changes))


def add_comment(
    database: Database,
    slug: str,
    number: int,
    actor: Principal,
    *,
    body: str,
    clause: str | None = None,
) -> Comment:
    """A staff comment on a version not yet published; any signed-in role may comment."""
    body = clean("body", body, limit=NOTE_LENGTH, required=True)
    named = clean("clause", clause, limit=CLAUSE_LENGTH) if clause is not None else ""
    with database.transaction() as session:
        row = find_version(session, find_policy(session, slug), number)
        check_commentable(row.status, number=number, slug=slug)
        comment, author = policies_store.add_comment(
            session, row.id, actor.id, clause=named or None, body=body
        )
        return comment_of(comment, number, author)


def list_comments(database: Database, slug: str, number: int) -> list[Comment]:
    """The version's comments, oldest first."""
    with database.reading() as session:
        row = find_version(session, find_policy(session, slug), number)
        found = policies_store.comments_of(session, row.id)
        return [comment_of(comment, number, author) for comment, author in found]


def history(database: Database, slug: str, number: int) -> list[Event]:
    """The version's audit trail: every action on it, oldest first."""
    with database.reading() as session:
        row = find_version(session, find_policy(session, slug), number)
        found = policies_store.events_of(session, row.id)
        return [event_of(event, number, actor) for event, actor in found]
