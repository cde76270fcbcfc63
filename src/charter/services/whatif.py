"""The live what-if on the stored tickets: a manager tries one promise's time or share
on the last twelve months and sees how often it would have been kept, against today.

The stored tickets are read in columns and their clock runs measured once per policy
version (``charter.sla.whatif.prepare_whatif``); each try then re-judges only due
instants and verdicts, in milliseconds. The prepared runs are kept in this process:

- **keyed** by the database, the version (its id and content hash) and the tickets'
  stamp (``charter.store.tickets.stamp``: their count, highest id and latest
  import), so an import or sync that adds or changes a ticket, or another version,
  is a new key and is prepared afresh. The page (``whatif_view``) reads the stamp on
  every call; a try (``try_promise``, asked at each pause in typing) reuses one read
  in the last ``STAMP_AGE`` seconds, as the stamp scans the tickets' import instants;
- **fresh** for ``FRESH`` seconds: running clocks are judged at the instant of
  preparing, so after that the runs are measured again at the new instant;
- **read in the background when slow**: when a version's tickets changed and its
  last preparation took ``SLOW`` seconds or more, its previous state answers (marked
  ``reading_newer``) while a thread reads the tickets again; a fast one is prepared at
  once, so a small store never shows old figures;
- **bounded**: at most ``KEPT`` prepared versions and ``MEMORY`` bytes of their
  columns together (``weight``), the least recently used dropped first; a version
  prepared again for new tickets replaces its older state; one preparation at a time
  (a second request for the same key waits and takes the first one's result).

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> try:
...     whatif_view(db)
... except Conflict as refused:
...     print(str(refused)[:38])
no version is in force: publish one, o
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter import figures
from charter.errors import Conflict, InvalidInput, PolicyError
from charter.policy.schema import Policy
from charter.services._whatif_kept import (
    FRESH,
    KEPT,
    MEMORY,
    MONTHS,
    SLOW,
    STAMP_AGE,
    forget_prepared,
    prepared,
    prepared_bytes,
    wait_for_reading,
    weight,
)
from charter.services.lifecycle import Version, get_version, operating_version
from charter.sla.whatif import WhatIf, WhatIfBase, what_if
from charter.store import Database

__all__ = [
    "FRESH", "KEPT", "MEMORY", "MONTHS", "NOTHING_IN_FORCE", "SLOW", "STAMP_AGE", "Answer",
    "Promise", "WhatIfView", "forget_prepared", "prepared_bytes", "try_promise",
    "wait_for_reading", "weight", "whatif_view",
]  # fmt: skip
NOTHING_IN_FORCE = (
    "no version is in force: publish one, or name a policy and version (?policy=slug&version=2)"
)


@dataclass(frozen=True)
class Promise:
    """One rule's target for one metric, and how often it was kept in the window."""

    rule_id: str
    rule_name: str
    metric: str
    within: str  # as the policy writes it: 8h
    within_words: str  # 8 business hours
    clock: str
    attainment: float | None
    tickets: int  # tickets the rule governs in the window
    met: int
    decided: int  # met + breached: clocks still running are left out
    share: float | None
    kept: bool | None


@dataclass(frozen=True)
class WhatIfView:
    """The promises of one version, judged on the stored tickets of the window."""

    slug: str
    number: int
    status: str
    operating: bool
    months: list[str]  # "2026-01" .. "2026-12"
    as_of: dt.datetime  # the instant running clocks are judged at
    tickets: int  # tickets created in the window
    promises: list[Promise]
    reading_newer: bool = False  # changed tickets are being read: these are the last figures


@dataclass(frozen=True)
class Answer:
    """One promise tried: today's figures (``now``) and the proposed ones (``then``).

    ``change`` is the difference of the two shares as shown (rounded to 0.1 %), so
    the words add up: 74.1 % → 81.3 % is +7.2 points."""

    slug: str
    number: int
    rule_id: str
    metric: str
    tickets: int
    within_now: str
    within_then: str
    attainment_now: float | None
    attainment_then: float | None
    met_now: int
    decided_now: int
    met_then: int
    decided_then: int
    share_now: float | None
    share_then: float | None
    change: float | None
    kept_now: bool | None
    kept_then: bool | None
    by_month: list[tuple[str, float | None, float | None]]
    reading_newer: bool = False  # changed tickets are being read: these are the last figures

    @property
    def headline(self) -> str:
        """``74.1 % → 81.3 %, +7.2 points``."""
        moved = "" if self.change is None else f", {figures.points(self.change)}"
        return f"{figures.share(self.share_now)} → {figures.share(self.share_then)}{moved}"

    @property
    def detail(self) -> str:
        """Both counts: ``Met 6,234 of 8,412 decided tickets within 8h today; 6,840 of
        8,412 decided tickets within 4h as proposed.``"""
        now = _met_of(self.met_now, self.decided_now, self.within_now)
        then = _met_of(self.met_then, self.decided_then, self.within_then)
        return f"Met {now} today; {then} as proposed."

    @property
    def verdict(self) -> str:
        """Whether the promised share would have been kept, or '' without one."""
        if self.attainment_then is None or self.kept_then is None:
            return ""
        kept = "would have been kept" if self.kept_then else "would not have been kept"
        return f"A promise of {figures.share(self.attainment_then)} {kept}."


def whatif_view(database: Database, slug: str | None = None, number: int | None = None
                ) -> WhatIfView:  # fmt: skip
    """The promises of version ``number`` of policy ``slug`` (default: the version in
    force, and its policy) with today's share on the stored tickets."""
    version, operating = _version(database, slug, number)
    policy = _policy(version)
    base, reading = prepared(database, version, policy)
    promises = [
        _promise(base, policy, rule.id, rule.name or "", metric)
        for rule in policy.service_levels.rules
        for metric in rule.targets
    ]
    return WhatIfView(
        slug=version.slug,
        number=version.number,
        status=version.status,
        operating=operating,
        months=base.months,
        as_of=base.now,
        tickets=len(base.month),
        promises=promises,
        reading_newer=reading,
    )


def try_promise(
    database: Database,
    rule_id: str,
    metric: str,
    *,
    within: str | None = None,
    attainment: str | None = None,
    slug: str | None = None,
    number: int | None = None,
) -> Answer:
    """Rule ``rule_id``'s ``metric`` with ``within`` (``4h``, ``90m``, ``10wd``) and/or
    ``attainment`` (per cent: ``90`` or ``90%``) changed, on the same tickets as
    ``whatif_view``. Raises ``InvalidInput`` naming the field (``rule_id``, ``metric``,
    ``within``, ``attainment``) for what cannot be tried."""
    version, _ = _version(database, slug, number)
    base, reading = prepared(database, version, _policy(version), STAMP_AGE)
    result = what_if(base, rule_id, metric, within=_blank(within), attainment=_percent(attainment))
    return _answer(version, result, reading)


def _version(database: Database, slug: str | None, number: int | None) -> tuple[Version, bool]:
    """The version asked for, and whether it is the one in force now."""
    operating = operating_version(database)
    if number is None and (slug is None or (operating and operating.slug == slug)):
        if operating is None:
            raise Conflict(NOTHING_IN_FORCE)
        return operating, True
    if slug is None:
        if operating is None:
            raise Conflict(NOTHING_IN_FORCE)
        slug = operating.slug
    if number is None:
        raise InvalidInput(f"version: name the version of {slug!r} to try (version=1)")
    version = get_version(database, slug, number)
    return version, operating is not None and operating.id == version.id


def _policy(version: Version) -> Policy:
    try:
        return version.policy()
    except PolicyError as error:
        first = error.diagnostics[0] if error.diagnostics else None
        where = f"{first.where}: {first.message}" if first else str(error)
        raise InvalidInput(
            f"version: {version.file} does not load ({where}); fix its text in the editor "
            "before trying its promises"
        ) from None


def _promise(base: WhatIfBase, policy: Policy, rule_id: str, name: str, metric: str) -> Promise:
    today = what_if(base, rule_id, metric)
    target = base.targets[(rule_id, metric)]
    return Promise(
        rule_id=rule_id,
        rule_name=name,
        metric=metric,
        within=str(target.within),
        within_words=target.within.words(business=target.clock != "24x7"),
        clock=target.clock,
        attainment=target.attainment,
        tickets=today.tickets,
        met=today.met_now,
        decided=today.met_now + today.breached_now,
        share=today.share_now,
        kept=today.kept_now,
    )


def _answer(version: Version, result: WhatIf, reading: bool) -> Answer:
    change = None
    if result.share_now is not None and result.share_then is not None:
        change = (round(result.share_then * 1000) - round(result.share_now * 1000)) / 1000
    return Answer(
        slug=version.slug,
        number=version.number,
        rule_id=result.rule_id,
        metric=result.metric,
        tickets=result.tickets,
        within_now=result.within_now,
        within_then=result.within_then,
        attainment_now=result.attainment_now,
        attainment_then=result.attainment_then,
        met_now=result.met_now,
        decided_now=result.met_now + result.breached_now,
        met_then=result.met_then,
        decided_then=result.met_then + result.breached_then,
        share_now=result.share_now,
        share_then=result.share_then,
        change=change,
        kept_now=result.kept_now,
        kept_then=result.kept_then,
        by_month=result.by_month,
        reading_newer=reading,
    )


def _met_of(met: int, decided: int, within: str) -> str:
    return f"{figures.count(met)} of {figures.count(decided)} decided tickets within {within}"


def _blank(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _percent(text: str | None) -> str | None:
    """A share typed in per cent (``90``, ``90%``, ``90 %``) as the engine reads it;
    ``InvalidInput`` (field ``attainment``) for anything else."""
    value = _blank(text)
    if value is None:
        return None
    hint = "write the share promised in per cent, such as 85"
    try:
        number = float(value.removesuffix("%").strip())
    except ValueError:
        raise InvalidInput(f"attainment: {value!r} is not a percentage; {hint}") from None
    if not 0 < number <= 100:
        raise InvalidInput(f"attainment: {value!r} is outside 0-100 %; {hint}")
    return f"{number}%"
