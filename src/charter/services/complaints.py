"""Complaint cases stage by stage on the clock (docs/complaints.md, "Cases").

A case opens from a ticket, by hand (``open_complaint``) or by the worker when the
ticket carries a tag or category the policy's ``opens_on`` names (``open_from_tickets``);
it is received when the ticket was created (or at the instant given by hand) and
follows the stages of the version in force then: those of the first track its ticket's
tags or category match, else those with no track (``Complaints.path_for``). A case's
path is the one its first stage is on (``CaseContext.path``), so it escalates to the
next stage of that path and ends at its last. Each action holds the case for its
transaction, so two requests about one case run one after the other:

- ``acknowledge`` and ``respond`` the current stage (a response closes the stage);
- ``assign`` the current stage's handler: a stage with ``different_handler`` refuses
  the previous stage's handler (its assigned handler, or whoever responded to it);
- ``extend`` one of its deadlines, by the policy's rules (``deadlines.extend``);
- ``escalate`` to the next stage: once the stage responded, or before that only as the
  customer's request, with its reason written down;
- ``close`` the case.

Deadlines are recomputed from the stored instants and extensions after each action and
stored, for the lists, overdue counts and KPIs. The worker's notices are in
``charter.services.complaint_notices``; what pages show in ``complaint_views``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from charter import clock
from charter.decisions.complaint_clock import DEADLINES, Extension, StageClock, stage_clock
from charter.errors import Conflict, InvalidInput, NotFound
from charter.hours import OpeningHours
from charter.policy import Policy
from charter.policy.clock import opening_hours
from charter.policy.complaints import Complaints, ComplaintStage
from charter.services.accounts import Principal
from charter.services.lifecycle import Version, governing, judging_versions
from charter.store import Database
from charter.store import accounts as accounts_store
from charter.store import complaints as records

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "CaseContext", "acknowledge", "assign", "case_context", "close", "context_of", "escalate",
    "extend", "open_complaint", "open_from_tickets", "respond", "stage_clocks",
]  # fmt: skip

T = TypeVar("T")
REASON_LENGTH = 2000


@dataclass(frozen=True)
class CaseContext:
    """A stored case with the policy it follows and each stage's clocks."""

    case: records.CaseRecord
    version: Version
    section: Complaints
    clocks: list[StageClock]

    def stage_of(self, row: records.StageRow) -> ComplaintStage:
        """The policy's stage a stored stage follows."""
        return next(s for s in self.section.stages if s.id == row.stage_id)

    @property
    def path(self) -> list[ComplaintStage]:
        """The stages this case follows: the path (track) of its first stage."""
        return self.section.path_of(self.case.stages[0].stage_id)

    def next_stage(self) -> ComplaintStage | None:
        """The stage after the current one on the case's path; None at its last."""
        path = self.path
        index = next(i for i, s in enumerate(path) if s.id == self.case.current.stage_id)
        return path[index + 1] if index + 1 < len(path) else None


def _section(policy: Policy, version: Version) -> Complaints:
    if policy.complaints is None or not policy.complaints.stages:
        raise Conflict(
            f"{version.file} has no complaint stages; add stages under complaints: in the "
            "policy to handle complaints"
        )
    return policy.complaints


def _version_at(database: Database, received_at: dt.datetime) -> Version:
    found = governing(judging_versions(database, received_at), received_at)
    if found is None:
        found = governing(judging_versions(database), received_at)
    if found is None:
        raise Conflict("no policy version is in force; publish one before opening complaints")
    return found


def _version(database: Database, version_id: int,
             versions: list[Version] | None = None) -> Version:  # fmt: skip
    known = versions if versions is not None else judging_versions(database)
    found = next((v for v in known if v.id == version_id), None)
    if found is None:
        raise Conflict(f"the policy version (id {version_id}) this case follows is gone")
    return found


def stage_clocks(section: Complaints, stage: ComplaintStage, version: Version,
                 row: records.StageRow) -> StageClock:  # fmt: skip
    """The clocks of a stored stage under ``version``."""
    extensions = [Extension(x.deadline, x.days, x.reason) for x in row.extensions]
    return stage_clock(stage, section.counting, _hours(version, stage.clock),
                       received_at=row.received_at, acknowledged_at=row.acknowledged_at,
                       extensions=extensions)  # fmt: skip


def _first_stage(section: Complaints, labels: tuple[list[str], str | None] | None
                 ) -> ComplaintStage:  # fmt: skip
    """The first stage of the path a ticket with these tags and category follows."""
    tags, category = labels if labels is not None else ([], None)
    return section.path_for(tags, category)[0]


def _first_clock(section: Complaints, stage: ComplaintStage, version: Version,
                 at: dt.datetime) -> StageClock:  # fmt: skip
    return stage_clock(stage, section.counting, _hours(version, stage.clock), received_at=at)


# Calendars compiled once per policy text, clock and year (a country's holidays take
# milliseconds to expand, and a list of cases needs them for every stage).
_HOURS: dict[tuple[str, str, int], OpeningHours] = {}


def _hours(version: Version, clock_id: str) -> OpeningHours:
    key = (version.text, clock_id, dt.date.today().year)
    found = _HOURS.get(key)
    if found is None:
        if len(_HOURS) >= 64:
            _HOURS.clear()
        found = _HOURS[key] = opening_hours(version.policy(), clock_id)
    return found


def case_context(database: Database, case_id: int) -> CaseContext:
    """The case ``case_id`` with its policy and clocks; ``NotFound`` when there is none."""
    with database.reading() as session:
        case = records.load_case(session, case_id)
    if case is None:
        raise NotFound(f"complaint {case_id} does not exist")
    return context_of(database, case)


def context_of(database: Database, case: records.CaseRecord,
               versions: list[Version] | None = None) -> CaseContext:  # fmt: skip
    """``case`` with its policy and clocks; ``versions`` (``judging_versions``), when a
    caller reads many cases, saves reading them again for each."""
    version = _version(database, case.version_id, versions)
    policy = version.policy()
    section = _section(policy, version)
    clocks = []
    for row in case.stages:
        stage = next((s for s in section.stages if s.id == row.stage_id), None)
        if stage is None:
            raise Conflict(f"stage '{row.stage_id}' is not in {version.file} any more")
        clocks.append(stage_clocks(section, stage, version, row))
    return CaseContext(case, version, section, clocks)


def open_complaint(
    database: Database, ticket: str, who: Principal, *, received_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> int:  # fmt: skip
    """Open a case from ``ticket`` (its helpdesk id or number) by hand, received when the
    ticket was created or at ``received_at``; the case's id. ``NotFound`` for an unknown
    ticket, ``Conflict`` when it has a case already (naming it)."""
    moment = clock.utc_moment(now)
    name = ticket.strip()
    with database.reading() as session:
        found = records.ticket_ref(session, name) if name else None
        labels = records.ticket_labels(session, [found[0]]) if found is not None else {}
    if found is None:
        raise NotFound(f"ticket {name[:60]!r} does not exist; give its helpdesk id or number")
    ticket_id, _, created = found
    if received_at is not None and received_at.tzinfo is None:
        raise InvalidInput("received_at: give the instant with its timezone or in UTC",
                           [{"field": "received_at", "problem": "no timezone"}])  # fmt: skip
    at = received_at.astimezone(dt.UTC) if received_at is not None else created
    if at > moment:
        raise InvalidInput("received_at: a complaint cannot be received in the future",
                           [{"field": "received_at", "problem": "in the future"}])  # fmt: skip
    version = _version_at(database, at)
    section = _section(version.policy(), version)
    stage = _first_stage(section, labels.get(ticket_id))
    first = _first_clock(section, stage, version, at)
    with database.transaction() as session:
        case_id = records.open_case(
            session, ticket_id=ticket_id, version_id=version.id, received_at=at,
            opened_by=who.id, because=f"opened by {who.name}", stage_id=stage.id,
            acknowledge_due_at=_due(first, "acknowledgment"),
            respond_due_at=first.respond.ends_utc, now=moment,
        )  # fmt: skip
        if case_id is None:
            existing = records.case_of_ticket(session, ticket_id)
            raise Conflict(f"ticket {name[:60]} already has complaint {existing}; open that one")
    return case_id


def _due(clocks: StageClock, name: str) -> dt.datetime | None:
    found = clocks.of(name)
    return found.ends_utc if found is not None else None


def open_from_tickets(database: Database, now: dt.datetime | None = None) -> int:
    """Open a case for every ticket with a tag or category the policy in force names
    and none yet (the worker's step), since that version came into force; how many
    were opened (a second worker's open of the same ticket does nothing)."""
    moment = clock.utc_moment(now)
    versions = judging_versions(database, moment)
    live = governing(versions, moment)
    if live is None or live.effective_at is None:
        return 0
    section = live.policy().complaints
    if section is None or not section.stages:
        return 0
    names = section.opens_on
    with database.reading() as session:
        found = records.candidates(session, names.tags, names.categories, live.effective_at)
        labels = records.ticket_labels(session, [ticket_id for ticket_id, _ in found])
    opened = 0
    for ticket_id, created in found:
        version = governing(versions, created) or live
        policy = version.policy()
        chosen = policy.complaints if policy.complaints and policy.complaints.stages else section
        stage = _first_stage(chosen, labels.get(ticket_id))
        first = _first_clock(chosen, stage, version, created)
        with database.transaction() as session:
            opened += records.open_case(
                session, ticket_id=ticket_id, version_id=version.id, received_at=created,
                opened_by=None, because="a tag or category the policy names",
                stage_id=stage.id, acknowledge_due_at=_due(first, "acknowledgment"),
                respond_due_at=first.respond.ends_utc, now=moment,
            ) is not None  # fmt: skip
    return opened


def _change(database: Database, case_id: int, work: Callable[[Session, CaseContext], T]) -> T:
    """Run ``work`` on the case, held for the transaction, then store its deadlines."""
    with database.transaction() as session:
        if not records.hold_case(session, case_id):
            raise NotFound(f"complaint {case_id} does not exist")
        case = records.load_case(session, case_id)
        assert case is not None
        if case.state != "open":
            raise Conflict(f"complaint {case_id} is closed; nothing more can be done on it")
        result = work(session, context_of(database, case))
        _store_deadlines(database, session, case_id)
    return result


def _store_deadlines(database: Database, session: Session, case_id: int) -> None:
    case = records.load_case(session, case_id)
    assert case is not None
    context = context_of(database, case)
    for row, clocks in zip(case.stages, context.clocks, strict=True):
        records.set_stage(session, row.id, acknowledge_due_at=_due(clocks, "acknowledgment"),
                          respond_due_at=clocks.respond.ends_utc)  # fmt: skip


def acknowledge(database: Database, case_id: int, who: Principal,
                now: dt.datetime | None = None) -> None:  # fmt: skip
    """Acknowledge the current stage; ``Conflict`` when it was already."""
    moment = clock.utc_moment(now)

    def work(session: Session, context: CaseContext) -> None:
        row = context.case.current
        if row.acknowledged_at is not None:
            raise Conflict(f"stage {row.position} was acknowledged already, by "
                           f"{row.acknowledged_by or 'someone'}")  # fmt: skip
        records.set_stage(session, row.id, acknowledged_at=moment, acknowledged_by=who.id)

    _change(database, case_id, work)


def respond(database: Database, case_id: int, who: Principal,
            now: dt.datetime | None = None) -> None:  # fmt: skip
    """Record the current stage's response (which closes the stage); an unacknowledged
    stage is acknowledged by it too. ``Conflict`` when it responded already."""
    moment = clock.utc_moment(now)

    def work(session: Session, context: CaseContext) -> None:
        row = context.case.current
        if row.responded_at is not None:
            raise Conflict(f"stage {row.position} has its response already; escalate the "
                           "complaint or close it")  # fmt: skip
        _check_handler(context, context.case.current.position, who.id, who.name)
        values = {"responded_at": moment, "responded_by": who.id}
        if row.acknowledged_at is None:
            values |= {"acknowledged_at": moment, "acknowledged_by": who.id}
        records.set_stage(session, row.id, **values)

    _change(database, case_id, work)


def _previous_handler(context: CaseContext, position: int) -> tuple[int | None, str]:
    before = next((s for s in context.case.stages if s.position == position - 1), None)
    if before is None:
        return None, ""
    if before.handler_id is not None:
        return before.handler_id, before.handler
    return before.responded_by_id, before.responded_by


def _check_handler(context: CaseContext, position: int, user_id: int, name: str) -> None:
    row = next(s for s in context.case.stages if s.position == position)
    stage = context.stage_of(row)
    previous, previous_name = _previous_handler(context, position)
    if stage.different_handler and previous is not None and previous == user_id:
        raise Conflict(
            f"{name} handled stage {position - 1}, and stage {position} ({stage.name}) must "
            "be handled by someone else (the policy's different_handler); choose another "
            "handler"
        )


def assign(database: Database, case_id: int, handler_id: int, who: Principal) -> str:
    """Make ``handler_id`` the current stage's handler; their name. ``NotFound`` for an
    unknown or disabled account; ``Conflict`` when the stage needs a handler other than
    the previous stage's and this is that person."""

    def work(session: Session, context: CaseContext) -> str:
        person = accounts_store.user_by_id(session, handler_id)
        if person is None or not person.active:
            raise NotFound(f"handler: no active account has id {handler_id}")
        row = context.case.current
        if row.responded_at is not None:
            raise Conflict(f"stage {row.position} has its response; its handler stays")
        _check_handler(context, row.position, person.id, person.name)
        records.set_stage(session, row.id, handler_id=person.id)
        return str(person.name)

    return _change(database, case_id, work)


def extend(
    database: Database, case_id: int, who: Principal, *, deadline: str, days: int,
    reason: str, now: dt.datetime | None = None,
) -> None:  # fmt: skip
    """Extend the current stage's ``deadline`` (acknowledgment or response) by ``days``
    working days for ``reason``; ``InvalidInput`` naming the field when the policy's
    rules refuse it (no extensions, past the cap, no reason)."""
    moment = clock.utc_moment(now)
    if deadline not in DEADLINES:
        raise InvalidInput(f"deadline: choose {' or '.join(DEADLINES)}",
                           [{"field": "deadline", "problem": "unknown"}])  # fmt: skip
    if not 1 <= days <= 366:
        raise InvalidInput("days: give a whole number of working days from 1 to 366",
                           [{"field": "days", "problem": "out of range"}])  # fmt: skip
    said = reason.strip()[:REASON_LENGTH]

    def work(session: Session, context: CaseContext) -> None:
        row = context.case.current
        clocks = context.clocks[context.case.stages.index(row)]
        if clocks.of(deadline) is None:
            raise InvalidInput(f"deadline: stage {row.position} promises no {deadline}")
        done = row.acknowledged_at if deadline == "acknowledgment" else row.responded_at
        if done is not None:
            raise Conflict(f"the {deadline} of stage {row.position} is done; nothing to extend")
        stage = context.stage_of(row)
        trial = [*row.extensions, records.ExtensionRecord(deadline, days, said, "", moment)]
        row.extensions = trial
        stage_clocks(context.section, stage, context.version, row)  # checks the rules
        records.add_extension(session, stage_row_id=row.id, deadline=deadline, days=days,
                              reason=said, granted_by=who.id, at=moment)  # fmt: skip

    _change(database, case_id, work)


def escalate(
    database: Database, case_id: int, who: Principal, *, reason: str = "",
    handler_id: int | None = None, now: dt.datetime | None = None,
) -> int:  # fmt: skip
    """Move the case to its next stage, received now; the new stage's position. Once the
    stage has responded any time; before that only as the customer's request, whose
    ``reason`` is required. ``handler_id`` assigns the new stage at once, checked as
    ``assign`` checks it. ``Conflict`` at the last stage."""
    moment = clock.utc_moment(now)
    said = reason.strip()[:REASON_LENGTH]

    def work(session: Session, context: CaseContext) -> int:
        row = context.case.current
        nxt = context.next_stage()
        if nxt is None:
            raise Conflict(
                f"stage {row.position} is the last stage of this complaint's path; close the "
                "complaint, and the customer may turn to the external body the policy names"
            )
        if row.responded_at is None and not said:
            raise InvalidInput(
                f"reason: stage {row.position} has no response yet, so it is escalated only "
                "at the customer's request; write what they asked",
                [{"field": "reason", "problem": "missing"}],
            )
        first = stage_clock(nxt, context.section.counting, _hours(context.version, nxt.clock),
                            received_at=moment)  # fmt: skip
        records.add_stage(session, case_id=case_id, position=row.position + 1, stage_id=nxt.id,
                          received_at=moment, reason=said or None, handler_id=None,
                          acknowledge_due_at=_due(first, "acknowledgment"),
                          respond_due_at=first.respond.ends_utc)  # fmt: skip
        if handler_id is not None:
            _assign_new(session, database, case_id, handler_id)
        return row.position + 1

    return _change(database, case_id, work)


def _assign_new(session: Session, database: Database, case_id: int, handler_id: int) -> None:
    case = records.load_case(session, case_id)
    assert case is not None
    context = context_of(database, case)
    person = accounts_store.user_by_id(session, handler_id)
    if person is None or not person.active:
        raise NotFound(f"handler: no active account has id {handler_id}")
    _check_handler(context, case.current.position, person.id, person.name)
    records.set_stage(session, case.current.id, handler_id=person.id)


def close(database: Database, case_id: int, who: Principal,
          now: dt.datetime | None = None) -> None:  # fmt: skip
    """Close the case (nothing more is due on it)."""
    moment = clock.utc_moment(now)
    _change(database, case_id, lambda s, _c: records.close_case(s, case_id, who.id, moment))
