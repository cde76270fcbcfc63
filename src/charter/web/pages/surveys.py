"""The survey after a solve: ``GET /s/{token}`` and ``POST /s/{token}``, no sign-in.

The page works without JavaScript and on a phone: the scale's question, a radio
button per score, the reasons (always there, under "if your score is low, why?"; a
stylesheet folds them away until a low score is chosen where the browser can), and
an optional comment. A link answers once: opened again it says "You already
answered — thank you"; an expired link is a polite 410, one that is not ours a polite
404. The pages are never cached or indexed; the app's referrer policy (same-origin)
keeps the link, which is the key, from other sites.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from charter.errors import InvalidInput, TooManyRequests
from charter.services.surveys import (
    MAX_COMMENT,
    SurveyPage,
    answer_survey,
    asking_organisation,
    open_survey,
)
from charter.web.deps import DatabaseDep, SettingsDep
from charter.web.rendering import render

router = APIRouter(include_in_schema=False)
PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
STATUS = {"open": 200, "thanks": 200, "answered": 200, "expired": 410, "unknown": 404}
MAX_TOKEN = 200  # a real link's token is about 40 characters


@router.get("/s/{token}", response_class=HTMLResponse)
async def survey(request: Request, token: str, database: DatabaseDep,
                 settings: SettingsDep) -> Response:  # fmt: skip
    """The survey a link opens: the form, or why there is none."""
    page = await run_in_threadpool(open_survey, database, settings, token[:MAX_TOKEN])
    return _page(request, page, STATUS[page.state], await _organisation(database))


@router.post("/s/{token}", response_class=HTMLResponse)
async def answer(
    request: Request,
    token: str,
    database: DatabaseDep,
    settings: SettingsDep,
    score: Annotated[str | None, Form(max_length=10)] = None,
    comment: Annotated[str | None, Form(max_length=MAX_COMMENT * 5)] = None,
    reasons: Annotated[list[str] | None, Form(max_length=20)] = None,
) -> Response:
    """A customer's answer: thanks, or the form again saying what to change."""
    address = request.client.host if request.client else "unknown"
    try:
        page = await run_in_threadpool(
            lambda: answer_survey(database, settings, token=token[:MAX_TOKEN], score=score,
                                  comment=comment, reasons=reasons or [], address=address)
        )  # fmt: skip
    except TooManyRequests as error:
        headers = {**PRIVATE, "Retry-After": str(error.retry_after)}
        context = {"page": SurveyPage("limited"), "problem": str(error),
                   "organisation": await _organisation(database)}  # fmt: skip
        return render(request, "public/survey.html", context, status=429, headers=headers)
    except InvalidInput as error:
        shown = await run_in_threadpool(open_survey, database, settings, token[:MAX_TOKEN])
        context = {"page": shown, "problem": str(error), "given": _given(score, comment,
                   reasons or []),
                   "organisation": await _organisation(database)}  # fmt: skip
        return render(request, "public/survey.html", context, status=422, headers=PRIVATE)
    # A second use of the link is refused politely: 409 says so to a script, the page
    # to a person.
    status = 409 if page.state == "answered" else STATUS[page.state]
    return _page(request, page, status, await _organisation(database))


async def _organisation(database: DatabaseDep) -> str:
    return await run_in_threadpool(asking_organisation, database)


def _page(request: Request, page: SurveyPage, status: int, organisation: str) -> Response:
    context = {"page": page, "problem": page.problem, "given": _given(None, None, []),
               "organisation": organisation}  # fmt: skip
    return render(request, "public/survey.html", context, status=status, headers=PRIVATE)


def _given(score: str | None, comment: str | None, reasons: list[str]) -> dict[str, object]:
    """What the customer sent, to fill the form in again after a problem."""
    return {"score": (score or "").strip(), "comment": comment or "", "reasons": reasons}
