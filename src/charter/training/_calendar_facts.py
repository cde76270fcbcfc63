"""The facts of a contact desk's calendar a quiz asks about: its hours on each kind of
weekday and on its dated exceptions (private to ``charter.training.quiz``, through
``_facts``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from charter.policy.calendar import WEEKDAYS, Calendar
from charter.policy.schema import Policy
from charter.training._distractors import CLOSED, Draft, Hours

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def opening_hours(policy: Policy) -> Iterator[Draft]:
    """Each contact desk's hours on each kind of weekday, and on its dated exceptions:
    special days, closed dates and public holidays in the years the policy's dates name."""
    desks = _desks(policy)
    years = _years(policy)
    closed = {calendar.id: _closed(calendar, years) for calendar, _ in desks}
    for calendar, label in desks:
        others = [c for c, _ in desks if c.id != calendar.id]
        near = [
            *(weekday_hours(c, day) for day in range(7) for c in [calendar, *others]),
            CLOSED,
            *(Hours.of(hours) for hours in calendar.special.values()),
        ]
        seen: list[Hours] = []
        for day in range(7):
            answer = weekday_hours(calendar, day)
            if answer in seen or not calendar.weekly:
                continue
            seen.append(answer)
            ahead = [weekday_hours(c, day) for c in others]
            yield Draft(
                f"calendars.{calendar.id}", f"hours.{WEEKDAYS[day]}", "opening hours",
                f"What are the opening hours of {label} on {DAY_NAMES[day]}s "
                f"({calendar.timezone} time)?", "opening hours", answer, (*ahead, *near),
            )  # fmt: skip
        for date in sorted({*calendar.special, *closed[calendar.id]}):
            answer = hours_on(calendar, date, closed[calendar.id])
            usual = weekday_hours(calendar, date.weekday())
            if answer == usual:
                continue  # nothing to learn: the day is as any other
            ahead = [usual, CLOSED, *(hours_on(c, date, closed[c.id]) for c in others)]
            yield Draft(
                f"calendars.{calendar.id}", f"date.{date.isoformat()}", "holidays",
                f"What are the opening hours of {label} on {day_words(date)} "
                f"({calendar.timezone} time)?", "opening hours", answer, (*ahead, *near),
            )  # fmt: skip


def _desks(policy: Policy) -> list[tuple[Calendar, str]]:
    """The calendars contact points keep, each with the words naming its desk."""
    found = []
    for calendar in policy.calendars:
        points = [
            point.name or f"{point.channel} {point.address}"
            for point in policy.contact_points
            if point.calendar == calendar.id
        ]
        if points:
            found.append((calendar, f"{calendar.name or calendar.id} ({', '.join(points)})"))
    return found


def _years(policy: Policy) -> list[int]:
    """The years whose public holidays are asked about: those the calendars' own dates
    name, else the next review's; a quiz never reads today's date."""
    dates = [d for c in policy.calendars for d in (*c.holidays.dates, *c.special)]
    if dates:
        return sorted({d.year for d in dates})
    return [policy.review.next_review.year] if policy.review else []


def _closed(calendar: Calendar, years: list[int]) -> frozenset[dt.date]:
    found = set(calendar.holidays.dates)
    for year in years:
        found.update(calendar.holidays.closed_dates(year, year))
    return frozenset(found)


def hours_on(calendar: Calendar, day: dt.date, closed: frozenset[dt.date]) -> Hours:
    """A date's hours: its special hours, else closed on a holiday, else its weekday's."""
    if day in calendar.special:
        return Hours.of(calendar.special[day])
    return CLOSED if day in closed else weekday_hours(calendar, day.weekday())


def weekday_hours(calendar: Calendar, day: int) -> Hours:
    return Hours.of(calendar.weekly.get(WEEKDAYS[day], []))


def day_words(day: dt.date) -> str:
    """``Friday 25 December 2026``."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"
