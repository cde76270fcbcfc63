"""The working days of a calendar, by local date, as the hours engine counts them: a
working day is a local date on which the calendar opens (after its holidays and special
days); on the 24x7 clock every day is one. Deadlines and delivery promises count their
days with it, so the two never disagree on what a working day is.

>>> from charter.hours import OpeningHours
>>> office = OpeningHours("Europe/London", {d: [("09:00", "17:00")]
...                       for d in ("mon", "tue", "wed", "thu", "fri")})
>>> days = WorkingDays(office)
>>> days.working(dt.date(2026, 12, 5)), days.later(dt.date(2026, 12, 4), 1)  # Sat; Fri + 1
(False, datetime.date(2026, 12, 7))
>>> days.between(dt.date(2026, 12, 4), dt.date(2026, 12, 8))  # Mon and Tue
2
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from charter.hours import OpeningHours

__all__ = ["WorkingDays"]


class WorkingDays:
    """The working days of ``calendar``, by local date."""

    def __init__(self, calendar: OpeningHours) -> None:
        self.calendar = calendar
        self.timezone = calendar.timezone
        self.zone = zoneinfo.ZoneInfo(calendar.timezone)

    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), self.zone)

    def working(self, day: dt.date) -> bool:
        """Whether the calendar opens on ``day``."""
        if self.calendar.is_24x7:
            return True
        opens = self.calendar.next_open(self._midnight(day).astimezone(dt.UTC))
        return opens.astimezone(self.zone).date() == day

    def after(self, day: dt.date) -> dt.date:
        """The next working day after ``day``."""
        following = self._midnight(day + dt.timedelta(days=1)).astimezone(dt.UTC)
        if self.calendar.is_24x7:
            return day + dt.timedelta(days=1)
        return self.calendar.next_open(following).astimezone(self.zone).date()

    def later(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself for 0), by the engine."""
        if count == 0:
            return day
        if self.calendar.is_24x7:
            return day + dt.timedelta(days=count)
        opens = self.calendar.next_open(self._midnight(day).astimezone(dt.UTC))
        # From a closed day the first working day after it is the first counted.
        due = self.calendar.add_working_days(opens, count if self.working(day) else count - 1)
        # The due instant is that day's close; a close at 24:00 belongs to the day before.
        return (due - dt.timedelta(microseconds=1)).astimezone(self.zone).date()

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not
        after ``start``)."""
        count, day = 0, start
        while day < end:
            day = self.after(day)
            count += day <= end
        return count

    def close(self, day: dt.date) -> dt.datetime:
        """The closing time of working day ``day``, local."""
        opens = self.calendar.next_open(self._midnight(day).astimezone(dt.UTC))
        return self.calendar.add_working_days(opens, 0).astimezone(self.zone)
