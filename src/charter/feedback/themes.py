"""Themes in free-text comments, each tied to the policy clauses it is about.

Survey comments, feedback on the policy and imported comments are grouped offline and
deterministically: TF-IDF terms (English stop words dropped, plurals folded, single
words and pairs of neighbouring words, a term kept when at least two texts use it)
factorised by NMF (scikit-learn, ``init="nndsvd"``). Each comment belongs to its
strongest theme, or to none when that weight is below ``THEMED_FROM``. Each theme is
linked to the clauses whose text (section, heading and body) is closest to its terms by
cosine similarity in the same TF-IDF space, from ``LINKED_FROM`` up, closest first.
Nothing is downloaded. Rules and figures: ``docs/feedback.md``, "Themes tied to clauses".

>>> import datetime as dt
>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: Acme, mission: Delight}
... returns: {window_days: 30, refund: {method: original_payment, within: 5d}}
... ''').policy
>>> at = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
>>> said = ["refund late", "refund is late again", "late refund, no refund yet"]
>>> found = themes([Comment(f"c{n}", text, at, "survey") for n, text in enumerate(said)],
...                policy, count=1)
>>> [(t.name, t.comment_ids, t.by_month) for t in found]
[('refund · late · refund late', ('c0', 'c1', 'c2'), {'2026-11': 3})]
>>> found[0].clauses[0][0]
'returns'
>>> matches(Pin("returns", 'refund AND NOT "on time"'), "My refund is late")
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from charter.errors import InvalidInput, NotFound
from charter.excerpt import excerpt
from charter.feedback import _model
from charter.feedback._query import parse
from charter.feedback._words import words
from charter.policy.clauses import SECTIONS, Clause, clauses
from charter.policy.schema import Policy

DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
        "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}  # fmt: skip
DAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)(?=:)")
SOURCES = ("survey", "policy", "import")
MOST_COMMENTS = 100_000
LONGEST_COMMENT = 5_000  # characters
MOST_THEMES = 50  # the most a caller may ask for
THEMED_FROM = _model.THEMED_FROM
LINKED_FROM = 0.1  # a clause's cosine similarity with a theme below this: not linked
MOST_CLAUSES = 5  # clauses linked to a theme, at most
EXAMPLES = 3  # example comments per theme
NAMED_BY = 3  # top terms in a theme's default name and in its key
KEY_JOIN = " / "


@dataclass(frozen=True)
class Comment:
    """A free-text comment: from a survey answer, feedback on the policy, or an import."""

    id: str
    text: str
    at: dt.datetime  # when it was written; an aware instant
    source: str  # "survey" | "policy" | "import"


@dataclass(frozen=True)
class Theme:
    """A group of comments about one thing, with the clauses it is closest to.

    ``comment_ids`` run from the most typical comment (heaviest weight in the theme) to
    the least, ``weights`` beside them; ``examples`` are the first ``EXAMPLES`` of them.
    ``by_month`` counts the comments per UTC month (``"2026-11"``), oldest first.
    """

    id: str
    name: str
    terms: tuple[str, ...]
    comment_ids: tuple[str, ...]
    examples: tuple[str, ...]
    by_month: dict[str, int]
    clauses: tuple[tuple[str, float], ...]  # (clause id, similarity), closest first
    weights: tuple[float, ...] = ()
    # What a manager's name, merge or pin is kept against: the top three terms in
    # alphabetical order, joined by " / " ("chat / live chat / wait"); it holds while
    # more comments shift the terms below them or swap those three (see ``key_of``).
    key: str = ""
    pinned: bool = False  # holds comments placed by a manager's pin


@dataclass(frozen=True)
class Pin:
    """A manager's keyword rule: comments matching ``query`` are about ``clause_id``."""

    clause_id: str
    query: str  # e.g. 'refund AND (late OR slow)', '"phone line" NOT chat', or words


def themes(
    comments: Sequence[Comment], policy: Policy, *, count: int | None = None, seed: int = 0
) -> list[Theme]:
    """The themes of ``comments``, largest first, each linked to ``policy``'s clauses.

    ``count`` fixes the number of themes; ``None`` chooses it from the data (the fewest,
    from 2 to 12, that separate the comments about as well as any; see
    ``docs/feedback.md``). The
    same comments in any order give the same themes; ``seed`` only feeds the NMF's
    start and the sample the count is chosen on.
    """
    ordered = _checked(comments, count)
    targets = [clause for clause in clauses(policy) if clause.body]
    found = _model.fit([c.text for c in ordered], [_text(c) for c in targets], count, seed)
    if found is None:
        return []
    made = [
        _theme(ordered, found, k, [c.id for c in targets])
        for k in range(len(found.terms))
        if (found.member == k).any()
    ]
    return sorted(_unique_keys(_unique_ids(made)), key=lambda t: (-len(t.comment_ids), t.id))


def key_of(terms: Sequence[str]) -> str:
    """A theme's key: its top three terms in alphabetical order, joined by ``" / "``.

    >>> key_of(("wait", "live chat", "chat", "answer"))
    'chat / live chat / wait'
    """
    return KEY_JOIN.join(sorted(terms[:NAMED_BY]))


def matches(pin: Pin, text: str) -> bool:
    """Whether ``text`` matches ``pin``'s query: words whole and case-insensitive,
    ``"quoted phrases"``, ``word*`` for a prefix, ``AND``, ``OR``, ``NOT`` and
    brackets; words side by side with no operator mean any of them (``OR``).
    A query that cannot be read is :class:`InvalidInput` naming the column."""
    return matcher(pin)(text)


def matcher(pin: Pin) -> Callable[[str], bool]:
    """``pin``'s query read once, to test many comments; :class:`InvalidInput` naming
    the column if it cannot be read (so a form can refuse it before saving)."""
    test = parse(pin.query)
    return lambda text: test(words(text))


def rename(found: Sequence[Theme], theme_id: str, name: str) -> list[Theme]:
    """``found`` with theme ``theme_id`` called ``name``."""
    _find(found, [theme_id])
    return [replace(t, name=_name(name)) if t.id == theme_id else t for t in found]


def merge(found: Sequence[Theme], ids: Sequence[str], name: str) -> list[Theme]:
    """``found`` with the themes ``ids`` made one, called ``name``, in the place of the
    first of them in ``found``, keeping the key of ``ids[0]`` (the theme merged into):
    their comments together (heaviest first), their months added, the
    examples taken again from the joined comments, their terms by rank, and every
    clause any of them was linked to (with its highest similarity)."""
    parts = _find(found, ids)
    if len(parts) < 2:
        raise InvalidInput(f"Merging needs two different themes or more; got {list(ids)}")
    members = sorted(
        (pair for t in parts for pair in zip(t.comment_ids, t.weights or _ones(t), strict=True)),
        key=lambda pair: (-pair[1], pair[0]),
    )
    months: Counter[str] = Counter()
    for t in parts:
        months.update(t.by_month)
    best: dict[str, float] = {}
    for t in parts:
        for clause, similarity in t.clauses:
            best[clause] = max(similarity, best.get(clause, 0.0))
    merged = Theme(
        id="+".join(t.id for t in parts),
        key=next(t.key for t in parts if t.id == ids[0]),
        pinned=any(t.pinned for t in parts),
        name=_name(name),
        terms=_by_rank([t.terms for t in parts]),
        comment_ids=tuple(c for c, _ in members),
        examples=tuple(c for c, _ in members[:EXAMPLES]),
        by_month=dict(sorted(months.items())),
        clauses=tuple(sorted(best.items(), key=lambda p: (-p[1], p[0]))),
        weights=tuple(w for _, w in members),
    )
    gone = {t.id for t in parts}
    first = next(i for i, t in enumerate(found) if t.id in gone)
    kept = [t for t in found if t.id not in gone]
    kept.insert(sum(1 for t in found[:first] if t.id not in gone), merged)
    return kept


def _checked(comments: Sequence[Comment], count: int | None) -> list[Comment]:
    """The comments in id order, after checking the bounds."""
    if len(comments) > MOST_COMMENTS:
        raise InvalidInput(
            f"Too many comments: {len(comments):,}; themes are found in at most "
            f"{MOST_COMMENTS:,} at a time. Split them, for example by period."
        )
    if count is not None and not 1 <= count <= MOST_THEMES:
        raise InvalidInput(f"count: ask for 1 to {MOST_THEMES} themes, not {count}")
    seen: set[str] = set()
    for comment in comments:
        where = f"Comment {excerpt(comment.id)!r}"
        if len(comment.text) > LONGEST_COMMENT:
            raise InvalidInput(
                f"{where}: its text is {len(comment.text):,} characters; at most "
                f"{LONGEST_COMMENT:,} are read. Shorten it."
            )
        if comment.at.tzinfo is None or comment.at.utcoffset() is None:
            raise InvalidInput(f"{where}: its instant {comment.at} has no timezone")
        if comment.source not in SOURCES:
            raise InvalidInput(f"{where}: source {excerpt(comment.source)!r} is not one of "
                               f"{', '.join(SOURCES)}")  # fmt: skip
        if comment.id in seen:
            raise InvalidInput(f"{where} appears twice; comment ids must be unique")
        seen.add(comment.id)
    return sorted(comments, key=lambda c: c.id)


def _text(clause: Clause) -> str:
    """What a clause says, with the section it belongs to: ``Delivery. UK mainland,
    standard. Region: UK mainland ...``."""
    head = clause.heading if clause.is_section else f"{SECTIONS[clause.section]}. {clause.heading}"
    return DAY.sub(lambda m: DAYS[m.group(1)], f"{head}. {clause.body}")


def _theme(ordered: list[Comment], found: _model.Fit, k: int, clause_ids: list[str]) -> Theme:
    rows = sorted(
        np.flatnonzero(found.member == k).tolist(), key=lambda i: (-found.weight[i], ordered[i].id)
    )
    months = Counter(ordered[i].at.astimezone(dt.UTC).strftime("%Y-%m") for i in rows)
    similar = sorted(
        ((clause_ids[j], round(float(s), 4)) for j, s in enumerate(found.similarity[k])),
        key=lambda p: (-p[1], p[0]),
    )
    top = found.terms[k]
    return Theme(
        id=_slug(top),
        key=key_of(top),
        name=" · ".join(top[:NAMED_BY]),
        terms=top,
        comment_ids=tuple(ordered[i].id for i in rows),
        examples=tuple(ordered[i].id for i in rows[:EXAMPLES]),
        by_month=dict(sorted(months.items())),
        clauses=tuple(p for p in similar if p[1] >= LINKED_FROM)[:MOST_CLAUSES],
        weights=tuple(round(float(found.weight[i]), 4) for i in rows),
    )


def _slug(top: tuple[str, ...]) -> str:
    """A theme's id from its top terms: readable, and the same for the same terms."""
    text = "-".join("-".join(words(term)) for term in top[:NAMED_BY])
    digest = hashlib.sha256("|".join(top).encode()).hexdigest()[:6]
    return f"{text[:40]}-{digest}"


def _unique_ids(made: list[Theme]) -> list[Theme]:
    seen: Counter[str] = Counter()
    unique = []
    for theme in made:
        seen[theme.id] += 1
        unique.append(replace(theme, id=f"{theme.id}-{seen[theme.id]}") if seen[theme.id] > 1
                      else theme)  # fmt: skip
    return unique


def _unique_keys(made: list[Theme]) -> list[Theme]:
    """Two themes with the same top three terms: the second's key gets `` #2``, and so on
    (the themes arrive in a fixed order, so the same comments give the same keys)."""
    seen: Counter[str] = Counter()
    unique = []
    for theme in made:
        seen[theme.key] += 1
        unique.append(replace(theme, key=f"{theme.key} #{seen[theme.key]}")
                      if seen[theme.key] > 1 else theme)  # fmt: skip
    return unique


def _find(found: Sequence[Theme], ids: Sequence[str]) -> list[Theme]:
    known = {t.id for t in found}
    for theme_id in ids:
        if theme_id not in known:
            raise NotFound(f"No theme {excerpt(theme_id)!r}; the themes are: "
                           f"{', '.join(sorted(known)) or 'none'}")  # fmt: skip
    return [t for t in found if t.id in set(ids)]


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 100:
        raise InvalidInput(f"A theme's name needs 1 to 100 characters; got {excerpt(name)!r}")
    return cleaned


def _ones(theme: Theme) -> tuple[float, ...]:
    return tuple(1.0 for _ in theme.comment_ids)


def _by_rank(lists: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Terms taken rank by rank from each list in turn, each once, up to ``TOP_TERMS``."""
    taken: list[str] = []
    for rank in range(max(map(len, lists), default=0)):
        for terms in lists:
            if rank < len(terms) and terms[rank] not in taken:
                taken.append(terms[rank])
    return tuple(taken[: _model.TOP_TERMS])
