"""Themes in what customers write, tied to the policy's clauses, as managers shaped them
(docs/feedback.md, "Themes tied to clauses").

For a policy and a period the comments are gathered (survey answers, comments on the
public page's sections, comments imported with tickets; the newest 100,000 at most),
the deterministic engine (:mod:`charter.feedback.themes`) finds the themes, and the
managers' decisions kept in the store (names and merges by theme key, pins of keyword
queries to clauses) are applied again (:mod:`charter.feedback.theme_edits`). The
engine's run is kept in memory for the policy text and period: given again while the
comments are unchanged, and for five minutes after it even when new comments came, so
a decision shows at once without finding the themes again.

Managers and admins decide; anyone on the staff may read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter import clock
from charter.errors import Forbidden, InvalidInput, NotFound
from charter.excerpt import excerpt
from charter.feedback.theme_edits import Edits, apply
from charter.feedback.themes import EXAMPLES, Pin, Theme, matcher
from charter.policy.clauses import SECTIONS, Clause, clauses
from charter.services.accounts import Principal, Role
from charter.services.feedback_themes._gather import gather, run
from charter.services.lifecycle import Version, list_versions, operating_version
from charter.store import Database, accounts
from charter.store import feedback_themes as records
from charter.store.policies import policy_by_slug

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "LONGEST_KEY", "PinView", "ThemeSummary", "ThemesView", "add_pin", "merge_theme",
    "period", "policy_slug", "remove_pin", "rename_theme", "review_themes", "themes_view",
    "unmerge_theme",
]  # fmt: skip

LONGEST_KEY = 400
LONGEST_NAME = 100
TITLE_WORDS = 60  # characters of a numbered clause's text in its title


@dataclass(frozen=True)
class ThemeSummary:
    """One theme for a reader: its key (what names, merges and pins are kept against),
    name, top terms, size and size per UTC month (``"2026-11"``), the clauses it is
    closest to as (clause id, title, similarity), example comments, and whether a pin
    placed comments in it."""

    key: str
    name: str
    top_terms: list[str]
    size: int
    by_month: dict[str, int]
    clauses: list[tuple[str, str, float]]
    examples: list[str]
    pinned: bool


@dataclass(frozen=True)
class PinView:
    """A pin as the page lists it: its clause (id and title), its query, who and when,
    and whether its clause is still in the policy."""

    id: int
    clause_id: str
    clause_title: str
    query: str
    pinned_by: int | None
    pinned_at: dt.datetime
    active: bool
    pinned_by_name: str = ""


@dataclass(frozen=True)
class ThemesView:
    """What the managers' page shows for a policy and a period ``[since, until)``."""

    slug: str
    version: int
    since: dt.datetime
    until: dt.datetime
    themes: list[ThemeSummary]
    comments: int  # read (the newest 100,000 at most)
    total: int  # in the period
    by_source: dict[str, int]
    unthemed: int
    pins: list[PinView]
    merges: dict[str, str]  # key merged → key it went into
    choices: list[tuple[str, str]]  # clauses a pin may name: (id, title)
    seconds: float  # the engine's run took
    from_memory: bool  # the run was kept from an earlier look
    found_at: dt.datetime  # when the run was made


def period(
    start: dt.date | None, end: dt.date | None, today: dt.date | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The instants ``[since, until)`` of the days ``start`` to ``end`` (both whole UTC
    days); ``end`` defaults to ``today``, ``start`` to the first day of the twelfth
    calendar month back from ``end``'s (twelve months, this one included).

    >>> [str(m) for m in period(None, dt.date(2026, 12, 7))]
    ['2026-01-01 00:00:00+00:00', '2026-12-08 00:00:00+00:00']
    """
    last = end or today or clock.now().date()
    months = last.year * 12 + last.month - 1 - 11  # eleven months before end's month
    first = start or dt.date(months // 12, months % 12 + 1, 1)
    if first > last:
        raise InvalidInput(
            f"from: {first} is after to: {last}; choose a start on or before the end",
            [{"field": "from", "problem": "after to"}],
        )
    return _midnight(first), _midnight(last + dt.timedelta(days=1))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def review_themes(
    database: Database, slug: str, since: dt.datetime, until: dt.datetime
) -> list[ThemeSummary]:
    """The themes of ``slug``'s comments in ``[since, until)``, largest first, with the
    managers' names, merges and pins applied; linked to the clauses of the version in
    force (the newest version when none is)."""
    return themes_view(database, slug, since, until).themes


def themes_view(
    database: Database, slug: str | None, since: dt.datetime, until: dt.datetime
) -> ThemesView:
    """The page's themes, pins and counts; ``slug`` None means the policy in force."""
    _check_period(since, until)
    version = _version(database, slug)
    policy = version.policy()
    titles = {c.id: _title(c) for c in clauses(policy)}
    with database.reading() as session:
        policy_id = _policy_id(session, version.slug)
        gathered = gather(session, policy_id, since, until)
        stored = records.decisions(session, policy_id)
        people = {p.pinned_by for p in stored.pins if p.pinned_by is not None}
        names = {i: u.name for i in people if (u := accounts.user_by_id(session, i)) is not None}
    done, remembered = run(gathered, policy, version.content_hash, since, until)
    read = done.gathered.comments
    pins = [Pin(p.clause_id, p.query) for p in stored.pins]
    shaped = apply(done.themes, read, Edits(stored.names, stored.merges, pins), titles)
    texts = {c.id: c.text for c in read}
    summaries = [_summary(t, titles, texts) for t in shaped]
    return ThemesView(
        slug=version.slug, version=version.number, since=since, until=until,
        themes=summaries, comments=len(read), total=done.gathered.total,
        by_source=done.gathered.by_source, unthemed=len(read) - sum(t.size for t in summaries),
        pins=[_pin_view(p, titles, names) for p in stored.pins], merges=stored.merges,
        choices=[(c.id, titles[c.id]) for c in clauses(policy) if c.body],
        seconds=done.seconds, from_memory=remembered, found_at=done.found_at,
    )  # fmt: skip


def rename_theme(
    database: Database, actor: Principal, slug: str | None, key: str, name: str
) -> str:
    """Call the theme ``key`` ``name`` from now on; returns the name as kept."""
    _check_manager(actor, "rename a theme")
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= LONGEST_NAME:
        raise InvalidInput(
            f"name: a theme's name needs 1 to {LONGEST_NAME} characters; got {len(cleaned)}",
            [{"field": "name", "problem": "empty or too long"}],
        )
    name_of = policy_slug(database, slug)
    with database.transaction() as session:
        policy_id = _policy_id(session, name_of)
        records.set_name(session, policy_id, _key(key), cleaned, _by(actor), clock.now())
    return cleaned


def merge_theme(
    database: Database, actor: Principal, slug: str | None, key: str, into: str
) -> None:
    """Merge the theme ``key`` into the theme ``into`` from now on."""
    _check_manager(actor, "merge themes")
    gone, kept = _key(key), _key(into, "into")
    if gone == kept:
        raise InvalidInput("into: choose another theme to merge this one into",
                           [{"field": "into", "problem": "the same theme"}])  # fmt: skip
    name_of = policy_slug(database, slug)
    with database.transaction() as session:
        policy_id = _policy_id(session, name_of)
        merges = records.decisions(session, policy_id).merges
        seen, step = {kept}, kept
        while step in merges:
            step = merges[step]
            if step == gone or step in seen:
                raise InvalidInput(
                    f"into: {excerpt(into)!r} is already merged into {excerpt(key)!r}; "
                    "undo that merge first",
                    [{"field": "into", "problem": "merged the other way"}],
                )
            seen.add(step)
        records.set_merge(session, policy_id, gone, kept, _by(actor), clock.now())


def unmerge_theme(database: Database, actor: Principal, slug: str | None, key: str) -> None:
    """Undo the merge of the theme ``key``: its comments form their own theme again."""
    _check_manager(actor, "undo a merge")
    name_of = policy_slug(database, slug)
    with database.transaction() as session:
        if not records.remove_merge(session, _policy_id(session, name_of), _key(key)):
            raise NotFound(f"the theme {excerpt(key)!r} is not merged into another")


def add_pin(
    database: Database, actor: Principal, slug: str | None, clause_id: str, query: str
) -> PinView:
    """Pin ``query`` to ``clause_id``: comments matching it belong to that clause's theme.
    A query the engine cannot read is refused with its column and what is wrong."""
    _check_manager(actor, "pin a query to a clause")
    version = _version(database, slug)
    titles = {c.id: _title(c) for c in clauses(version.policy())}
    if clause_id not in titles:
        raise InvalidInput(
            f"clause: {excerpt(clause_id)!r} is not a clause of {version.slug} version "
            f"{version.number}; choose one from the list",
            [{"field": "clause", "problem": "unknown clause"}],
        )
    cleaned = query.strip()
    matcher(Pin(clause_id, cleaned))  # InvalidInput naming the column
    with database.transaction() as session:
        policy_id = _policy_id(session, version.slug)
        if any(p.clause_id == clause_id and p.query == cleaned
               for p in records.decisions(session, policy_id).pins):  # fmt: skip
            raise InvalidInput(
                f"query: {excerpt(cleaned)!r} is already pinned to {titles[clause_id]}",
                [{"field": "query", "problem": "already pinned"}],
            )
        row = records.add_pin(session, policy_id, clause_id, cleaned,
                              _by(actor), clock.now())  # fmt: skip
        return _pin_view(row, titles)


def remove_pin(database: Database, actor: Principal, slug: str | None, pin_id: int) -> None:
    """Remove pin ``pin_id``: its comments go back where the grouping puts them."""
    _check_manager(actor, "remove a pin")
    name_of = policy_slug(database, slug)
    with database.transaction() as session:
        if not records.remove_pin(session, _policy_id(session, name_of), pin_id):
            raise NotFound(f"no pin {pin_id} on the policy {excerpt(name_of)!r}")


def _summary(theme: Theme, titles: dict[str, str], texts: dict[str, str]) -> ThemeSummary:
    return ThemeSummary(
        key=theme.key, name=theme.name, top_terms=list(theme.terms),
        size=len(theme.comment_ids), by_month=dict(theme.by_month),
        clauses=[(c, titles.get(c, c), s) for c, s in theme.clauses],
        examples=_examples(theme, texts), pinned=theme.pinned,
    )  # fmt: skip


def _examples(theme: Theme, texts: dict[str, str]) -> list[str]:
    """The theme's first ``EXAMPLES`` different texts, most typical first (the same words
    written twice are shown once)."""
    shown: dict[str, None] = {}
    for comment_id in theme.comment_ids:
        said = texts.get(comment_id)
        if said is not None:
            shown.setdefault(" ".join(said.split()), None)
        if len(shown) == EXAMPLES:
            break
    return list(shown)


def _pin_view(
    row: records.ThemePin, titles: dict[str, str], names: dict[int, str] | None = None
) -> PinView:
    return PinView(
        id=row.id, clause_id=row.clause_id, clause_title=titles.get(row.clause_id, row.clause_id),
        query=row.query, pinned_by=row.pinned_by, pinned_at=row.pinned_at,
        active=row.clause_id in titles,
        pinned_by_name=(names or {}).get(row.pinned_by or 0, ""),
    )  # fmt: skip


def _title(clause: Clause) -> str:
    """``Returns and refunds``; an item with its section: ``Delivery: UK mainland``; an
    item known only by its number with its first words: ``Staff: Courtesy standard 2
    (End every reply with what happens next and when.)``."""
    if clause.is_section:
        return clause.heading
    title = f"{SECTIONS[clause.section]}: {clause.heading}"
    if clause.heading.split()[-1].isdigit() and clause.facts:
        said = clause.facts[0].value
        title += f" ({said if len(said) <= TITLE_WORDS else said[: TITLE_WORDS - 1] + '…'})"
    return title


def policy_slug(database: Database, slug: str | None) -> str:
    """``slug``, or the slug of the policy in force when it is None."""
    return slug if slug is not None else _version(database, None).slug


def _version(database: Database, slug: str | None) -> Version:
    """The version in force of ``slug`` (or of the policy in force), else its newest."""
    live = operating_version(database)
    if slug is None or (live is not None and live.slug == slug):
        if live is None:
            raise NotFound("no policy is in force yet; publish a version first")
        return live
    versions = list_versions(database, slug)  # NotFound for an unknown slug
    if not versions:
        raise NotFound(f"the policy {excerpt(slug)!r} has no version yet")
    published = [v for v in versions if v.status == "published"]
    return (published or versions)[-1]


def _policy_id(session: Session, slug: str) -> int:
    found = policy_by_slug(session, slug)
    if found is None:
        raise NotFound(f"no policy {excerpt(slug)!r}")
    return int(found.id)


def _check_period(since: dt.datetime, until: dt.datetime) -> None:
    for field, moment in (("since", since), ("until", until)):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise InvalidInput(f"{field}: {moment} has no timezone",
                               [{"field": field, "problem": "no timezone"}])  # fmt: skip
    if since >= until:
        raise InvalidInput(f"the period must start before it ends: {since} is not before {until}",
                           [{"field": "since", "problem": "not before until"}])  # fmt: skip


def _check_manager(actor: Principal, what: str) -> None:
    if not actor.has(Role.admin, Role.manager):
        raise Forbidden(f"only managers and admins {what}; you are signed in as {actor.role}")


def _key(key: str, field: str = "key") -> str:
    if not key.strip() or len(key) > LONGEST_KEY:
        raise InvalidInput(
            f"{field}: a theme key has 1 to {LONGEST_KEY} characters; choose the theme from "
            "the page",
            [{"field": field, "problem": "bad key"}],
        )
    return key


def _by(actor: Principal) -> int | None:
    return actor.id if actor.id > 0 else None
