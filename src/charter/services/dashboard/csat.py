"""The dashboard's "CSAT when the promise was kept and when it was broken".

Over the tickets created in the dashboard's period and groups: those whose promises
were all kept (a clock met, none breached, at risk or still running) against those
with a promise broken (a clock breached), each with its CSAT, the share of scores 4-5
among the scored tickets. A ticket's score is its survey answer where it has one (kind
``csat``), else the score imported from the helpdesk: an answer overrides an imported
score of the same ticket and kind. Each group's ticket count links to the ticket list
of exactly those tickets (``worst=met`` or ``worst=breached``); the list cannot keep
only the scored ones, so the scores themselves have no link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter import figures
from charter.services.dashboard._filters import Filters, Period
from charter.store import Database
from charter.store import surveys as records

__all__ = ["CsatGroup", "PromiseCsat", "promise_csat"]

WORST = {"kept": "met", "broken": "breached"}  # the ticket list's worst status per group
LABELS = {"kept": "Promise kept", "broken": "Promise broken"}


@dataclass(frozen=True)
class CsatGroup:
    """One group as the page shows it."""

    group: str
    label: str
    tickets: int
    answers: int
    from_surveys: int
    csat: float | None  # satisfied ÷ answers; None without answers
    shown: str  # the CSAT as a person reads it
    link: dict[str, str]  # the ticket list's query for the group's tickets


@dataclass(frozen=True)
class PromiseCsat:
    """Kept against broken, and the gap between their CSATs (None without both)."""

    kept: CsatGroup
    broken: CsatGroup
    gap: str

    @property
    def answers(self) -> int:
        return self.kept.answers + self.broken.answers


def promise_csat(database: Database, filters: Filters, period: Period) -> PromiseCsat:
    """CSAT of kept against broken promises for the dashboard's ``filters`` and ``period``."""
    start = dt.datetime.combine(period.start, dt.time(), dt.UTC)
    stop = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), dt.UTC)
    with database.reading() as session:
        rows = records.csat_by_promise(
            session, created_from=start, created_before=stop, channel=filters.channel,
            priority=filters.priority, team=filters.team,
        )  # fmt: skip
    kept, broken = (_group(row, filters, period) for row in rows)
    both = kept.csat is not None and broken.csat is not None
    gap = figures.points((kept.csat or 0) - (broken.csat or 0)) if both else figures.MISSING
    return PromiseCsat(kept, broken, gap)


def _group(row: records.PromiseCsat, filters: Filters, period: Period) -> CsatGroup:
    csat = row.satisfied / row.answers if row.answers else None
    return CsatGroup(
        row.group, LABELS[row.group], row.tickets, row.answers, row.from_surveys, csat,
        figures.share(csat), filters.tickets(worst=WORST[row.group], period=period),
    )  # fmt: skip
