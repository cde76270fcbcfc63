"""Managers' decisions on the themes, applied again to every fresh run of the engine.

The engine (:mod:`charter.feedback.themes`) is deterministic, but new comments change
its themes a little. What a manager decided is kept against a theme's **key** (its top
three terms in alphabetical order) and found again on each run by :func:`follow`: the
theme with that key, else the theme sharing two of its three terms. Then
:func:`apply` lays the decisions on the fresh themes, in this order (docs/feedback.md,
"Precedence"):

1. **Pins.** A comment matching a pin belongs to its clause's theme, whatever NMF
   said: the largest theme whose closest clause is the pin's clause, or, when no theme
   is closest to it, a theme of its own keyed ``pin: <clause id>`` and named after the
   clause. A comment matching pins on two clauses goes by the first pin (oldest first).
2. **Merges** (``X`` into ``Y``): ``X``'s comments join ``Y``, which keeps its key.
3. **Names**: a theme is called what its manager named it.

>>> from charter.feedback.themes import Comment, Theme
>>> at = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
>>> said = [Comment("a", "refund late", at, "survey"), Comment("b", "chat slow", at, "policy")]
>>> chat = Theme("t1", "chat · slow", ("chat", "slow"), ("b",), ("b",), {"2026-11": 1},
...              (("service_levels", 0.3),), (0.8,), key="chat / slow")
>>> edits = Edits(names={"chat / slow": "Slow chat"}, pins=(Pin("service_levels", "refund"),))
>>> headings = {"service_levels": "Service levels"}
>>> [(t.name, t.comment_ids, t.pinned) for t in apply([chat], said, edits, headings)]
[('Slow chat', ('b', 'a'), True)]
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from charter.feedback._words import terms
from charter.feedback.themes import (
    EXAMPLES,
    KEY_JOIN,
    NAMED_BY,
    Comment,
    Pin,
    Theme,
    matcher,
    merge,
)

PIN_KEY = "pin: "  # a pin's own theme is keyed "pin: returns"
SHARED = 2  # a stored key follows a theme sharing this many of its three terms
TOP_TERMS = 8


@dataclass(frozen=True)
class Edits:
    """What managers decided: names by theme key, merges (key merged → key kept), and
    pins in the order they were made (the first matching pin wins)."""

    names: Mapping[str, str] = field(default_factory=dict)
    merges: Mapping[str, str] = field(default_factory=dict)
    pins: Sequence[Pin] = ()


def follow(found: Sequence[Theme], keys: Sequence[str]) -> dict[str, Theme]:
    """Each stored key's theme in ``found``: the theme with that key; failing that, the
    largest theme not taken by its own key that shares at least two of the key's three
    terms (the most shared first). A key that finds neither is left out."""
    by_key = {t.key: t for t in found}
    taken = {key for key in keys if key in by_key}
    followed = {key: by_key[key] for key in keys if key in by_key}
    for key in sorted(set(keys) - taken):
        wanted = set(_terms_of(key))
        if key.startswith(PIN_KEY):
            continue
        near = sorted(
            (-shared, -len(t.comment_ids), t.key, t)
            for t in found
            if t.key not in taken
            and (shared := len(wanted & set(_terms_of(t.key)))) >= min(SHARED, len(wanted))
        )
        if near:
            followed[key] = near[0][3]
            taken.add(near[0][3].key)
    return followed


def apply(
    found: Sequence[Theme],
    comments: Sequence[Comment],
    edits: Edits,
    headings: Mapping[str, str],
) -> list[Theme]:
    """``found`` with the pins, merges and names of ``edits`` applied, in that order.

    ``comments`` are the comments the themes were found in (pins test each of them,
    themed or not); ``headings`` name the policy's clauses (a pin on a clause not in
    it is left out: its clause has gone from the policy)."""
    placed = _pinned(found, comments, [p for p in edits.pins if p.clause_id in headings],
                     headings)  # fmt: skip
    merged = _merged(placed, edits.merges)
    followed = follow(merged, list(edits.names))
    names = {followed[key].id: name for key, name in edits.names.items() if key in followed}
    return [replace(t, name=names[t.id]) if t.id in names else t for t in merged]


def _pinned(
    found: Sequence[Theme], comments: Sequence[Comment], pins: Sequence[Pin],
    headings: Mapping[str, str],
) -> list[Theme]:  # fmt: skip
    """Each comment matching a pin moved to its clause's theme."""
    if not pins:
        return list(found)
    tests = [(pin.clause_id, matcher(pin)) for pin in pins]
    clause_of: dict[str, str] = {}
    for comment in comments:
        hit = next((clause for clause, test in tests if test(comment.text)), None)
        if hit is not None:
            clause_of[comment.id] = hit
    when = {c.id: c for c in comments}
    home = _homes(found, {clause for clause, _ in tests})
    kept = [_without(t, clause_of, home, when) for t in found]
    themed = [t for t in kept if t is not None]
    for clause in dict.fromkeys(clause for clause, _ in tests):
        pulled = sorted((when[c] for c, k in clause_of.items() if k == clause),
                        key=lambda c: (-c.at.timestamp(), c.id))  # fmt: skip
        if not pulled:
            continue
        if clause in home:
            at = next(i for i, t in enumerate(themed) if t.id == home[clause])
            themed[at] = _with(themed[at], pulled, when)
        else:
            themed.append(_own_theme(clause, pulled, headings[clause]))
    return sorted(themed, key=lambda t: (-len(t.comment_ids), t.id))


def _homes(found: Sequence[Theme], clauses: set[str]) -> dict[str, str]:
    """Each pinned clause's theme: the largest whose closest clause it is."""
    home: dict[str, str] = {}
    for theme in sorted(found, key=lambda t: (-len(t.comment_ids), t.id)):
        if theme.clauses and theme.clauses[0][0] in clauses:
            home.setdefault(theme.clauses[0][0], theme.id)
    return home


def _without(
    theme: Theme, clause_of: Mapping[str, str], home: Mapping[str, str],
    when: Mapping[str, Comment],
) -> Theme | None:  # fmt: skip
    """``theme`` without the comments pins send elsewhere; None when none is left."""
    weights = theme.weights or tuple(1.0 for _ in theme.comment_ids)
    kept = [(c, w) for c, w in zip(theme.comment_ids, weights, strict=True)
            if c not in clause_of or home.get(clause_of[c]) == theme.id]  # fmt: skip
    if not kept:
        return None
    matched = any(c in clause_of for c, _ in kept)
    if len(kept) == len(theme.comment_ids):
        return replace(theme, pinned=theme.pinned or matched)
    ids = tuple(c for c, _ in kept)
    return replace(theme, comment_ids=ids, weights=tuple(w for _, w in kept),
                   examples=ids[:EXAMPLES], by_month=_months(ids, when),
                   pinned=theme.pinned or matched)  # fmt: skip


def _with(theme: Theme, pulled: list[Comment], when: Mapping[str, Comment]) -> Theme:
    """``theme`` with the pulled comments after its own (weight 0: placed by a rule)."""
    new = [c.id for c in pulled if c.id not in set(theme.comment_ids)]
    ids = (*theme.comment_ids, *new)
    return replace(theme, comment_ids=ids, weights=(*theme.weights, *(0.0 for _ in new)),
                   examples=ids[:EXAMPLES], by_month=_months(ids, when), pinned=True)  # fmt: skip


def _own_theme(clause: str, pulled: list[Comment], heading: str) -> Theme:
    """A theme for a pinned clause no found theme is closest to: its comments newest
    first, its terms those most of its comments use."""
    used: Counter[str] = Counter()
    for comment in pulled:
        used.update(set(terms(comment.text)))
    top = tuple(t for t, _ in sorted(used.items(), key=lambda p: (-p[1], p[0]))[:TOP_TERMS])
    ids = tuple(c.id for c in pulled)
    return Theme(
        id=f"pin-{clause}", name=heading, terms=top, comment_ids=ids,
        examples=ids[:EXAMPLES], by_month=_months(ids, {c.id: c for c in pulled}),
        clauses=((clause, 1.0),), weights=tuple(0.0 for _ in ids),
        key=f"{PIN_KEY}{clause}", pinned=True,
    )  # fmt: skip


def _merged(found: list[Theme], merges: Mapping[str, str]) -> list[Theme]:
    """Each stored merge whose two keys both find a theme (and differ), done in key order;
    a merge into a theme itself merged away follows it (``X → Y → Z``)."""
    current = found
    for gone in sorted(merges):
        into = _final(gone, merges)
        followed = follow(current, [gone, into])
        if gone in followed and into in followed and followed[gone].id != followed[into].id:
            kept = followed[into]
            current = merge(current, [kept.id, followed[gone].id], kept.name)
    return current


def _final(key: str, merges: Mapping[str, str]) -> str:
    seen = {key}
    while merges.get(key) is not None and merges[key] not in seen:
        key = merges[key]
        seen.add(key)
    return key


def _months(ids: Sequence[str], when: Mapping[str, Comment]) -> dict[str, int]:
    counted = Counter(when[c].at.astimezone(dt.UTC).strftime("%Y-%m") for c in ids if c in when)
    return dict(sorted(counted.items()))


def _terms_of(key: str) -> list[str]:
    return key.split(" #")[0].split(KEY_JOIN)[:NAMED_BY]
