"""Complaint handling: how customers complain, the stages, their limits and handlers.

Each stage may promise an acknowledgment (``acknowledge_within``) and a response
(``within``), the response counted from receipt or from the acknowledgment
(``respond_from``), in working days on a named calendar or in calendar weeks. A stage
may require a handler other than the previous stage's (``different_handler``), as the
UK Housing Ombudsman's code asks of stage 2. ``opens_on`` names the tags and
categories that open a complaint case from a ticket. ``tracks`` are alternative paths:
a case follows the stages of the first track its ticket's tags or category match, in
the order written, else the stages with no track (FCA DISP's 15 business days for a
payment services complaint, 8 weeks for every other). The counting conventions
(``counting:``) are in :mod:`charter.policy.counting`; ``docs/complaints.md`` lists them.

>>> stage = ComplaintStage.model_validate({"id": "s1", "name": "Stage 1", "owner_role": "agent",
...     "acknowledge_within": "5wd", "within": "10wd", "respond_from": "acknowledgment",
...     "clock": "office"})
>>> str(stage.acknowledge_within), stage.respond_from, stage.different_handler
('5wd', 'acknowledgment', False)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

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
    track: Id | None = Field(
        None,
        description=(
            "Id of the track (complaints.tracks) whose path this stage is on; none: the "
            "path of every complaint no track takes."
        ),
    )
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


class ComplaintTrack(Model):
    """An alternative path: which complaints take it; its stages name it in ``track``."""

    id: Id = Field(description="Stable id of the track.")
    name: str = Field(
        min_length=1, description="What the complaints on this track are about (Payment services)."
    )
    tags: list[str] = Field(
        default_factory=list, description="A complaint whose ticket has any of these tags."
    )
    categories: list[str] = Field(
        default_factory=list, description="A complaint whose ticket is in any of these categories."
    )

    def takes(self, tags: Sequence[str], category: str | None) -> bool:
        """Whether a ticket with ``tags`` in ``category`` is on this track (as ``opens_on``
        matches: any tag, or the category, exactly)."""
        return category in self.categories or bool(set(self.tags).intersection(tags))


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
    tracks: list[ComplaintTrack] = Field(
        default_factory=list,
        description=(
            "Alternative paths through the stages: a complaint follows the stages of the "
            "first track its ticket matches, else the stages with no track. None by default."
        ),
    )
    external_body: str | None = Field(
        None, description="Independent body a customer can turn to after the last stage."
    )
    publish_results: bool = Field(
        False,
        description=(
            "Whether the public page shows last month's results: per stage, how many "
            "complaints were acknowledged and answered within its limits (the Housing "
            "Ombudsman asks landlords to publish them). No by default."
        ),
    )
    counting: Counting | None = Field(
        None, description="How the stages' deadlines are counted (defaults: docs/complaints.md)."
    )

    def path(self, track: str | None) -> list[ComplaintStage]:
        """The stages of ``track`` (None: the stages with no track), in the order written."""
        return [s for s in self.stages if s.track == track]

    def path_for(self, tags: Sequence[str], category: str | None) -> list[ComplaintStage]:
        """The stages a complaint from a ticket with ``tags`` in ``category`` follows.

        >>> section = Complaints.model_validate({"how_to_complain": "Tell us.",
        ...     "tracks": [{"id": "pay", "name": "Payment services", "tags": ["pay"]}],
        ...     "stages": [{"id": "a", "name": "A", "owner_role": "r", "within": "15bd",
        ...                 "clock": "c", "track": "pay"},
        ...                {"id": "b", "name": "B", "owner_role": "r", "within": "8w",
        ...                 "clock": "c"}]})
        >>> [s.id for s in section.path_for(["pay"], None)], section.path_for([], "x")[0].id
        (['a'], 'b')
        """
        track = next((t for t in self.tracks if t.takes(tags, category)), None)
        return self.path(track.id if track is not None else None)

    def path_of(self, stage_id: str) -> list[ComplaintStage]:
        """The path the stage ``stage_id`` is on (a case's path, from its first stage)."""
        found = next((s for s in self.stages if s.id == stage_id), None)
        return self.path(found.track) if found is not None else []

    def opens_path(self, stage: ComplaintStage) -> bool:
        """Whether ``stage`` is the first stage of its path (where complaints arrive)."""
        return self.path(stage.track)[:1] == [stage]

    def track_of(self, stage: ComplaintStage) -> ComplaintTrack | None:
        """The track ``stage`` is on; None for the path of every other complaint."""
        return next((t for t in self.tracks if t.id == stage.track), None)

    @model_validator(mode="after")
    def _paths_are_whole(self) -> Complaints:
        problems = _track_problems(self)
        if problems:
            raise ValidationError.from_exception_data("Complaints", problems)
        return self


def _problem(loc: tuple[str | int, ...], value: Any, message: str) -> InitErrorDetails:
    # Raised from the section's validator with the field's own path, so the policy's
    # diagnostics point at the line of the stage or track at fault.
    error = PydanticCustomError("value_error", "Value error, {message}", {"message": message})
    return {"type": error, "loc": loc, "input": value}


def _track_problems(section: Complaints) -> list[InitErrorDetails]:
    problems = _track_id_problems(section)
    known = {t.id for t in section.tracks}
    unknown = [
        _problem(("stages", i, "track"), stage.track, _unknown_track(stage.track, known))
        for i, stage in enumerate(section.stages)
        if stage.track is not None and stage.track not in known
    ]
    problems += unknown
    if section.tracks and section.stages and not section.path(None) and not unknown:
        problems.append(_problem(("stages",), None,
                                 "every stage is on a track, so a complaint no track takes "
                                 "has no path; leave track: off the stages every other "
                                 "complaint follows"))  # fmt: skip
    problems += [
        _problem(("stages", i, "different_handler"), True,
                 f"stage '{stage.id}' is the first stage of its path, so there is no "
                 "previous handler to differ from; set different_handler on a later stage")
        for i, stage in enumerate(section.stages)
        if stage.different_handler and section.opens_path(stage)
    ]  # fmt: skip
    return problems


def _track_id_problems(section: Complaints) -> list[InitErrorDetails]:
    problems = []
    seen: set[str] = set()
    for i, track in enumerate(section.tracks):
        if track.id in seen:
            problems.append(_problem(("tracks", i, "id"), track.id,
                                     f"track id '{track.id}' is used twice; give each track "
                                     "its own id"))  # fmt: skip
        elif not section.path(track.id):
            problems.append(_problem(("tracks", i, "id"), track.id,
                                     f"no stage is on track '{track.id}'; add track: "
                                     f"{track.id} to its stages, or remove the track"))  # fmt: skip
        seen.add(track.id)
    return problems


def _unknown_track(name: str, known: set[str]) -> str:
    if not known:
        return f"no track has the id '{name}'; define it under complaints.tracks, or remove track:"
    return (
        f"no track has the id '{name}'; use one of complaints.tracks "
        f"({', '.join(sorted(known))}), or remove track:"
    )
