"""A complaint stage's clocks: its acknowledgment and response deadlines, when to remind.

Each deadline is the deadline engine's (``charter.decisions.deadlines``) on the stage's
calendar, by the section's counting conventions merged with the stage's own. The
acknowledgment counts from the stage's receipt; the response from the receipt or, when
the stage says ``respond_from: acknowledgment``, from the acknowledgment, and until
there is one from the acknowledgment's deadline (the latest the response can be due).
Extensions are applied in the order they were granted, each checked by ``extend``.

A reminder is due at the opening of the last working day before a deadline's last day
(never at night or on a closed day), or at the anchor when that opening came before
it; an overdue notice is due the instant the deadline passes (docs/complaints.md,
"Reminders and overdue notices").

>>> import datetime as dt
>>> from charter.hours import OpeningHours
>>> from charter.policy.complaints import ComplaintStage
>>> desk = OpeningHours("Europe/London", {d: [("09:00", "17:00")]
...                     for d in ("mon", "tue", "wed", "thu", "fri")}, name="desk")
>>> stage = ComplaintStage.model_validate({"id": "s1", "name": "Stage 1", "owner_role": "agent",
...     "acknowledge_within": "2wd", "within": "5wd", "respond_from": "acknowledgment",
...     "clock": "desk"})
>>> monday = dt.datetime(2026, 6, 8, 10, 0, tzinfo=dt.UTC)
>>> clocks = stage_clock(stage, None, desk, received_at=monday)
>>> clocks.acknowledge.end_day, clocks.respond.end_day, clocks.respond_provisional
(datetime.date(2026, 6, 10), datetime.date(2026, 6, 17), True)
>>> reminder_at(clocks.acknowledge).isoformat()
'2026-06-09T08:00:00+00:00'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from charter.decisions.deadlines import Deadline, deadline, extend
from charter.decisions.working_days import WorkingDays
from charter.hours import OpeningHours
from charter.policy.complaints import ComplaintStage
from charter.policy.counting import Counting, merged

__all__ = ["DEADLINES", "Extension", "StageClock", "reminder_at", "stage_clock"]

DEADLINES = ("acknowledgment", "response")
_LOOK_BACK = 60  # days searched for the working day before a deadline's last day


@dataclass(frozen=True)
class Extension:
    """An extension granted to one of a stage's deadlines: ``acknowledgment`` or
    ``response``, by ``days`` working days, for ``reason``."""

    deadline: str
    days: int
    reason: str


@dataclass(frozen=True)
class StageClock:
    """A stage's deadlines: ``acknowledge`` (None when the stage promises none) and
    ``respond``; ``respond_provisional`` when the response counts from an
    acknowledgment not given yet, so it is counted from the acknowledgment's deadline."""

    counting: Counting
    acknowledge: Deadline | None
    respond: Deadline
    respond_provisional: bool = False

    def of(self, name: str) -> Deadline | None:
        """The deadline called ``name`` (``acknowledgment`` or ``response``)."""
        return self.acknowledge if name == "acknowledgment" else self.respond


def stage_clock(
    stage: ComplaintStage,
    section_counting: Counting | None,
    calendar: OpeningHours,
    *,
    received_at: dt.datetime,
    acknowledged_at: dt.datetime | None = None,
    extensions: Sequence[Extension] = (),
) -> StageClock:
    """The deadlines of ``stage`` received at ``received_at`` on ``calendar``.

    ``InvalidInput`` (from ``extend``) when an extension breaks the policy's rules.
    """
    counting = merged(section_counting, stage.counting)
    acknowledge = None
    if stage.acknowledge_within is not None:
        acknowledge = deadline(received_at, stage.acknowledge_within, calendar, counting)
        acknowledge = _extended(acknowledge, "acknowledgment", extensions, counting)
    provisional = False
    if stage.respond_from == "acknowledgment" and acknowledge is not None:
        if acknowledged_at is not None:
            anchor, name = acknowledged_at, "acknowledged"
        else:
            anchor, name, provisional = acknowledge.ends_utc, "acknowledgment due", True
        respond = deadline(anchor, stage.within, calendar, counting, anchor_name=name)
    else:
        respond = deadline(received_at, stage.within, calendar, counting)
    respond = _extended(respond, "response", extensions, counting)
    return StageClock(counting, acknowledge, respond, provisional)


def _extended(
    original: Deadline, name: str, extensions: Sequence[Extension], counting: Counting
) -> Deadline:
    result = original
    for granted in extensions:
        if granted.deadline == name:
            result = extend(result, f"{granted.days}wd", granted.reason, counting)
    return result


def reminder_at(due: Deadline) -> dt.datetime:
    """When the reminder of ``due`` is due (UTC): the opening of the last working day
    before its last day, or its anchor when that came first."""
    days = WorkingDays(due.calendar)
    day = due.end_day - dt.timedelta(days=1)
    for _ in range(_LOOK_BACK):
        if days.working(day):
            break
        day -= dt.timedelta(days=1)
    midnight = dt.datetime.combine(day, dt.time(), days.zone).astimezone(dt.UTC)
    opens = midnight if due.calendar.is_24x7 else due.calendar.next_open(midnight)
    return max(opens.astimezone(dt.UTC), due.anchor.astimezone(dt.UTC))
