"""``/api/complaints``: complaint cases, opened from tickets and handled stage by stage.

Staff list, open and act on cases; a refused action answers 409 with the reason (a
second handler who handled the previous stage, a stage already answered), a bad value
422 naming the field (docs/complaints.md, "Cases").
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from charter.services import complaints
from charter.services.complaint_views import (
    CasePage,
    DeadlineView,
    complaint_board,
    complaint_list,
    complaint_page,
)
from charter.web.deps import CurrentUser, DatabaseDep
from charter.web.schemas.complaints import (
    ComplaintCreate,
    ComplaintKpiPublic,
    ComplaintLinePublic,
    ComplaintListPublic,
    ComplaintPublic,
    DeadlinePublic,
    EscalationCreate,
    ExtensionCreate,
    ExtensionPublic,
    HandlerUpdate,
    StagePublic,
)

router = APIRouter(tags=["complaints"])
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The complaint's id.")]
_REFUSED: dict[int | str, dict[str, Any]] = {404: {"description": "No such case."},
            409: {"description": "The case's state refuses it; the body says why."}}  # fmt: skip


def _deadline(view: DeadlineView | None) -> DeadlinePublic | None:
    if view is None:
        return None
    return DeadlinePublic(name=view.name, ends_at=view.ends_local, state=view.state,
                          done_at=view.done_at, provisional=view.provisional,
                          steps=list(view.steps))  # fmt: skip


def _public(page: CasePage) -> ComplaintPublic:
    stages = [
        StagePublic(
            position=s.row.position, stage_id=s.row.stage_id, name=s.name,
            owner_role=s.owner_role, received_at=s.row.received_at,
            escalation_reason=s.row.escalation_reason, handler_id=s.row.handler_id,
            handler=s.row.handler, acknowledged_at=s.row.acknowledged_at,
            responded_at=s.row.responded_at,
            deadlines=[d for d in map(_deadline, s.deadlines) if d is not None],
            extensions=[ExtensionPublic(**vars(x)) for x in s.row.extensions],
        )
        for s in page.stages
    ]  # fmt: skip
    case = page.case
    return ComplaintPublic(id=case.id, ticket_id=case.ticket_id, ticket=case.ticket_ref,
                           state=case.state, received_at=case.received_at,
                           version=page.version_label, stage=case.stage,
                           next_due=_deadline(page.next_due), stages=stages)  # fmt: skip


@router.get("/complaints")
def list_complaints(
    database: DatabaseDep,
    _user: CurrentUser,
    state: Annotated[str, Query(description="open (default) or all")] = "open",
    stage: Annotated[str, Query(description="A stage id.")] = "",
    overdue: Annotated[bool, Query(description="Only current stages past a deadline.")] = False,
    month: Annotated[str, Query(description="With measure: the KPI's month, YYYY-MM.")] = "",
    measure: Annotated[
        str,
        Query(
            description="A KPI's count: acknowledged_within, "
            "acknowledged_late, answered_within, answered_late"
        ),
    ] = "",  # fmt: skip
) -> ComplaintListPublic:
    """The cases a filter picks: open ones by default; the same filters as /complaints."""
    asked = {"state": state, "stage": stage, "overdue": "1" if overdue else "",
             "month": month, "measure": measure}  # fmt: skip
    listing = complaint_list(database, asked)
    lines = [
        ComplaintLinePublic(id=line.case.id, ticket=line.case.ticket_ref, state=line.case.state,
                            stage=line.case.stage, stage_name=line.stage_name,
                            handler=line.case.current.handler, overdue=line.overdue,
                            next_due=_deadline(line.next_due))
        for line in listing.lines
    ]  # fmt: skip
    return ComplaintListPublic(total=len(lines), overdue=listing.overdue, complaints=lines)


@router.get("/complaints/kpis")
def complaint_kpis(database: DatabaseDep, _user: CurrentUser) -> list[ComplaintKpiPublic]:
    """Per month and stage (the last three months with complaints): how many were
    acknowledged and answered within the limit and late (a step not done counts as late
    once its deadline passed)."""
    board = complaint_board(database)
    if board is None:
        return []
    return [ComplaintKpiPublic(stage=line.stage_name, **vars(line.row)) for line in board.lines]


@router.post("/complaints", status_code=201, responses=_REFUSED)
def open_complaint(body: ComplaintCreate, database: DatabaseDep, user: CurrentUser
                   ) -> ComplaintPublic:  # fmt: skip
    """Open a case from a ticket by hand; 409 when the ticket has one already."""
    case_id = complaints.open_complaint(database, body.ticket, user, received_at=body.received_at)
    return _public(complaint_page(database, case_id))


@router.get("/complaints/{case_id}", responses=_REFUSED)
def get_complaint(case_id: CaseId, database: DatabaseDep, _user: CurrentUser) -> ComplaintPublic:
    """A case: each stage's deadlines with their steps, what is due next."""
    return _public(complaint_page(database, case_id))


@router.post("/complaints/{case_id}/acknowledgment", responses=_REFUSED)
def acknowledge(case_id: CaseId, database: DatabaseDep, user: CurrentUser) -> ComplaintPublic:
    """Acknowledge the current stage."""
    complaints.acknowledge(database, case_id, user)
    return _public(complaint_page(database, case_id))


@router.post("/complaints/{case_id}/response", responses=_REFUSED)
def respond(case_id: CaseId, database: DatabaseDep, user: CurrentUser) -> ComplaintPublic:
    """Record the current stage's response."""
    complaints.respond(database, case_id, user)
    return _public(complaint_page(database, case_id))


@router.put("/complaints/{case_id}/handler", responses=_REFUSED)
def assign(case_id: CaseId, body: HandlerUpdate, database: DatabaseDep, user: CurrentUser
           ) -> ComplaintPublic:  # fmt: skip
    """Make an account the current stage's handler; 409 when the stage needs someone
    other than the previous stage's handler and this is that person."""
    complaints.assign(database, case_id, body.handler_id, user)
    return _public(complaint_page(database, case_id))


@router.post("/complaints/{case_id}/extensions", status_code=201, responses=_REFUSED)
def extend(case_id: CaseId, body: ExtensionCreate, database: DatabaseDep, user: CurrentUser
           ) -> ComplaintPublic:  # fmt: skip
    """Extend a deadline of the current stage, as the policy allows."""
    complaints.extend(database, case_id, user, deadline=body.deadline, days=body.days,
                      reason=body.reason)  # fmt: skip
    return _public(complaint_page(database, case_id))


@router.post("/complaints/{case_id}/escalation", responses=_REFUSED)
def escalate(case_id: CaseId, body: EscalationCreate, database: DatabaseDep, user: CurrentUser
             ) -> ComplaintPublic:  # fmt: skip
    """Move the case to its next stage."""
    complaints.escalate(database, case_id, user, reason=body.reason, handler_id=body.handler_id)
    return _public(complaint_page(database, case_id))


@router.post("/complaints/{case_id}/closing", responses=_REFUSED)
def close(case_id: CaseId, database: DatabaseDep, user: CurrentUser) -> ComplaintPublic:
    """Close the case."""
    complaints.close(database, case_id, user)
    return _public(complaint_page(database, case_id))
