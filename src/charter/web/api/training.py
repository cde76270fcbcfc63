"""``/api/training``: what the policy asks of the caller, acknowledging a version, its
quiz and the refreshers (docs/training.md, docs/api.md). The managers' routes are in
``training_team``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from charter import clock
from charter.errors import NotFound
from charter.services import training
from charter.web.deps import CurrentUser, DatabaseDep
from charter.web.schemas.policies import ChangePublic
from charter.web.schemas.training import (
    AcknowledgmentCreate,
    AcknowledgmentPublic,
    AnswerCreate,
    AnsweredPublic,
    AttemptPublic,
    ChecklistItemPublic,
    ChecklistPublic,
    NoticePublic,
    QuestionPublic,
    ReadCreate,
    RefreshersPublic,
    StandingPublic,
)

router = APIRouter(tags=["training"])
AttemptId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The quiz attempt's id.")]

QUIZ: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such quiz of yours, or no version in force."},
    409: {"description": "The quiz is finished, or its version is no longer in force."},
    422: {"description": "The question is not in the quiz, or the answer is empty."},
}


@router.get("/training/me")
def read_standing(database: DatabaseDep, user: CurrentUser) -> StandingPublic:
    """What the policy asks of you now: the version, why, by when, how far you are, what
    changed, and your onboarding checklist."""
    found = training.standings(database, clock.now(), [user.id])
    if not found:
        raise NotFound(f"no active account {user.id}")
    return _standing(found[0], training.checklist(database, user.id))


def _standing(found: training.Standing, checklist: training.Checklist) -> StandingPublic:
    required, notice = found.requirement, found.notice
    told = None if notice is None else NoticePublic(changes=[_change(c) for c in notice.changes])
    return StandingPublic(
        version=required.version.number if required else None,
        content_hash=required.version.content_hash if required else None,
        reason=required.reason if required else None,
        deadline=required.deadline if required else None,
        state=checklist.state,
        acknowledged_at=required.acknowledged_at if required else None,
        passed_at=required.passed_at if required else None,
        concerning=[_change(c) for c in required.concerning] if required else [],
        changed_clauses=required.changed_clauses if required else [],
        notice=told,
        checklist=_checklist(checklist),
    )


@router.post(
    "/training/reads",
    responses={
        404: {"description": "No version is in force."},
        422: {"description": "The section is not on your checklist."},
    },
)
def mark_read(body: ReadCreate, database: DatabaseDep, user: CurrentUser) -> ChecklistPublic:
    """Tick a handbook section of your checklist as read (the first time stands); your
    checklist as it is then."""
    training.mark_read(database, user.id, body.section)
    return _checklist(training.checklist(database, user.id))


def _checklist(checklist: training.Checklist) -> ChecklistPublic:
    return ChecklistPublic(
        version=checklist.version_number,
        items=[ChecklistItemPublic(**asdict(item)) for item in checklist.items],
        done=checklist.done,
        deadline=checklist.deadline,
        state=checklist.state,
    )


def _change(change: Any) -> ChangePublic:
    return ChangePublic(**change.to_json())


@router.post(
    "/training/acknowledgments",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Acknowledged already; the first acknowledgment stands."},
        409: {"description": "Not the version in force, or a hash of another text."},
    },
)
def acknowledge(
    body: AcknowledgmentCreate, database: DatabaseDep, user: CurrentUser, response: Response
) -> AcknowledgmentPublic:
    """Acknowledge the version in force, as its text's hash says you read it: 201 when
    recorded now, 200 when you had already (the first stays)."""
    created = training.acknowledge(database, user.id, body.version, body.content_hash)
    if not created:
        response.status_code = status.HTTP_200_OK
    found = training.standings(database, clock.now(), [user.id])
    required = found[0].requirement if found else None
    at = required.acknowledged_at if required else None
    said = "recorded" if created else "already recorded; the first acknowledgment stands"
    return AcknowledgmentPublic(
        version=body.version,
        content_hash=body.content_hash,
        created=created,
        acknowledged_at=at,
        message=f"acknowledgment of version {body.version} {said}",
    )


def _question(asked: training.Asked) -> QuestionPublic:
    return QuestionPublic(
        id=asked.id,
        clause_id=asked.clause_id,
        prompt=asked.prompt,
        form=asked.form,
        options=list(asked.options),
        unit=asked.unit,
    )


def _attempt(attempt: training.Attempt) -> AttemptPublic:
    following = attempt.next
    return AttemptPublic(
        id=attempt.id,
        version=attempt.version_number,
        questions=[_question(q) for q in attempt.questions],
        answered=dict(attempt.answered),
        next=_question(following) if following is not None else None,
        pass_mark=attempt.pass_mark,
        finished=attempt.score is not None,
        score=attempt.score,
        passed=attempt.passed,
    )


def _answered(done: training.Answered) -> AnsweredPublic:
    return AnsweredPublic(
        correct=done.correct,
        answer=done.answer,
        clause_id=done.clause_id,
        clause_heading=done.clause_heading,
        clause_text=done.clause_text,
        attempt=_attempt(done.attempt) if done.attempt is not None else None,
    )


@router.post(
    "/training/quizzes",
    status_code=status.HTTP_201_CREATED,
    responses={
        404: {"description": "No version is in force."},
        409: {"description": "The version gives no questions."},
    },
)
def start_quiz(database: DatabaseDep, user: CurrentUser) -> AttemptPublic:
    """A new attempt at the quiz of the version asked of you (the changed clauses'
    questions first); the questions come without their answers."""
    return _attempt(training.start_quiz(database, user.id))


@router.get("/training/quizzes/{attempt_id}", responses=QUIZ)
def read_quiz(attempt_id: AttemptId, database: DatabaseDep, user: CurrentUser) -> AttemptPublic:
    """One of your quiz attempts as it stands."""
    return _attempt(training.attempt_of(database, user.id, attempt_id))


@router.post("/training/quizzes/{attempt_id}/answers", responses=QUIZ)
def answer_quiz(
    attempt_id: AttemptId, body: AnswerCreate, database: DatabaseDep, user: CurrentUser
) -> AnsweredPublic:
    """Answer one question of the attempt: right or not, the right answer, the clause's
    text when wrong, and the attempt (with its score and pass once the last is in)."""
    return _answered(training.answer(database, user.id, attempt_id, body.question, body.answer))


@router.get("/training/refreshers")
def read_refreshers(database: DatabaseDep, user: CurrentUser) -> RefreshersPublic:
    """The questions you got wrong that are due again now."""
    return RefreshersPublic(
        questions=[_question(q) for q in training.refreshers(database, user.id)]
    )


@router.post(
    "/training/refreshers/answers",
    responses={
        403: {"description": "That question is not due for you now."},
        404: {"description": "No version is in force."},
    },
)
def answer_refresher(
    body: AnswerCreate, database: DatabaseDep, user: CurrentUser
) -> AnsweredPublic:
    """Answer a refresher question due now; a right answer moves it to a longer step."""
    return _answered(training.answer_refresher(database, user.id, body.question, body.answer))
