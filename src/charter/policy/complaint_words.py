"""The complaint procedure's conventions in words: for staff (the handbook) and customers.

One home for how each counting convention (:mod:`charter.policy.counting`) is said, so
the handbook and the public page cannot disagree. Staff read every convention in force
(``staff_counting``); customers read only where it differs from the default
(``customer_counting``), and a stage only where it differs from the section.

>>> from charter.policy.counting import Counting
>>> lines = staff_counting(Counting(cutoff="17:00"))
>>> len(lines), lines[2]
(5, 'A deadline ends at 23:59:59 local time on its last day.')
>>> customer_counting(Counting(ends_at="close_of_business"))
['A time limit ends when we close on its last day.']
>>> extension_sentence(Counting(extensions=True, extension_cap=10))
'We may extend by up to 10 working days and will tell you why.'
"""

from __future__ import annotations

from typing import Any

from charter.policy.complaints import Complaints, ComplaintStage, ComplaintTrack
from charter.policy.counting import Counting, merged
from charter.policy.units import Duration

EXTENSION_FIELDS = frozenset({"extensions", "extension_cap", "extension_reason"})
OTHER_COMPLAINTS = "All other complaints"


def track_words(track: ComplaintTrack) -> str:
    """What a track's complaints are called: ``Complaints about payment services`` (the
    name's first letter lowered unless it starts an abbreviation, as in ``EU``).

    >>> track_words(ComplaintTrack(id="t", name="Payment services"))
    'Complaints about payment services'
    """
    name = track.name.strip()
    lowered = name[:1].lower() + name[1:] if name[1:2].islower() else name
    return f"Complaints about {lowered}"


def track_takes(track: ComplaintTrack) -> str:
    """Which tickets a track takes, for staff: ``a ticket tagged x; a ticket in category Y``."""
    parts = [f"a ticket tagged {' or '.join(track.tags)}"] if track.tags else []
    if track.categories:
        parts.append(f"a ticket in category {' or '.join(track.categories)}")
    return "; ".join(parts) or "no ticket (it names no tag or category)"


def differing(counting: Counting, base: Counting | None = None) -> frozenset[str]:
    """The settings in which ``counting`` differs from ``base`` (default: the defaults)."""
    reference = base if base is not None else Counting()
    return frozenset(
        name
        for name in Counting.model_fields
        if getattr(counting, name) != getattr(reference, name)
    )


# For staff: every convention in force ---------------------------------------------------


def staff_counting(counting: Counting, only: frozenset[str] | None = None) -> list[str]:
    """Each convention of ``counting`` as a sentence for staff (``only``: these settings)."""
    wanted = only if only is not None else frozenset(Counting.model_fields)
    said = [
        (("anchor_day",), _staff_anchor(counting)),
        (("closed_day_receipt", "cutoff"), _staff_receipt(counting)),
        (("ends_at",), _staff_end(counting)),
        (("closed_day_end", "weeks_move"), _staff_moves(counting)),
        (tuple(EXTENSION_FIELDS), f"Extensions: {staff_extensions(counting)}."),
    ]
    return [sentence for names, sentence in said if wanted.intersection(names)]


def _staff_anchor(counting: Counting) -> str:
    if counting.anchor_day == "day_0":
        return (
            "The day of receipt (or of the acknowledgment) is day 0 and not counted; day 1 is "
            "the next working day."
        )
    return "The day of receipt (or of the acknowledgment) is day 1."


def _staff_receipt(counting: Counting) -> str:
    late = f", or after {counting.cutoff}," if counting.cutoff else ""
    if counting.closed_day_receipt == "next_working_day":
        return (
            f"A complaint received on a day the calendar is closed{late} counts from the next "
            "working day."
        )
    after = (
        f"; one received after {counting.cutoff} on a working day counts from the next working day"
        if counting.cutoff
        else ""
    )
    return f"A complaint received on a day the calendar is closed counts from that day{after}."


def _staff_end(counting: Counting) -> str:
    if counting.ends_at == "end_of_day":
        return "A deadline ends at 23:59:59 local time on its last day."
    return "A deadline ends at close of business on its last day (23:59:59 if closed that day)."


def _staff_moves(counting: Counting) -> str:
    days = (
        "moves to the next working day"
        if counting.closed_day_end == "next_working_day"
        else "stays on that day"
    )
    weeks = (
        "moves to the next working day too"
        if counting.weeks_move
        else "is calendar time and does not move"
    )
    return f"A limit in days that ends on a closed day {days}; a limit in weeks {weeks}."


def staff_extensions(counting: Counting) -> str:
    """Whether a deadline may be extended, by how much in all, and on what condition."""
    if not counting.extensions:
        return "not allowed"
    cap = (
        f"up to {_days(counting.extension_cap)} in all"
        if counting.extension_cap is not None
        else "with no cap"
    )
    reason = (
        "each with a written reason, which the customer is told"
        if counting.extension_reason
        else "no reason needed"
    )
    return f"allowed, {cap}, {reason}"


def staff_facts(
    owner: Any, field: str, value: Any, section: Complaints | None
) -> list[tuple[str, str]] | None:
    """The handbook's facts for one field of the complaints section or a stage; None for a
    field worded the usual way. ``section`` is the complaints section a stage belongs to."""
    if isinstance(owner, Complaints):
        if field == "counting":
            if not owner.stages:
                return []
            shown = frozenset(Counting.model_fields) - EXTENSION_FIELDS
            said = " ".join(staff_counting(merged(value, None), shown))
            return [("How days are counted", said)]
        if field == "opens_on":
            return _staff_opens_on(owner)
    if isinstance(owner, ComplaintStage):
        return _staff_stage_fact(owner, field, value, section)
    if isinstance(owner, ComplaintTrack):
        return _staff_track_fact(owner, field, section)
    return None


def _staff_track_fact(
    track: ComplaintTrack, field: str, section: Complaints | None
) -> list[tuple[str, str]] | None:
    if field == "tags":
        return [("Takes", f"{track_takes(track)} (the first track that matches)")]
    if field == "categories":
        stages = section.path(track.id) if section is not None else []
        return [("Stages", ", ".join(s.name for s in stages))] if stages else []
    return None


def _staff_opens_on(complaints: Complaints) -> list[tuple[str, str]]:
    parts = [f"a ticket tagged {' or '.join(complaints.opens_on.tags)}"] if (
        complaints.opens_on.tags) else []  # fmt: skip
    if complaints.opens_on.categories:
        parts.append(f"a ticket in category {' or '.join(complaints.opens_on.categories)}")
    return [("A case opens from", "; ".join([*parts, "or by hand"]))]


def _staff_stage_fact(
    stage: ComplaintStage, field: str, value: Any, section: Complaints | None
) -> list[tuple[str, str]] | None:
    clock = "around the clock (24x7)" if stage.clock == "24x7" else f"on calendar {stage.clock}"
    received = "receipt at this stage" if _later(stage, section) else "receipt"
    if field == "acknowledge_within":
        if value is None:
            return []
        return [("Acknowledge within", f"{_limit(value)} {clock}, counted from {received}")]
    if field == "within":
        anchor = "the acknowledgment" if stage.respond_from == "acknowledgment" else received
        return [("Respond within", f"{_limit(value)} {clock}, counted from {anchor}")]
    if field == "respond_from":
        return []  # said with the response limit
    if field == "different_handler":
        return [("Handler", _HANDLER)] if value else []
    if field == "track":
        return _staff_path(stage, section)
    if field == "counting":
        base = section.counting if section is not None else None
        counting = merged(base, value)
        facts = [("Extensions", staff_extensions(counting))]
        own = frozenset(value.model_fields_set) - EXTENSION_FIELDS if value is not None else None
        if own:
            facts.append(("Counted at this stage", " ".join(staff_counting(counting, own))))
        return facts
    return None


def _staff_path(stage: ComplaintStage, section: Complaints | None) -> list[tuple[str, str]]:
    if section is None or not section.tracks:
        return []
    track = section.track_of(stage)
    said = track_words(track) if track is not None else OTHER_COMPLAINTS
    path = section.path(stage.track)
    place = f"stage {path.index(stage) + 1} of {len(path)}" if len(path) > 1 else "its only stage"
    return [("Path", f"{said}: {place}")]


def _later(stage: ComplaintStage, section: Complaints | None) -> bool:
    """Whether ``stage`` comes after the first stage of its path."""
    if section is None:
        return False
    path = section.path(stage.track)
    return bool(path) and path[0] is not stage


_HANDLER = "someone other than the previous stage's handler; Charter refuses the same person"


def limit_words(value: Duration, *, business: bool) -> str:
    """A stage's time limit as the deadline engine counts it: ``10 working days``,
    ``8 weeks``, whole 24-hour days as calendar ``days`` (never business hours)."""
    if not value.weeks and not value.working_days and value.seconds % 86400 == 0:
        return value.words(business=False)
    return value.words(business=business)


def _limit(value: Duration) -> str:
    return limit_words(value, business=True)


def _days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


# For customers: only what differs from the default ---------------------------------------


def customer_counting(
    counting: Counting, base: Counting | None = None, *, zone: str | None = None
) -> list[str]:
    """The conventions of ``counting`` that differ from ``base`` (default: the defaults),
    as sentences for customers; extensions are said per stage (``extension_sentence``)."""
    changed = differing(counting, base) - EXTENSION_FIELDS
    said = []
    if "anchor_day" in changed:
        said.append(
            "The day we receive your complaint counts as the first day."
            if counting.anchor_day == "day_1"
            else "The day we receive your complaint is not counted; we count from the next day."
        )
    if changed & {"cutoff", "closed_day_receipt"}:
        said.append(_customer_receipt(counting, zone))
    if "ends_at" in changed:
        said.append(
            "A time limit ends when we close on its last day."
            if counting.ends_at == "close_of_business"
            else "A time limit ends at midnight at the end of its last day."
        )
    if "closed_day_end" in changed:
        said.append(_customer_move("days", counting.closed_day_end == "next_working_day"))
    if "weeks_move" in changed:
        said.append(_customer_move("weeks", counting.weeks_move))
    return said


def _customer_receipt(counting: Counting, zone: str | None) -> str:
    time = f"{counting.cutoff} ({zone} time)" if zone else f"{counting.cutoff}"
    if counting.closed_day_receipt == "next_working_day":
        if counting.cutoff:
            return (
                f"A complaint received after {time} or on a day we are closed counts from the "
                "next working day."
            )
        return "A complaint received on a day we are closed counts from the next working day."
    late = (
        f" One received after {time} counts from the next working day." if counting.cutoff else ""
    )
    return f"A complaint received on a day we are closed counts from that day.{late}"


def _customer_move(unit: str, moves: bool) -> str:
    where = "moves to our next working day" if moves else "stays on that day"
    return f"A time limit in {unit} that ends on a day we are closed {where}."


def extension_sentence(counting: Counting) -> str | None:
    """What a customer is told about extensions; None when there are none."""
    if not counting.extensions:
        return None
    by = f" by up to {_days(counting.extension_cap)}" if counting.extension_cap else ""
    tell = "will tell you why" if counting.extension_reason else "will tell you"
    return f"We may extend{by} and {tell}."
