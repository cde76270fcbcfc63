"""Complaint handling: how customers complain, the stages, their limits and handlers.

Each stage may promise an acknowledgment (``acknowledge_within``) and a response
(``within``), the response counted from receipt or from the acknowledgment
(``respond_from``), in working days on a named calendar or in calendar weeks. A stage
may require a handler other than the previous stage's (``different_handler``), as the
UK Housing Ombudsman's code asks of stage 2. ``opens_on`` names the tags and
categories that open a complaint case from a ticket. The counting conventions
(``counting:``) are in :mod:`charter.policy.counting`; ``docs/complaints.md`` lists them.

>>> stage = ComplaintStage.model_validate({"id": "s1", "name": "Stage 1", "owner_role": "agent",
...     "acknowledge_within": "5wd", "within": "10wd", "respond_from": "acknowledgment",
...     "clock": "office"})
>>> str(stage.acknowledge_within), stage.respond_from, stage.different_handler
('5wd', 'acknowledgment', False)
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from charter.policy._base import Model
from charter.policy.counting import Counting
from charter.policy.units import DurationField, Id, ShareField


class ComplaintStage(Model):
    """One stage of the complaint procedure."""

    id: Id = Field(description="Stable id of the stage.")
    name: str = Field(min_length=1, description="Name of the stage (Front line, Review).")
    owner_role: Id = Field(description="Id of the staff role that owns the stage.")
    acknowledge_within: DurationField | None = Field(
        None,
        description=(
            "Time limit to acknowledge the complaint at this stage, counted from its "
            "receipt (5wd); none: no acknowledgment is promised."
        ),
    )
    within: DurationField = Field(
        description="Time limit for the stage's response (10wd, or 8w in calendar weeks)."
    )
    respond_from: Literal["receipt", "acknowledgment"] = Field(
        "receipt",
        description=(
            "What the response limit counts from: the stage's receipt (the default) or its "
            "acknowledgment (the Housing Ombudsman's code counts stage 1's 10 working days "
            "from the acknowledgment)."
        ),
    )
    different_handler: bool = Field(
        False,
        description=(
            "Whether this stage must be handled by someone other than the previous stage's "
            "handler; Charter refuses the same person. Not by default."
        ),
    )
    clock: Id = Field(description="Calendar the time limits run on, or 24x7.")
    attainment: ShareField | None = Field(
        None, description="Share of complaints promised within the limit (85%)."
    )
    counting: Counting | None = Field(
        None, description="Counting conventions this stage sets over the section's own."
    )

    @model_validator(mode="after")
    def _anchor_exists(self) -> ComplaintStage:
        if self.respond_from == "acknowledgment" and self.acknowledge_within is None:
            raise ValueError(
                "respond_from is acknowledgment but acknowledge_within is missing; "
                "add e.g. acknowledge_within: 5wd, or count from receipt"
            )
        return self


class ComplaintTriggers(Model):
    """Which tickets open a complaint case by themselves."""

    tags: list[str] = Field(
        default_factory=list, description="A ticket with any of these tags opens a complaint."
    )
    categories: list[str] = Field(
        default_factory=list,
        description="A ticket in any of these categories opens a complaint.",
    )


class Complaints(Model):
    """How customers complain and how each complaint is handled."""

    id: Id = Field("complaints", description="Stable id of this section.")
    how_to_complain: str = Field(min_length=1, description="What a customer does to complain.")
    stages: list[ComplaintStage] = Field(
        default_factory=list, description="Stages in order of escalation."
    )
    opens_on: ComplaintTriggers = Field(
        default_factory=ComplaintTriggers,
        description=(
            "Tags and categories that open a complaint case from a ticket; a manager can "
            "open one by hand too. None by default."
        ),
    )
    external_body: str | None = Field(
        None, description="Independent body a customer can turn to after the last stage."
    )
    counting: Counting | None = Field(
        None, description="How the stages' deadlines are counted (defaults: docs/complaints.md)."
    )

    @model_validator(mode="after")
    def _first_stage_has_no_previous(self) -> Complaints:
        if self.stages and self.stages[0].different_handler:
            raise ValueError(
                f"stage '{self.stages[0].id}' is the first stage, so there is no previous "
                "handler to differ from; set different_handler on a later stage"
            )
        return self

