"""The public charter page as a view model: built from a ``Policy``, a moment and a timezone.

Everything on the page comes from the policy's typed values: contact points with
their hours on the business's clock and the visitor's, whether each is open now
(``charter.hours``), the promises in plain words, when to expect an answer to a
message written now, delivery, returns, complaints, feedback, last month's results
(each promise counted over the tickets it governed; one that began after the month
reads "New since 6 December; first results in January.") and the schema.org JSON-LD.
``public_page`` imports no web or database framework, so the static-site and PDF
exports build the same page.

For "expect an answer by", each channel takes the rule that governs a ticket of
that channel with ``normal`` priority and no segment, category or tags: the first
rule whose conditions such a ticket meets, as the SLA engine chooses it.

>>> import datetime as dt
>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: Acme, mission: Delight, language: en-GB}
... calendars: [{id: desk, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]}}]
... contact_points: [{id: mail, channel: email, address: help@acme.example, calendar: desk}]
... service_levels:
...   rules: [{id: all, targets: {first_response: {within: 4h, clock: desk}}}]
... ''').policy
>>> page = public_page(policy, dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC))
>>> page.lang, page.answers[0].promise
('en-GB', 'We reply to every e-mail within 4 working hours.')
>>> page.answers[0].expect_by
'If you write to us now, expect a reply by today at 13:00 (Europe/London time).'
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

import polars as pl

from charter.errors import CalendarError, UsageError
from charter.hours import OpeningHours
from charter.policy.calendar import ALWAYS, Calendar, ContactPoint
from charter.policy.clock import calendar_hours, opening_hours
from charter.policy.links import http_link_problem
from charter.policy.schema import Policy
from charter.policy.service_level import METRICS, Metric, Rule, Target
from charter.policy.units import Duration
from charter.publish.public_page import _hours as hours_view
from charter.publish.public_page import _jsonld as jsonld
from charter.publish.public_page import _languages as languages
from charter.publish.public_page import _time as t
from charter.publish.public_page import _words as words
from charter.publish.public_page._complaints import (
    ComplaintResults,
    StageResult,
    complaints_view,
)
from charter.publish.public_page._model import (
    Attainment,
    ChannelAnswer,
    ContactView,
    Edition,
    MonthResults,
    PromiseGroup,
    PromiseLine,
    PromiseStart,
    PublicPage,
)
from charter.publish.public_page._sections import (
    Item,
    delivery_rows,
    feedback,
    returns_view,
)
from charter.sla.rules import rule_expr

__all__ = [
    "Attainment", "ComplaintResults", "Edition", "MonthResults", "PromiseStart", "PublicPage",
    "StageResult", "public_page",
]  # fmt: skip

DEFAULT_PRIORITY = "normal"
HOLIDAYS_AHEAD = dt.timedelta(days=366)
Schedules = dict[str, hours_view.Schedule]


def public_page(
    policy: Policy,
    now: dt.datetime,
    *,
    visitor_tz: str | None = None,
    results: MonthResults | None = None,
    edition: Edition | None = None,
    complaint_results: ComplaintResults | None = None,
) -> PublicPage:
    """The page for ``policy`` at ``now`` (aware), for a visitor in ``visitor_tz``.

    A ``visitor_tz`` that is not an IANA zone is ignored and ``tz_note`` says so.
    """
    if now.tzinfo is None:
        raise UsageError(f"now={now.isoformat()} has no timezone; give an aware instant")
    visitor, note = t.visitor_zone(visitor_tz)
    years = range(now.year - 1, now.year + 2)
    schedules = _schedules(policy, years)
    org, vision = policy.organisation, policy.vision
    return PublicPage(
        lang=org.language,
        prose_lang=None if org.language.lower().startswith("en") else "en",
        name=org.name,
        mission=org.mission,
        website=org.website,
        vision=vision.statement if vision else None,
        reasons=[Item(f"{vision.id}.reasons.{r.id}", r.text) for r in vision.reasons]
        if vision else [],
        why_customers_love_us=vision.why_customers_love_us if vision else None,
        principles=[(f"principles.{p.id}", p.title, p.text) for p in policy.principles],
        now=now,
        as_of=_as_of(now, page_timezone(policy)),
        business_tz=page_timezone(policy),
        visitor_tz=visitor.key if visitor else None,
        tz_note=note,
        on_your_clock=visitor is not None and visitor.key != page_timezone(policy),
        contacts=[_contact(policy, c, schedules, now, visitor) for c in policy.contact_points],
        answers=_answers(policy, schedules, now, visitor, results),
        promises=_promises(policy, results),
        month=results.label if results else None,
        delivery=delivery_rows(policy),
        returns=returns_view(policy),
        complaints=complaints_view(policy, complaint_results),
        feedback=feedback(policy),
        json_ld=jsonld.organisation(policy, _closed_ahead(schedules, now), now.date()),
        edition=edition,
    )  # fmt: skip


def _as_of(now: dt.datetime, timezone: str) -> str:
    local = now.astimezone(zoneinfo.ZoneInfo(timezone))
    return f"{t.date_words(local.date())} at {local:%H:%M} ({timezone} time)"


def _schedules(policy: Policy, years: range) -> Schedules:
    return {c.id: _schedule(c.model_dump_json(), years.start, years.stop) for c in policy.calendars}


@lru_cache(maxsize=64)
def _schedule(calendar_json: str, first_year: int, end_year: int) -> hours_view.Schedule:
    """One calendar's schedule, kept: expanding holidays and compiling hours is the slow
    part of the page, and a calendar's text and years say all it depends on."""
    calendar = Calendar.model_validate_json(calendar_json)
    years = range(first_year, end_year)
    closed = calendar.holidays.closed_dates(first_year, end_year - 1)
    return hours_view.Schedule(
        calendar,
        frozenset(d for d in closed if d not in calendar.special),
        calendar_hours(calendar, years=years),
    )


def _closed_ahead(schedules: Schedules, now: dt.datetime) -> dict[str, list[dt.date]]:
    first = now.date()
    last = first + HOLIDAYS_AHEAD
    return {key: sorted(d for d in s.closed if first <= d <= last) for key, s in schedules.items()}


def visitor_view(tz: str | None) -> tuple[str | None, bool]:
    """The zone the page shows for ``?tz=`` (its IANA name, or None) and whether the page
    notes that ``tz`` was not used: two values of ``tz`` with the same answer give the
    same page (``europe/paris`` is ``Europe/Paris``; every unknown zone is alike)."""
    zone = t.canonical_zone(tz)
    return zone, zone is None and bool(tz)


def _contact(
    policy: Policy, point: ContactPoint, schedules: Schedules, now: dt.datetime,
    visitor: zoneinfo.ZoneInfo | None,
) -> ContactView:  # fmt: skip
    schedule = schedules.get(point.calendar or "")
    always = point.calendar == ALWAYS
    availability, coming = None, []
    if schedule is not None:
        other = visitor if visitor is not None and visitor.key != schedule.zone.key else None
        availability = hours_view.availability(schedule, now, other)
        coming = hours_view.coming_days(schedule, now.astimezone(schedule.zone).date(), other)
    elif always:
        availability = hours_view.Availability(True, "Open now: open 24 hours a day, every day.")
    return ContactView(
        anchor=f"contact_points.{point.id}",
        name=point.name or words.channel_label(point.channel),
        channel=words.channel_label(point.channel),
        address=point.address,
        href=_href(point.address),
        languages=languages.names(point.languages),
        timezone=schedule.calendar.timezone if schedule else None,
        calendar_name=(schedule.calendar.name or schedule.calendar.id) if schedule else None,
        always_open=always,
        availability=availability,
        usual=hours_view.usual_week(schedule.calendar) if schedule else [],
        coming=coming,
    )


def _href(address: str) -> str | None:
    kind = jsonld.address_kind(address)
    if kind == "email":
        return "mailto:" + address.strip().removeprefix("mailto:")
    if kind == "telephone":
        return "tel:" + "".join(c for c in address if c.isdigit() or c == "+")
    if kind == "url" and http_link_problem(address.strip()) is None:
        return address.strip()
    return None


def default_rules(policy: Policy, channels: list[str]) -> dict[str, Rule | None]:
    """The rule governing a ``normal`` ticket with no segment, category or tags, per channel."""
    rules = policy.service_levels.rules
    if not rules or not channels:
        return dict.fromkeys(channels)
    tickets = pl.DataFrame(
        {"channel": channels, "priority": [DEFAULT_PRIORITY] * len(channels),
         "segment": [None] * len(channels), "category": [None] * len(channels),
         "tags": [[] for _ in channels]},
        schema={"channel": pl.String, "priority": pl.String, "segment": pl.String,
                "category": pl.String, "tags": pl.List(pl.String)},
    )  # fmt: skip
    # with_columns, not select: a lone catch-all rule is a literal, one value for all rows
    chosen = tickets.with_columns(rule_expr(rules)).get_column("rule_id").to_list()
    by_id = {rule.id: rule for rule in rules}
    return {c: by_id.get(r) if r else None for c, r in zip(channels, chosen, strict=True)}


def _answers(
    policy: Policy, schedules: Schedules, now: dt.datetime, visitor: zoneinfo.ZoneInfo | None,
    results: MonthResults | None,
) -> list[ChannelAnswer]:  # fmt: skip
    channels = list(dict.fromkeys(c.channel for c in policy.contact_points))
    answers = []
    for channel, rule in default_rules(policy, channels).items():
        target = rule.targets.get("first_response") if rule else None
        if rule is None or target is None:
            answers.append(ChannelAnswer(channel, words.channel_label(channel), None, None,
                                         None, None))  # fmt: skip
            continue
        nouns = words.channel_nouns(channel)
        hours = schedules[target.clock].hours if target.clock in schedules else (
            opening_hours(policy, target.clock))  # fmt: skip
        zone_name = hours.timezone if target.clock != ALWAYS else page_timezone(policy)
        zone = zoneinfo.ZoneInfo(zone_name)
        outcome = None
        if results is not None:
            outcome, _ = _outcome(results, "first_response", rule.id, target, nouns, channel)
        answers.append(ChannelAnswer(
            channel=channel,
            label=words.channel_label(channel),
            rule_anchor=f"service_levels.rules.{rule.id}",
            promise=_promise(policy, "first_response", target, nouns),
            expect_by=_expect_by(channel, hours, target.within, now, zone, visitor),
            result=outcome,
        ))  # fmt: skip
    return answers


def _expect_by(
    channel: str, hours: OpeningHours, within: Duration, now: dt.datetime,
    zone: zoneinfo.ZoneInfo, visitor: zoneinfo.ZoneInfo | None,
) -> str | None:  # fmt: skip
    """``If you write to us now, expect a reply by ...`` on both clocks (``If you call us
    now, expect an answer by ...`` on the phone)."""
    try:
        if within.is_working_days:
            due = hours.add_working_days(now, within.working_days)
        else:
            due = hours.add(now, within.seconds)
    except CalendarError:
        return None
    opener, answer = words.expecting(channel)
    text = f"{opener}, expect {answer} by {_at(due, now, zone)} ({zone.key} time)"
    if visitor is not None and visitor.key != zone.key:
        text += f", that is {_at(due, now, visitor)} your time ({visitor.key})"
    return text + "."


def _at(due: dt.datetime, now: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return t.moment(due, zone, today=now.astimezone(zone).date())


def _promise(policy: Policy, metric: Metric, target: Target, nouns: words.Nouns) -> str:
    """The promise with when its clock stops: the target's own pauses, else the policy's;
    a target that never pauses where the policy would says so."""
    levels = policy.service_levels
    paused = levels.pause_statuses(metric, target)
    never = target.paused == [] and bool(levels.pause_statuses(metric))
    return words.promise(metric, target, nouns, paused, never_stops=never)


def _promises(policy: Policy, results: MonthResults | None) -> list[PromiseGroup]:
    groups = []
    for rule in policy.service_levels.rules:
        nouns = words.subject(rule.when)
        lines = []
        for metric in METRICS:
            target = rule.targets.get(metric)
            if target is None:
                continue
            outcome, kept = None, None
            if results is not None:
                outcome, kept = _outcome(results, metric, rule.id, target, nouns)
            lines.append(PromiseLine(metric, _promise(policy, metric, target, nouns), outcome,
                                     kept))  # fmt: skip
        labels = [words.channel_label(c) for c in rule.when.channel or []]
        heading = rule.name or words.listing(labels) or "All requests"
        groups.append(PromiseGroup(f"service_levels.rules.{rule.id}", heading, lines))
    return groups


def _outcome(
    results: MonthResults, metric: str, rule_id: str, target: Target, nouns: words.Nouns,
    channel: str | None = None,
) -> tuple[str | None, bool | None]:  # fmt: skip
    """A promise's result for the month in words, and whether it was kept: counted over
    the tickets it governed; a promise that began after the month reads as new."""
    since = results.since(metric, rule_id)
    if since is not None and since >= results.end_day:
        return words.new_since(since), None
    met, breached = results.counts(metric, rule_id, channel)
    outcome = words.result(metric, target, nouns, results.period(since), met, breached)
    return outcome, words.kept(target, met, breached)


def page_timezone(policy: Policy) -> str:
    """The business's timezone: its first contact point's calendar's, else its first
    calendar's, else UTC."""
    for point in policy.contact_points:
        calendar = policy.calendar(point.calendar) if point.calendar else None
        if calendar is not None:
            return calendar.timezone
    return policy.calendars[0].timezone if policy.calendars else "UTC"
