"""The training pages of the signed-in person: ``GET /training`` and its forms, and the
quiz, one question at a time, at ``/training/quiz/{attempt_id}``.

``/training`` says which version the person must acknowledge and pass the quiz of,
why, by when and whether it is overdue; the changes that asked them again (each linked
to its clause in the handbook) or the "what changed" notice that only told them; the
onboarding checklist (sections to read, each with a "Mark as read" form); the
acknowledgment form, carrying the version's number and the hash of the text the page
was made from; the quiz button and the refresher questions due. Every form works
without JavaScript and carries the CSRF token; a refused one shows the page again with
the service's message.

A quiz question posts its answer; a right one goes on to the next question, a wrong
one shows "Not quite: the answer is X" with the clause's heading and text first. The
last answer shows the score, the pass mark and whether it passed, with "Try again".
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter import clock, figures
from charter.errors import Conflict, Forbidden, InvalidInput, NotFound
from charter.services.accounts import Principal
from charter.services.lifecycle import Version, operating_version
from charter.services.training import (
    Answered,
    Asked,
    answer,
    answer_refresher,
    attempt_of,
    checklist,
    mark_read,
    refreshers,
    standings,
    start_quiz,
)
from charter.services.training import acknowledge as acknowledge_version
from charter.store import Database
from charter.training.refresh import STEPS_DAYS
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages._training_view import (
    STATE_WORDS,
    reason_words,
    shown_changes,
    times_of,
    whole_number,
)
from charter.web.rendering import StaffUser, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
REFUSED = (Conflict, InvalidInput, NotFound)  # shown on the page, with the service's words
DONE = {"acknowledged": "Thank you: your acknowledgment is recorded.",
        "read": "Marked as read.", "right": "Right."}  # fmt: skip
HELPERS = {"figures": figures, "state_words": STATE_WORDS, "reason_words": reason_words}


@router.get("/training", response_class=HTMLResponse)
def training_page(
    request: Request, database: DatabaseDep, who: StaffUser, done: str = ""
) -> Response:
    """Where the signed-in person stands: what is asked, by when, what changed."""
    return training_view(request, database, who, notice=DONE.get(done, ""))


def training_view(
    request: Request, database: Database, who: Principal, *, notice: str = "",
    problem: str = "", feedback: Answered | None = None, asked: Asked | None = None,
    given: str = "", status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """The page, with a ``notice`` of what was done, the ``problem`` a form met, or the
    ``feedback`` on the answer ``given`` to the refresher question ``asked``."""
    moment = clock.now()
    found = standings(database, moment, [who.id])
    standing = found[0] if found else None
    required = standing.requirement if standing else None
    context: dict[str, Any] = {"notice": notice, "problem": problem, "feedback": feedback,
                               "feedback_asked": asked, "feedback_given": given,
                               "required": required, "told": None,
                               "first_gap": STEPS_DAYS[0], **HELPERS}  # fmt: skip
    if standing is None or required is None:
        return render(request, "training/training.html", context, user=who, status=status)
    policy = required.version.policy()
    live = operating_version(database, moment)
    context |= {
        "state": required.state(moment),
        "changes": shown_changes(required.concerning, policy),
        "times": times_of(policy),
        "checklist": checklist(database, who.id, moment),
        "refreshers": refreshers(database, who.id, moment),
        "training": (live.policy() if live is not None else policy).training,  # the quiz's
        "live": live,
        "handbook_of_required": _handbook(required.version.number, live),
    }
    if standing.notice is not None and live is not None:
        context["told"] = (live.number, shown_changes(standing.notice.changes, live.policy()))
    return render(request, "training/training.html", context, user=who, status=status)


def _handbook(number: int, live: Version | None) -> str:
    """Where version ``number`` reads in the handbook (the page of the version in force
    has no ``?version``, so its anchors are the ones people share)."""
    if live is not None and live.number == number:
        return "/handbook"
    return f"/handbook?version={number}"


@router.post("/training/acknowledge", response_class=HTMLResponse)
def acknowledge_page(
    request: Request, database: DatabaseDep, who: StaffUser, number: FormText = "",
    content_hash: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Acknowledge version ``number`` as the text of hash ``content_hash`` says."""
    check_csrf(request, csrf_token)
    try:
        acknowledge_version(database, who.id, whole_number("number", number), content_hash)
    except REFUSED as error:
        return training_view(request, database, who, problem=str(error), status=status_of(error))
    return RedirectResponse("/training?done=acknowledged", status_code=303)


@router.post("/training/read", response_class=HTMLResponse)
def read_page(
    request: Request, database: DatabaseDep, who: StaffUser, section: FormText = "",
    csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Mark a section of the onboarding checklist as read."""
    check_csrf(request, csrf_token)
    try:
        mark_read(database, who.id, section)
    except REFUSED as error:
        return training_view(request, database, who, problem=str(error), status=status_of(error))
    return RedirectResponse("/training?done=read", status_code=303)


@router.post("/training/refresher", response_class=HTMLResponse)
def refresher_page(
    request: Request, database: DatabaseDep, who: StaffUser, question: FormText = "",
    answer: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Answer a refresher question; a wrong answer shows the clause's text."""
    check_csrf(request, csrf_token)
    due = {asked.id: asked for asked in refreshers(database, who.id)}
    try:
        result = answer_refresher(database, who.id, question, answer)
    except (*REFUSED, Forbidden) as error:
        return training_view(request, database, who, problem=str(error), status=status_of(error))
    if result.correct:
        return RedirectResponse("/training?done=right", status_code=303)
    return training_view(request, database, who, feedback=result, asked=due.get(question),
                         given=answer)  # fmt: skip


@router.post("/training/quiz", response_class=HTMLResponse)
def start_quiz_page(
    request: Request, database: DatabaseDep, who: StaffUser, csrf_token: FormText = ""
) -> Response:
    """Start a new attempt at the quiz asked of the person, then show its first question."""
    check_csrf(request, csrf_token)
    try:
        attempt = start_quiz(database, who.id)
    except REFUSED as error:
        return training_view(request, database, who, problem=str(error), status=status_of(error))
    return RedirectResponse(f"/training/quiz/{attempt.id}", status_code=303)


@router.get("/training/quiz/{attempt_id}", response_class=HTMLResponse)
def quiz_page(
    request: Request, attempt_id: str, database: DatabaseDep, who: StaffUser, done: str = ""
) -> Response:
    """The attempt's next question, or its score when every question is answered."""
    return quiz_view(request, database, who, _attempt_id(attempt_id),
                     notice=DONE.get(done, ""))  # fmt: skip


@router.post("/training/quiz/{attempt_id}", response_class=HTMLResponse)
def answer_page(
    request: Request, attempt_id: str, database: DatabaseDep, who: StaffUser,
    question: FormText = "", answer_given: Annotated[str, Form(alias="answer")] = "",
    csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Answer the question: on to the next when right, the clause first when wrong."""
    check_csrf(request, csrf_token)
    number = _attempt_id(attempt_id)
    try:
        result = answer(database, who.id, number, question, answer_given)
    except InvalidInput as error:
        return quiz_view(request, database, who, number, problem=str(error), status=422)
    except Conflict as error:  # answered already (a resubmitted form), or finished
        return quiz_view(request, database, who, number, problem=str(error), status=409)
    if result.correct:
        return RedirectResponse(f"/training/quiz/{number}?done=right", status_code=303)
    return quiz_view(request, database, who, number, feedback=result, question=question,
                     given=answer_given)  # fmt: skip


def quiz_view(
    request: Request, database: Database, who: Principal, attempt_id: int, *,
    notice: str = "", problem: str = "", feedback: Answered | None = None, question: str = "",
    given: str = "", status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """The quiz page: feedback on the answer ``given`` to ``question``, then the next
    question or the score."""
    attempt = feedback.attempt if feedback and feedback.attempt else None
    attempt = attempt or attempt_of(database, who.id, attempt_id)
    by_id = {asked.id: asked for asked in attempt.questions}
    context = {"attempt": attempt, "notice": notice, "problem": problem, "feedback": feedback,
               "feedback_asked": by_id.get(question), "feedback_given": given,
               "asked": attempt.next, "position": len(attempt.answered) + 1, **HELPERS}  # fmt: skip
    return render(request, "training/quiz.html", context, user=who, status=status)


def _attempt_id(value: str) -> int:
    try:
        return whole_number("attempt", value)
    except InvalidInput:
        raise NotFound(f"no quiz {value[:20]!r}: quizzes are numbered") from None
