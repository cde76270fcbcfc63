"""The survey sent after a ticket is solved: which scale, how long after, how long the
link lasts, and the reasons a customer may give for a bad score."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from charter.policy._base import Model
from charter.policy.units import Duration, DurationField, Id

SurveyKind = Literal["csat", "nps", "ces"]
SURVEY_WORDS: dict[str, str] = {
    "csat": "how satisfied the customer is, 1 to 5 (CSAT)",
    "nps": "how likely the customer is to recommend us, 0 to 10 (NPS)",
    "ces": "how easy it was, 1 to 7 (customer effort, CES)",
}


class Surveys(Model):
    """One short survey per solved ticket (docs/feedback.md)."""

    id: Id = Field("surveys", description="Stable id of this section.")
    kind: SurveyKind = Field(
        description="csat: satisfaction 1-5; nps: how likely to recommend, 0-10; ces: how "
        "easy it was, 1-7."
    )
    after: DurationField = Field(
        Duration(seconds=3600),
        description="How long after the solve the survey goes (real time, e.g. 1h); it does "
        "not go when the ticket is reopened first.",
    )
    valid_for: DurationField = Field(
        Duration(seconds=14 * 86400),
        description="How long the survey's link works (real time, e.g. 14d).",
    )
    reasons: list[str] = Field(
        default_factory=lambda: [
            "It took too long",
            "My problem is not solved",
            "I was passed around",
            "The answer was unclear",
            "Staff were unhelpful",
        ],  # fmt: skip
        max_length=12,
        description="Reasons a customer may tick when their score is bad.",
    )

    @field_validator("after", "valid_for")
    @classmethod
    def _real_time(cls, value: Duration) -> Duration:
        if value.working_days or value.seconds <= 0:
            raise ValueError(f"{value} is not a length of real time; write e.g. 1h or 14d")
        return value

    @field_validator("reasons")
    @classmethod
    def _short_reasons(cls, value: list[str]) -> list[str]:
        for reason in value:
            if not reason.strip() or len(reason) > 80:
                raise ValueError(f"{reason[:90]!r} is not a reason of 1 to 80 characters")
        if len({r.casefold() for r in value}) != len(value):
            raise ValueError("a reason is listed twice")
        return value
