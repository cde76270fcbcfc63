"""Opening-hours calendars and contact points as written in the policy."""

from __future__ import annotations

import datetime as dt
import difflib
import warnings
import zoneinfo
from functools import cache
from typing import Literal

from pydantic import Field, field_validator, model_validator

from charter.policy._base import Model
from charter.policy.holiday_codes import country_codes
from charter.policy.holiday_codes import subdivisions as declared_subdivisions
from charter.policy.links import ContactAddress
from charter.policy.units import Id, IntervalField

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS = "24x7"


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def suggest(word: str, choices: list[str] | frozenset[str]) -> str:
    """``", did you mean 'X'?"`` for the closest choice, or ``""``."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f", did you mean {close[0]!r}?" if close else ""


class HolidaySource(Model):
    """Days the calendar is closed: a country's public holidays plus explicit dates."""

    country: str | None = Field(
        None, description="ISO 3166 country code whose public holidays close the calendar (GB)."
    )
    subdivision: str | None = Field(
        None, description="Subdivision of the country (ENG for England, NY for New York)."
    )
    dates: list[dt.date] = Field(
        default_factory=list, description="Further local dates closed all day."
    )

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is None:
            return value
        known = country_codes()
        if value.upper() not in known:
            raise ValueError(
                f"{value!r} is not a country the holidays package knows"
                f"{suggest(value, list(known))}"
                "; use an ISO 3166 alpha-2 code such as GB, US, AU, IN"
            )
        return value.upper()

    @model_validator(mode="after")
    def _known_subdivision(self) -> HolidaySource:
        if self.subdivision is None:
            return self
        if self.country is None:
            raise ValueError("a subdivision needs a country; add country: (e.g. GB)")
        subdivisions = list(declared_subdivisions(self.country))
        if self.subdivision not in subdivisions:
            raise ValueError(
                f"{self.subdivision!r} is not a subdivision of {self.country}"
                f"{suggest(self.subdivision, subdivisions)}; use one of: {', '.join(subdivisions)}"
            )
        return self

    def closed_dates(self, first_year: int, last_year: int) -> list[dt.date]:
        """Every closed local date from ``first_year`` to ``last_year`` inclusive."""
        dates = {d for d in self.dates if first_year <= d.year <= last_year}
        if self.country:
            import holidays  # here, not at the top: checking a policy does not need it

            years = range(first_year, last_year + 1)
            with warnings.catch_warnings():
                # Some countries' holidays are known only for some years; outside
                # them the package warns and returns none, which is all we can say.
                warnings.simplefilter("ignore", UserWarning)
                public = holidays.country_holidays(
                    self.country, subdiv=self.subdivision, years=years
                )
                dates.update(public.keys())
        return sorted(dates)


class Calendar(Model):
    """Named opening hours: the clock that service-level targets run on."""

    id: Id = Field(description="Stable id, used by contact points and targets as their clock.")
    name: str | None = Field(None, description="Name shown to customers and staff.")
    timezone: str = Field(description="IANA timezone of the wall-clock hours (Europe/London).")
    weekly: dict[Weekday, list[IntervalField]] = Field(
        default_factory=dict,
        description='Opening intervals per weekday (mon..sun), e.g. ["09:00-17:30"]; '
        "a missing day is closed; 24:00 is a valid end; an end before the start runs "
        "past midnight.",
    )
    holidays: HolidaySource = Field(
        default_factory=HolidaySource, description="Public holidays and closed dates."
    )
    special: dict[dt.date, list[IntervalField]] = Field(
        default_factory=dict,
        description="Dates with their own hours (2026-12-24: [09:00-12:00]); [] closes the day.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in _zones():
            raise ValueError(
                f"{value!r} is not an IANA timezone{suggest(value, _zones())}"
                "; write a name such as Europe/London or America/New_York"
            )
        return value


def day_seconds(intervals: list[tuple[str, str]]) -> int:
    """Seconds of opening in a day's intervals; an end before the start runs overnight.

    >>> day_seconds([("09:00", "17:30")]), day_seconds([("22:00", "02:00")])
    (30600, 14400)
    """
    total = 0
    for start, end in intervals:
        length = _minutes(end) - _minutes(start)
        total += (length if length > 0 else length + 24 * 60) * 60
    return total


def _minutes(clock_time: str) -> int:
    hours, minutes = clock_time.split(":")
    return int(hours) * 60 + int(minutes)


Channel = Id


class ContactPoint(Model):
    """A way customers reach the business, with the hours it is staffed."""

    id: Id = Field(description="Stable id of the contact point.")
    channel: Channel = Field(description="Ticket channel it feeds: email, phone, chat, ...")
    name: str | None = Field(None, description="Name shown to customers (Customer care line).")
    address: ContactAddress = Field(
        min_length=1,
        description="E-mail address, phone number or web address (https:// or http://).",
    )
    languages: list[str] = Field(
        default_factory=list, description="Languages served, as BCP 47 tags (en, fr)."
    )
    calendar: Id | None = Field(
        None, description=f"Id of the calendar of its opening hours, or {ALWAYS}."
    )
