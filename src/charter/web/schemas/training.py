"""Schemas of training: a person's standing and checklist, acknowledging, quizzes and
refreshers, the managers' results and a training profile (docs/training.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from charter.web.schemas.policies import ChangePublic

PRINTABLE = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL refuses NUL)
ANSWER_LENGTH = 500
QUESTION_LENGTH = 200
TEAM_LENGTH = 100
ROLE_LENGTH = 80
CHANNEL_LENGTH = 40
CHANNELS = 20
EARLIEST_START = dt.date(1970, 1, 1)
LATEST_START = dt.date(2100, 12, 31)

Channel = Annotated[str, Field(min_length=1, max_length=CHANNEL_LENGTH, pattern=PRINTABLE)]


class ChecklistItemPublic(BaseModel):
    kind: str = Field(description="read | acknowledge | quiz")
    label: str
    clause_id: str | None = Field(description="The handbook section to read (a read item).")
    done: bool
    done_at: dt.datetime | None


class ChecklistPublic(BaseModel):
    version: int | None = Field(description="The version the checklist is for.")
    items: list[ChecklistItemPublic]
    done: int = Field(description="How many items are done.")
    deadline: dt.datetime | None
    state: str = Field(description="done | due | overdue | none")


class NoticePublic(BaseModel):
    changes: list[ChangePublic] = Field(
        description="What the version in force changed; it did not ask you again."
    )


class StandingPublic(BaseModel):
    """What the policy asks of the caller now."""

    version: int | None = Field(description="The version to acknowledge and pass the quiz of.")
    content_hash: str | None = Field(description="Its text's hash: send it to acknowledge.")
    reason: str | None = Field(description="first version | changed | joined")
    deadline: dt.datetime | None = Field(description="Null when the policy sets none.")
    state: str = Field(description="done | due | overdue | none (no version in force)")
    acknowledged_at: dt.datetime | None
    passed_at: dt.datetime | None
    concerning: list[ChangePublic] = Field(description="The changes that asked you again.")
    changed_clauses: list[str] = Field(description="Their clauses; the quiz asks these first.")
    notice: NoticePublic | None = Field(
        description="The version in force only told you what changed; your acknowledgment stands."
    )
    checklist: ChecklistPublic


class ReadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section: str = Field(
        min_length=1,
        max_length=QUESTION_LENGTH,
        pattern=PRINTABLE,
        description="A handbook section on your checklist (its clause id, e.g. returns).",
    )


class AcknowledgmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31 - 1, description="The version's number.")
    content_hash: str = Field(
        min_length=1,
        max_length=128,
        pattern=PRINTABLE,
        description="The hash of the text you read (GET /api/training/me).",
    )


class AcknowledgmentPublic(BaseModel):
    version: int
    content_hash: str
    created: bool = Field(description="true: recorded now (201); false: already (200).")
    acknowledged_at: dt.datetime | None = Field(description="When it was first recorded.")
    message: str


class QuestionPublic(BaseModel):
    """A question without its answer."""

    id: str
    clause_id: str = Field(description="The clause it asks about (handbook#<clause_id>).")
    prompt: str
    form: str = Field(description="choice (pick an option) | number (type a number)")
    options: list[str]
    unit: str | None = Field(description="The unit of a number's answer, or of the options.")


class AttemptPublic(BaseModel):
    id: int
    version: int
    questions: list[QuestionPublic]
    answered: dict[str, bool] = Field(description="Question id -> answered right.")
    next: QuestionPublic | None = Field(description="The first question not yet answered.")
    pass_mark: float = Field(description="The share of right answers that passes.")
    finished: bool
    score: float | None = Field(description="The share answered right, once finished.")
    passed: bool | None


class AnswerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        min_length=1,
        max_length=QUESTION_LENGTH,
        pattern=PRINTABLE,
        description="The question's id.",
    )
    answer: str = Field(
        min_length=1,
        max_length=ANSWER_LENGTH,
        pattern=PRINTABLE,
        description="One of the options, or a number (a trailing unit word is fine).",
    )


class AnsweredPublic(BaseModel):
    correct: bool
    answer: str = Field(description="The right answer.")
    clause_id: str
    clause_heading: str
    clause_text: str | None = Field(description="The clause's text, when the answer was wrong.")
    attempt: AttemptPublic | None = Field(
        description="The quiz as it stands (null for a refresher)."
    )


class RefreshersPublic(BaseModel):
    questions: list[QuestionPublic] = Field(description="Questions you got wrong, due again.")


class PersonPublic(BaseModel):
    user_id: int
    name: str
    email: str
    team: str
    role: str
    version: int | None
    reason: str
    deadline: dt.datetime | None
    acknowledged_at: dt.datetime | None
    passed_at: dt.datetime | None
    attempts: int = Field(description="Finished quiz attempts.")
    best_score: float | None
    state: str
    sections_read: int = Field(description="Of the checklist's handbook sections, read.")
    sections: int = Field(description="The handbook sections on their checklist.")


class ClausePublic(BaseModel):
    clause_id: str
    heading: str
    people: int = Field(description="People who answered a question on it.")
    people_wrong: int = Field(description="Of them, those who answered one wrong.")
    answers: int
    wrong: int
    share_wrong: float | None = Field(description="people_wrong / people.")


class TeamPublic(BaseModel):
    team: str
    people: int
    done: int
    overdue: int
    completion: float | None = Field(description="done / people.")


class ResultsPublic(BaseModel):
    people: list[PersonPublic]
    clauses: list[ClausePublic]
    teams: list[TeamPublic]


class TrainingProfileUpdate(BaseModel):
    """Every field is written; null (or an empty list) clears it."""

    model_config = ConfigDict(extra="forbid")

    policy_role: str | None = Field(
        max_length=ROLE_LENGTH,
        pattern=PRINTABLE,
        description="A staff role of the policy in force (its id).",
    )
    channels: list[Channel] = Field(
        max_length=CHANNELS, description="The channels answered; empty: all of them."
    )
    team: str | None = Field(max_length=TEAM_LENGTH, pattern=PRINTABLE)
    manager_id: int | None = Field(ge=1, le=2**31 - 1, description="The manager's account id.")
    started_on: dt.date | None = Field(
        ge=EARLIEST_START,
        le=LATEST_START,
        description="A new joiner's start date: their deadline counts from it.",
    )


class TrainingProfilePublic(BaseModel):
    user_id: int
    policy_role: str | None
    channels: list[str]
    team: str | None
    manager_id: int | None
    started_on: dt.date | None
