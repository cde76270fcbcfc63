"""The values the public charter page is made of; ``charter.publish.public_page`` builds them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter.publish.public_page import _jsonld as jsonld
from charter.publish.public_page import _time as t
from charter.publish.public_page._complaints import ComplaintsView
from charter.publish.public_page._hours import Availability, DateHours, DayHours
from charter.publish.public_page._sections import DeliveryRow, Item, ReturnsView


@dataclass(frozen=True)
class Attainment:
    """Met and breached tickets of one channel, rule and metric in a month."""

    channel: str | None
    rule_id: str | None
    metric: str
    met: int
    breached: int


@dataclass(frozen=True)
class PromiseStart:
    """The local date from which a promise (a rule's target for a metric, as the live
    version words it) has governed the tickets created, when that is after the first
    version took effect: it was added or changed then."""

    rule_id: str
    metric: str
    since: dt.date


@dataclass(frozen=True)
class MonthResults:
    """Last full calendar month's attainment; ``first_day`` names the month. ``rows``
    count each promise over the tickets it governed; ``starts`` say which promises
    began governing tickets after the month began."""

    first_day: dt.date
    rows: tuple[Attainment, ...] = ()
    starts: tuple[PromiseStart, ...] = ()

    @property
    def label(self) -> str:
        return t.month_words(self.first_day)

    @property
    def end_day(self) -> dt.date:
        """The first day of the month after."""
        return (self.first_day + dt.timedelta(days=31)).replace(day=1)

    def counts(self, metric: str, rule_id: str, channel: str | None = None) -> tuple[int, int]:
        """(met, breached) of a rule's metric, for one channel or all of them."""
        rows = [r for r in self.rows if r.metric == metric and r.rule_id == rule_id
                and (channel is None or r.channel == channel)]  # fmt: skip
        return sum(r.met for r in rows), sum(r.breached for r in rows)

    def since(self, metric: str, rule_id: str) -> dt.date | None:
        """When the promise began governing tickets, if after the month began."""
        found = [s.since for s in self.starts if s.metric == metric and s.rule_id == rule_id]
        return found[0] if found and found[0] > self.first_day else None

    def period(self, since: dt.date | None) -> str:
        """``In October 2026``, or ``From 6 to 31 October 2026`` for a promise that
        began governing tickets on 6 October."""
        if since is None:
            return f"In {self.label}"
        last = self.end_day - dt.timedelta(days=1)
        return f"From {since.day} to {last.day} {self.label}"


@dataclass(frozen=True)
class Edition:
    """Which published version the page shows."""

    version: int
    published_at: dt.datetime | None
    content_hash: str


@dataclass(frozen=True)
class ContactView:
    anchor: str
    name: str
    channel: str
    address: str
    href: str | None
    languages: list[str]
    timezone: str | None
    calendar_name: str | None
    always_open: bool
    availability: Availability | None
    usual: list[DayHours]
    coming: list[DateHours]


@dataclass(frozen=True)
class PromiseLine:
    metric: str
    text: str
    result: str | None
    kept: bool | None


@dataclass(frozen=True)
class PromiseGroup:
    anchor: str
    heading: str
    lines: list[PromiseLine]


@dataclass(frozen=True)
class ChannelAnswer:
    channel: str
    label: str
    rule_anchor: str | None
    promise: str | None
    expect_by: str | None
    result: str | None


@dataclass(frozen=True)
class PublicPage:
    """Everything the public charter template shows."""

    lang: str
    prose_lang: str | None  # "en" when the generated sentences differ from the page language
    name: str
    mission: str
    website: str | None
    vision: str | None
    reasons: list[Item]
    why_customers_love_us: str | None
    principles: list[tuple[str, str, str]]  # anchor, title, text
    now: dt.datetime
    as_of: str  # the moment the page describes, in words on the business's clock
    business_tz: str
    visitor_tz: str | None
    tz_note: str | None
    on_your_clock: bool  # the visitor's zone is known and differs from the business's
    contacts: list[ContactView]
    answers: list[ChannelAnswer]
    promises: list[PromiseGroup]
    month: str | None
    delivery: list[DeliveryRow]
    returns: ReturnsView | None
    complaints: ComplaintsView | None
    feedback: list[str]
    json_ld: dict[str, object]
    edition: Edition | None = None

    @property
    def json_ld_text(self) -> str:
        """The JSON-LD, safe to place inside a script element."""
        return jsonld.script_text(self.json_ld)
