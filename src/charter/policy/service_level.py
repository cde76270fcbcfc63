"""Service levels (ordered rules → targets per metric) and the escalation chain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

from charter.policy._base import Model
from charter.policy.units import Duration, DurationField, Id, ShareField

Priority = Literal["low", "normal", "high", "urgent"]
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
Status = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
Metric = Literal[
    "first_response",
    "next_response",
    "periodic_update",
    "requester_wait",
    "agent_work",
    "resolution",
]
METRICS: tuple[Metric, ...] = get_args(Metric)
METRIC_WORDS: dict[str, str] = {
    "first_response": "first response",
    "next_response": "next response",
    "periodic_update": "periodic update",
    "requester_wait": "requester wait",
    "agent_work": "agent work time",
    "resolution": "resolution",
}
DEFAULT_PAUSES: dict[Metric, list[Status]] = {
    "first_response": [],
    "next_response": [],
    "periodic_update": [],
    "requester_wait": ["pending"],
    "agent_work": ["pending", "on_hold"],
    "resolution": ["pending", "on_hold"],
}


class Conditions(Model):
    """When a rule applies. Every listed condition must hold; an empty rule matches all."""

    channel: list[Id] | None = Field(None, description="Any of these channels.")
    priority: list[Priority] | None = Field(None, description="Any of these priorities.")
    segment: list[str] | None = Field(None, description="Any of these customer segments.")
    category: list[str] | None = Field(None, description="Any of these categories.")
    tags: list[str] | None = Field(None, description="Tickets carrying any of these tags.")

    def is_catch_all(self) -> bool:
        return all(value is None for value in self.model_dump().values())


class Target(Model):
    """A promise for one metric: how long, on which clock, for what share of tickets."""

    within: DurationField = Field(description="The promised time, e.g. 4h, 90m, 10wd.")
    clock: Id = Field(description="Id of the calendar the time runs on, or 24x7.")
    attainment: ShareField | None = Field(
        None,
        description="Share of tickets promised within the time (85%); absent means every ticket.",
    )
    paused: list[Status] | None = Field(
        None,
        exclude_if=lambda value: value is None,
        description="Statuses that stop this target's clock, overriding service_levels.pauses "
        "for this rule's metric ([] never pauses: an outage's clock); absent means those.",
    )


class Rule(Model):
    """An ordered service-level rule; the first rule whose conditions match applies."""

    id: Id = Field(description="Stable id of the rule, cited on every ticket it governs.")
    name: str | None = Field(None, description="Short description of the rule.")
    when: Conditions = Field(default_factory=Conditions, description="Conditions to match.")
    targets: dict[Metric, Target] = Field(
        min_length=1, description="Targets per metric (first_response, resolution, ...)."
    )


class ServiceLevels(Model):
    """Response and resolution promises, evaluated first match wins."""

    id: Id = Field("service_levels", description="Stable id of this section.")
    pauses: dict[Metric, list[Status]] = Field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_PAUSES.items()},
        description="Statuses that stop each metric's clock; defaults: resolution and "
        "agent_work pause in pending and on_hold, requester_wait in pending.",
    )
    rules: list[Rule] = Field(default_factory=list, description="The ordered rules.")

    def pause_statuses(self, metric: Metric, target: Target | None = None) -> list[Status]:
        """The statuses that stop ``metric``'s clock: ``target.paused`` when the target
        names its own, else the policy's pauses for the metric, else the defaults."""
        if target is not None and target.paused is not None:
            return target.paused
        return self.pauses.get(metric, DEFAULT_PAUSES[metric])


_THRESHOLD = re.compile(
    r"^\s*breach\s*(?:\+\s*(?P<offset>.+))?$|^\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*$"
)
THRESHOLD_HINT = 'write "75%" (of the target), "breach" or "breach + 2h"'


@dataclass(frozen=True)
class Threshold:
    """When an escalation level is due: a fraction of the target plus an offset."""

    fraction: float
    offset: Duration = Duration()

    def __str__(self) -> str:
        if self.fraction != 1:
            return f"{self.fraction * 100:g}%"
        return f"breach + {self.offset}" if self.offset != Duration() else "breach"


def _threshold_before(value: Any) -> Any:
    if isinstance(value, Threshold):
        return value
    match = _THRESHOLD.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not an escalation threshold; {THRESHOLD_HINT}")
    if match.group("pct"):
        pct = float(match.group("pct"))
        if pct <= 0:
            raise ValueError(f"{value!r} must be above 0%; {THRESHOLD_HINT}")
        return Threshold(fraction=pct / 100)
    offset = match.group("offset")
    return Threshold(fraction=1.0, offset=Duration.parse(offset) if offset else Duration())


ThresholdField = Annotated[
    Threshold,
    BeforeValidator(_threshold_before),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["75%", "breach", "breach + 2h"]}),
]


class Action(Model):
    """What an escalation level does besides notifying."""

    raise_priority: bool = Field(False, description="Raise the ticket's priority one step.")
    reassign_to: str | None = Field(None, description="Team the ticket is reassigned to.")


class EscalationLevel(Model):
    """One level of the escalation chain for a metric."""

    id: Id = Field(description="Stable id of the level.")
    metric: Metric = Field(description="The metric whose clock this level watches.")
    level: int = Field(ge=1, le=9, description="Position in the chain, 1 first.")
    at: ThresholdField = Field(description='When it is due: "75%", "breach", "breach + 2h".')
    notify: list[str] = Field(min_length=1, description="Role ids or e-mail addresses to notify.")
    action: Action | None = Field(None, description="What else happens.")
    quiet_outside: Id | None = Field(
        None,
        exclude_if=lambda value: value is None,
        description="Id of a calendar: the level is delivered only while it is open; what "
        "falls due outside its hours waits for its next opening. Absent: delivered when due.",
    )
