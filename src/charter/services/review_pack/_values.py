"""The review pack's values, shared by the modules that build each section; every figure
a person reads is already written (``charter.figures``), so the page and the PDF show
the same text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from charter.services.feedback_themes import ThemeSummary
from charter.services.lifecycle import Comment
from charter.services.pilots import PilotComparison
from charter.services.training import ClauseRow

MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def month_label(first: dt.date) -> str:
    """``October 2026``."""
    return f"{MONTH_NAMES[first.month - 1]} {first.year}"


def day_label(day: dt.date) -> str:
    """``7 December 2026``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Span:
    """The period the pack covers, ``start`` (included) to ``end``, and why it starts
    there; ``months`` are the first days of the calendar months the month-by-month
    tables show, oldest first."""

    start: dt.datetime
    end: dt.datetime
    since_review: bool  # from the last recorded review; else a cadence interval back
    months: tuple[dt.date, ...]
    months_note: str  # why the tables show more months than the period, or ""
    previous_start: dt.datetime  # the window of the same length before ``start``

    @property
    def words(self) -> str:
        """``from 7 June 2026 to 7 December 2026``."""
        return f"from {day_label(self.start.date())} to {day_label(self.end.date())}"


@dataclass(frozen=True)
class KpiLine:
    """One KPI target: its figure in the window before the period (what the last review
    read) and over the period, and which way it moved."""

    id: str
    name: str
    target: str
    before: str
    now: str
    met: bool | None  # the period's figure against the target; None: no figure
    change: str  # "better", "worse", "no change", or why there is no comparison
    count: int | None  # what the period's figure is based on


@dataclass(frozen=True)
class MonthCell:
    """A promise's tickets in one month: met, breached, the kept share written out."""

    month: dt.date
    met: int
    breached: int
    share: str
    kept: bool | None  # the share against the promised share; None: nothing decided


@dataclass(frozen=True)
class PromiseMonths:
    """One promise (a rule's target for a metric), month by month."""

    rule_id: str
    name: str
    metric: str
    promised: str
    cells: tuple[MonthCell, ...]


@dataclass(frozen=True)
class ScoreCell:
    """One score kind's answers in a month for tickets whose promises were kept or broken."""

    answers: int
    value: str  # CSAT: the share of 4-5 answers; NPS: promoters minus detractors


@dataclass(frozen=True)
class ScoreMonth:
    """CSAT and NPS in one month (by the ticket's creation), kept against broken."""

    month: dt.date
    csat_kept: ScoreCell
    csat_broken: ScoreCell
    nps_kept: ScoreCell
    nps_broken: ScoreCell


@dataclass(frozen=True)
class Scores:
    """CSAT and NPS by month, and how many came from surveys and from the helpdesk."""

    months: tuple[ScoreMonth, ...]
    imported: int  # scores kept from the helpdesk's import
    surveyed: int  # scores from Charter's own surveys (an answer overrides an import)


@dataclass(frozen=True)
class Benchmarked:
    """A competitor's figure beside our promise for the same metric and channel."""

    competitor: str
    metric: str
    channel: str  # "any channel" when the benchmark names none
    theirs: str
    ours: str  # "" when no general rule of ours sets that metric for that channel
    rule_id: str | None
    source: str
    taken: dt.date
    sentence: str  # "we promise 8 business hours, HomeStore 24 hours"


@dataclass(frozen=True)
class CommentGroup:
    """The staff comments on one version, about one clause (or the whole version)."""

    number: int
    status: str
    clause: str  # "" for the version as a whole
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class Training:
    """How staff stand with the version in force, and the quiz results per clause."""

    people: int
    acknowledged: int
    passed: int
    overdue: int
    clauses: tuple[ClauseRow, ...]


@dataclass(frozen=True)
class BacktestLine:
    """One promise judged under the draft and under the live version, same tickets."""

    rule_id: str
    metric: str
    promised: str  # the draft's promised share (the live one's when the draft drops it)
    draft: str
    live: str
    draft_counts: str  # "met of decided" under the draft
    live_counts: str
    change: str  # in points, signed, or a word when one side has no figure
    kept_draft: bool | None
    kept_live: bool | None


@dataclass(frozen=True)
class DraftTest:
    """The proposed draft backtested against the live version on the stored tickets."""

    number: int
    status: str
    live: int
    tickets: int
    judged_at: dt.datetime
    lines: tuple[BacktestLine, ...]


@dataclass(frozen=True)
class ReviewPack:
    """Everything the review reads, figures written once for the page and the PDF.

    ``pilot`` is the running or most recent pilot against control, None when no version
    was piloted on a group."""

    slug: str
    name: str
    version: int
    span: Span
    kpis: tuple[KpiLine, ...]
    promises: tuple[PromiseMonths, ...]
    scores: Scores
    benchmarks: tuple[Benchmarked, ...]
    comments: tuple[CommentGroup, ...]
    training: Training
    drafts: tuple[tuple[int, str], ...]  # every draft that could be proposed: number, status
    draft: DraftTest | None
    draft_problem: str = ""  # why the draft asked for is not backtested
    themes: tuple[ThemeSummary, ...] = ()
    pilot: PilotComparison | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
