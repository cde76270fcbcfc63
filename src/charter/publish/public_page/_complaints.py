"""The complaint procedure in plain words: each stage's limits, handler, counting, extensions.

Every sentence comes from the policy's typed values: the stage's acknowledgment and
response limits and what the response counts from, whether a different person handles
it, the counting conventions in force at the stage where they differ from the default
(worded by ``charter.policy.complaint_words``, the same home as the handbook's wording),
and the extensions the stage allows. With tracks, each path's stages are said under its
name ("Complaints about payment services: ..."), numbered within the path, and the
stages with no track under "All other complaints"; without tracks, as before.

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: Acme, mission: Delight}
... calendars: [{id: desk, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]}}]
... staff: {roles: [{id: agent, name: Agent}]}
... complaints:
...   how_to_complain: Tell us.
...   stages:
...     - {id: s1, name: Stage 1, owner_role: agent, acknowledge_within: 5wd, within: 10wd,
...        respond_from: acknowledgment, clock: desk}
... ''').policy
>>> print(complaints_view(policy).stages[0].text)
Stage 1: we acknowledge your complaint within 5 working days and reply within 10 working days of acknowledging it. Handled by: Agent.
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass

from charter import figures
from charter.policy import complaint_words as words
from charter.policy.calendar import ALWAYS
from charter.policy.complaints import Complaints, ComplaintStage
from charter.policy.counting import merged
from charter.policy.schema import Policy
from charter.publish.public_page._sections import Item


@dataclass(frozen=True)
class StageResult:
    """One stage's complaints of a month: how many acknowledged (answered) within the
    limit, out of those done or due (``charter.store.complaint_kpis``)."""

    stage_id: str
    acknowledged_within: int
    acknowledged: int
    answered_within: int
    answered: int


@dataclass(frozen=True)
class ComplaintResults:
    """Last month's complaint results per stage, for a policy that publishes them."""

    month: str  # "November 2026"
    stages: tuple[StageResult, ...]


@dataclass(frozen=True)
class ComplaintsView:
    """How to complain, each stage as one cited item, and the body to turn to after."""

    anchor: str
    how: str
    stages: list[Item]
    external_body: str | None
    in_order: bool = True  # one path, steps in order; with tracks, alternatives (a list)
    results_month: str | None = None  # shown when the policy publishes its results
    results: tuple[str, ...] = ()


def complaints_view(
    policy: Policy, results: ComplaintResults | None = None
) -> ComplaintsView | None:
    """The complaints section of the public page; None when the policy has none. With
    ``results`` and a policy that publishes them, one sentence per stage counted."""
    complaints = policy.complaints
    if complaints is None:
        return None
    shown = results if results is not None and complaints.publish_results else None
    roles = {r.id: r.name for r in policy.staff.roles} if policy.staff else {}
    stages = [
        Item(f"{complaints.id}.stages.{stage.id}",
             " ".join(_stage(policy, complaints, stage, (number, len(path)), roles, label)))
        for label, path in _paths(complaints)
        for number, stage in enumerate(path, start=1)
    ]  # fmt: skip
    return ComplaintsView(
        complaints.id, complaints.how_to_complain, stages, complaints.external_body,
        not complaints.tracks, shown.month if shown else None,
        tuple(_result(complaints, r) for r in shown.stages) if shown else (),
    )  # fmt: skip


def _result(complaints: Complaints, result: StageResult) -> str:
    """``Front line: 9 of 10 acknowledged within its limit (90 %); 8 of 10 answered
    within it (80 %).``"""
    stage = next((s for s in complaints.stages if s.id == result.stage_id), None)
    name = stage.name if stage is not None else result.stage_id
    parts = []
    if result.acknowledged:
        parts.append(f"{_of(result.acknowledged_within, result.acknowledged)} acknowledged "
                     "within its limit")  # fmt: skip
    if result.answered:
        parts.append(f"{_of(result.answered_within, result.answered)} answered within "
                     f"{'it' if parts else 'its limit'}")  # fmt: skip
    return f"{name}: {'; '.join(parts) or 'none due yet'}."


def _of(within: int, counted: int) -> str:
    share = figures.share(within / counted)
    return f"{figures.count(within)} of {figures.count(counted)} ({share})"


def _paths(complaints: Complaints) -> list[tuple[str | None, list[ComplaintStage]]]:
    """Each path with what it is called: the tracks in order, then every other complaint;
    one unnamed path when there are no tracks."""
    if not complaints.tracks:
        return [(None, complaints.stages)]
    named: list[tuple[str | None, list[ComplaintStage]]] = [
        (words.track_words(track), complaints.path(track.id)) for track in complaints.tracks
    ]
    return [*named, (words.OTHER_COMPLAINTS, complaints.path(None))]


def _zone(policy: Policy, clock: str) -> str | None:
    calendar = policy.calendar(clock) if clock != ALWAYS else None
    return calendar.timezone if calendar else None


def _stage(
    policy: Policy,
    complaints: Complaints,
    stage: ComplaintStage,
    place: tuple[int, int],
    roles: dict[str, str],
    label: str | None,
) -> list[str]:
    number, length = place
    sentences = [f"{_heading(stage, number, label, length == 1)}: {_limits(stage)}"]
    if stage.attainment is not None and stage.attainment < 1:
        sentences.append(f"We keep to this for {figures.share(stage.attainment)} of complaints.")
    if stage.different_handler:
        sentences.append(
            f"A different person from the one who handled stage {number - 1} reviews it."
        )
    counting = merged(complaints.counting, stage.counting)
    sentences += words.customer_counting(counting, zone=_zone(policy, stage.clock))
    extension = words.extension_sentence(counting)
    if extension:
        sentences.append(extension)
    who = roles.get(stage.owner_role)
    if who:
        sentences.append(f"Handled by: {who}.")
    return sentences


def _heading(stage: ComplaintStage, number: int, label: str | None, single: bool) -> str:
    """``Stage 1`` when the stage is called that, else ``Stage 1, Front line``; on a path
    with a name, the name first (``All other complaints, stage 1, Front line``), or the
    name alone for a path of one stage (``Complaints about payment services``)."""
    plain = f"Stage {number}"
    said = plain if stage.name.strip().lower() == plain.lower() else f"{plain}, {stage.name}"
    if label is None:
        return said
    return label if single else f"{label}, s{said[1:]}"


def _limits(stage: ComplaintStage) -> str:
    business = stage.clock != ALWAYS
    reply = words.limit_words(stage.within, business=business)
    if stage.acknowledge_within is None:
        return f"we reply within {reply} of receiving your complaint."
    ack = words.limit_words(stage.acknowledge_within, business=business)
    counted = "acknowledging it" if stage.respond_from == "acknowledgment" else "receiving it"
    return f"we acknowledge your complaint within {ack} and reply within {reply} of {counted}."
