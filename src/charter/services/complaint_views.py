"""What the complaint pages, the API and the dashboard show (docs/complaints.md).

``complaint_page``: one case, each stage's deadlines in the calendar's local time with
the engine's steps, what is due next, the handler and the extensions. ``complaint_list``:
the cases a filter picks (open ones by default; by stage, overdue, or a KPI's month,
stage and measure), with counts that link to lists of exactly that many.
``complaint_board``: the dashboard's card, the KPIs per month and stage and the
overdue stages. The list's filters and the KPIs count with the store's one rule
(``charter.store.complaints.kept``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from charter import clock
from charter.decisions.deadlines import Deadline
from charter.errors import InvalidInput
from charter.services.complaints import CaseContext, case_context, context_of
from charter.services.lifecycle import Version, judging_versions
from charter.store import Database
from charter.store import accounts as accounts_store
from charter.store import complaints as records

__all__ = [
    "MEASURE_WORDS", "Board", "CaseLine", "CaseList", "CasePage", "DeadlineView", "Filters",
    "KpiLine", "StageView", "complaint_board", "complaint_list", "complaint_page",
]  # fmt: skip

MEASURE_WORDS = {
    "acknowledged_within": "acknowledged within the limit",
    "acknowledged_late": "acknowledged late, or not by the deadline",
    "answered_within": "answered within the limit",
    "answered_late": "answered late, or not by the deadline",
}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
BOARD_MONTHS = 3


@dataclass(frozen=True)
class DeadlineView:
    """One deadline of a stage: its name, when it ends (local), the steps, how it stands
    (``within``, ``late``, ``due`` or ``overdue``) and whether it is provisional."""

    name: str
    ends_local: dt.datetime
    ends_utc: dt.datetime
    steps: tuple[str, ...]
    state: str
    done_at: dt.datetime | None
    provisional: bool = False


@dataclass(frozen=True)
class StageView:
    """One stage a case reached, as the case page shows it."""

    row: records.StageRow
    name: str
    owner_role: str
    different_handler: bool
    deadlines: list[DeadlineView]
    zone: str


@dataclass(frozen=True)
class CasePage:
    """The case page's content."""

    case: records.CaseRecord
    version_label: str
    stages: list[StageView]
    next_due: DeadlineView | None
    can_escalate: bool
    extensions_allowed: bool
    people: list[tuple[int, str]] = field(default_factory=list)
    external_body: str | None = None
    in_force_at_receipt: bool = True
    track: str | None = None  # the name of the track the case follows, if any


def _view(name: str, due: Deadline, done: dt.datetime | None, now: dt.datetime,
          provisional: bool = False) -> DeadlineView:  # fmt: skip
    outcome = records.kept(done, due.ends_utc, now)
    state = outcome or "due"
    if done is None and outcome == "late":
        state = "overdue"
    return DeadlineView(name, due.ends_local, due.ends_utc, due.steps, state, done, provisional)


def _stages(context: CaseContext, now: dt.datetime) -> list[StageView]:
    shown = []
    for row, clocks in zip(context.case.stages, context.clocks, strict=True):
        stage = context.stage_of(row)
        views = []
        if clocks.acknowledge is not None:
            views.append(_view("acknowledgment", clocks.acknowledge, row.acknowledged_at, now))
        views.append(_view("response", clocks.respond, row.responded_at, now,
                           clocks.respond_provisional and row.acknowledged_at is None))  # fmt: skip
        zone = clocks.respond.calendar.timezone
        shown.append(StageView(row, stage.name, stage.owner_role, stage.different_handler,
                               views, zone))  # fmt: skip
    return shown


def complaint_page(database: Database, case_id: int, now: dt.datetime | None = None) -> CasePage:
    """The page of case ``case_id``; ``NotFound`` when there is none."""
    moment = clock.utc_moment(now)
    context = case_context(database, case_id)
    stages = _stages(context, moment)
    current = stages[-1] if context.case.state == "open" else None
    pending = [d for d in current.deadlines if d.done_at is None] if current else []
    with database.reading() as session:
        people = [(u.id, u.name) for u in accounts_store.all_users(session) if u.active]
    counting = context.clocks[-1].counting
    return CasePage(
        case=context.case, version_label=f"{context.version.slug} version "
        f"{context.version.number}", stages=stages, next_due=pending[0] if pending else None,
        can_escalate=context.next_stage() is not None, people=people,
        extensions_allowed=counting.extensions, external_body=context.section.external_body,
        in_force_at_receipt=_in_force(context.version, context.case.received_at),
        track=_track_name(context),
    )  # fmt: skip


def _in_force(version: Version, received_at: dt.datetime) -> bool:
    """Whether ``version`` was in force when the complaint came (else it is the first
    one in force since: the complaint came before any)."""
    return version.effective_at is not None and version.effective_at <= received_at


def _track_name(context: CaseContext) -> str | None:
    track = context.section.track_of(context.path[0])
    return track.name if track is not None else None


@dataclass(frozen=True)
class Filters:
    """Which cases a list shows: ``state`` open (default) or all; the current ``stage``
    id (open cases) or, with ``month`` and ``measure``, the stage the KPI counted;
    ``overdue`` current stages only."""

    state: str = "open"
    stage: str = ""
    overdue: bool = False
    month: str = ""
    measure: str = ""

    @classmethod
    def read(cls, asked: dict[str, str]) -> Filters:
        """The filters of a query string; ``InvalidInput`` naming a bad one."""
        state = asked.get("state", "open") or "open"
        if state not in ("open", "all"):
            raise InvalidInput(f"state {state[:20]!r} is not open or all",
                               [{"field": "state", "problem": "not open or all"}])  # fmt: skip
        month = asked.get("month", "")
        if month and not _MONTH.match(month):
            raise InvalidInput(f"month {month[:20]!r} is not a month; write it as 2026-10",
                               [{"field": "month", "problem": "not YYYY-MM"}])  # fmt: skip
        measure = asked.get("measure", "")
        if measure and measure not in records.MEASURES:
            raise InvalidInput(f"measure {measure[:30]!r} is not one of "
                               f"{', '.join(records.MEASURES)}",
                               [{"field": "measure", "problem": "unknown"}])  # fmt: skip
        overdue = asked.get("overdue", "") in ("1", "true", "yes")
        return cls(state, asked.get("stage", "")[:200], overdue, month, measure)

    def query(self, **changes: str) -> str:
        """This filter's query string with ``changes`` (an empty value drops a key)."""
        values = {"state": self.state if self.state != "open" else "", "stage": self.stage,
                  "overdue": "1" if self.overdue else "", "month": self.month,
                  "measure": self.measure} | changes  # fmt: skip
        return urlencode({k: v for k, v in values.items() if v})

    def picks(self, case: records.CaseRecord, now: dt.datetime) -> bool:
        """Whether ``case`` is in the list."""
        if self.state == "open" and case.state != "open":
            return False
        if self.measure or self.month:
            return any(self._counted(s, now) for s in case.stages)
        current = case.current
        if self.stage and current.stage_id != self.stage:
            return False
        return not self.overdue or (case.state == "open" and current.overdue(now))

    def _counted(self, stage: records.StageRow, now: dt.datetime) -> bool:
        if self.month and f"{stage.received_at:%Y-%m}" != self.month:
            return False
        if self.stage and stage.stage_id != self.stage:
            return False
        return not self.measure or stage.measure(self.measure, now)


@dataclass(frozen=True)
class CaseLine:
    """One case in a list."""

    case: records.CaseRecord
    stage_name: str
    next_due: DeadlineView | None
    overdue: bool
    zone: str = "UTC"  # the current stage's calendar's: its instants are shown in it


@dataclass(frozen=True)
class CaseList:
    """The cases a filter picks, and the open cases' counts by stage and overdue."""

    filters: Filters
    lines: list[CaseLine]
    by_stage: list[tuple[str, str, int]]  # stage id, name, open cases at it
    overdue: int
    open_total: int


def complaint_list(
    database: Database, asked: dict[str, str], now: dt.datetime | None = None
) -> CaseList:
    """The cases ``asked`` (a query string's filters) picks; ``InvalidInput`` for a bad
    filter."""
    moment = clock.utc_moment(now)
    filters = Filters.read(asked)
    with database.reading() as session:
        # The open cases' counts are shown under any filter; closed cases only matter
        # to a list of all of them (``state=all``).
        cases = records.load_cases(session, open_only=filters.state == "open")
    versions = judging_versions(database, moment)
    lines: list[CaseLine] = []
    names: dict[str, str] = {}
    by_stage: dict[str, int] = {}
    overdue = open_total = 0
    for case in cases:
        context = context_of(database, case, versions)
        for stage in context.section.stages:
            names.setdefault(stage.id, stage.name)
        current = case.current
        late = case.state == "open" and current.overdue(moment)
        if case.state == "open":
            open_total += 1
            overdue += late
            by_stage[current.stage_id] = by_stage.get(current.stage_id, 0) + 1
        if filters.picks(case, moment):
            stages = _stages(context, moment)
            pending = [d for d in stages[-1].deadlines if d.done_at is None]
            next_due = pending[0] if pending and case.state == "open" else None
            lines.append(CaseLine(case, names[current.stage_id], next_due, late,
                                  stages[-1].zone))  # fmt: skip
    counts = [(sid, name, by_stage.get(sid, 0)) for sid, name in names.items()]
    return CaseList(filters, lines, counts, overdue, open_total)


@dataclass(frozen=True)
class KpiLine:
    """One month and stage of the complaint KPIs, with the lists behind each count."""

    row: records.KpiRow
    stage_name: str

    def share(self, step: str) -> float | None:
        """The share within the limit of those counted (``acknowledged`` or
        ``answered``); None when none was counted."""
        within = getattr(self.row, f"{step}_within")
        total = within + getattr(self.row, f"{step}_late")
        return within / total if total else None

    def link(self, measure: str) -> str:
        """The list of exactly the cases counted in ``measure``."""
        query = urlencode({"state": "all", "month": self.row.month, "stage": self.row.stage_id,
                           "measure": measure})  # fmt: skip
        return f"/complaints?{query}"


@dataclass(frozen=True)
class Board:
    """The dashboard's complaint card."""

    lines: list[KpiLine]
    overdue: int
    open_total: int


def complaint_board(database: Database, now: dt.datetime | None = None) -> Board | None:
    """The KPIs of the last ``BOARD_MONTHS`` months with complaints, per stage, and the
    overdue stages now; None when no case was ever opened."""
    moment = clock.utc_moment(now)
    listing = complaint_list(database, {}, moment)
    with database.reading() as session:
        rows = records.complaint_kpis(session, moment)
    if not rows and not listing.open_total:
        return None
    months = sorted({r.month for r in rows})[-BOARD_MONTHS:]
    names = _stage_names(judging_versions(database, moment))
    lines = [KpiLine(r, names.get(r.stage_id, r.stage_id)) for r in rows if r.month in months]
    return Board(lines, listing.overdue, listing.open_total)


def _stage_names(versions: list[Version]) -> dict[str, str]:
    """Each stage id's name, the newest version's wording first (a closed case's stage
    may be one only an older version has)."""
    names: dict[str, str] = {}
    for version in reversed(versions):
        section = version.policy().complaints
        for stage in section.stages if section is not None else []:
            names.setdefault(stage.id, stage.name)
    return names
