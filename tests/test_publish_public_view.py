"""The public charter page's view model, from a policy, a moment and a timezone (no store)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from charter.errors import UsageError
from charter.policy import Policy, load_policy_text
from charter.policy.clock import opening_hours
from charter.policy.service_level import Conditions, Target
from charter.policy.units import Duration
from charter.publish.public_page import (
    Attainment,
    MonthResults,
    PublicPage,
    _hours,
    default_rules,
    public_page,
)
from charter.publish.public_page import _words as words
from support import EXAMPLE_TEXT, edited_text
from support.schema_org import DAYS, SCHEMA, problems, weekly_hours

UTC = dt.UTC
# Monday 1 June 2026, 08:30 in London (BST, UTC+1); 03:30 in New York (EDT, UTC-4).
MONDAY_MORNING = dt.datetime(2026, 6, 1, 7, 30, tzinfo=UTC)
NIGHT_OWLS = """
organisation: {name: Owl & Co, mission: "Help at night", language: fr-CA}
calendars:
  - id: nights
    timezone: America/Toronto
    weekly:
      wed: ["00:00-24:00"]
      fri: ["22:00-06:00"]
      sat: ["18:00-24:00"]
    holidays: {dates: [2026-06-06, 2026-12-26]}
contact_points:
  - {id: line, channel: phone, address: "+1 416 555 0100", calendar: nights}
service_levels:
  rules: [{id: all, targets: {first_response: {within: 1h, clock: nights}}}]
"""


@pytest.fixture(scope="module")
def example() -> Policy:
    return load_policy_text(EXAMPLE_TEXT).policy


def page_of(text: str, now: dt.datetime = MONDAY_MORNING, **kwargs: object) -> PublicPage:
    return public_page(load_policy_text(text).policy, now, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("metric", "within", "clock", "attainment", "when", "sentence"),
    [
        ("first_response", "4h", "desk", None, {"channel": ["email"]},
         "We reply to every e-mail within 4 working hours."),
        ("first_response", "5m", "desk", 0.9, {"channel": ["chat"]},
         "We answer 90 % of live chats within 5 minutes during opening hours."),
        ("resolution", "1d", "24x7", 0.85, {"priority": ["urgent"]},
         "We resolve 85 % of urgent requests within 1 day."),
        ("resolution", "10wd", "desk", None, {"channel": ["email", "phone"], "priority": ["high"]},
         "We resolve every high-priority e-mail or call within 10 working days."),
        ("next_response", "8h", "desk", None, {},
         "After our first answer, we reply to each further message within 8 working hours "
         "on every request."),
    ],
)  # fmt: skip
def test_promises_are_written_in_plain_words_from_the_typed_values(
    metric: str, within: str, clock: str, attainment: float | None, when: dict[str, list[str]],
    sentence: str,
) -> None:  # fmt: skip
    target = Target(within=Duration.parse(within), clock=clock, attainment=attainment)
    nouns = words.subject(Conditions(**when))  # type: ignore[arg-type]
    assert words.promise(metric, target, nouns) == sentence


def test_each_channel_takes_the_rule_of_a_normal_priority_ticket(example: Policy) -> None:
    chosen = default_rules(example, ["email", "chat", "phone", "fax"])
    # email: not urgent, no segment, not chat or phone, not high priority -> the catch-all
    ids = {c: r.id if r else None for c, r in chosen.items()}
    assert ids == {"email": "sl-default", "chat": "sl-chat", "phone": "sl-phone",
                   "fax": "sl-default"}  # fmt: skip


@pytest.mark.parametrize(
    ("now", "channel", "expected"),
    [
        # Monday 11:00 BST; e-mail 8 business hours, desk open 08:00-20:00: 19:00 the same day
        (dt.datetime(2026, 6, 1, 10, tzinfo=UTC), "email", "today at 19:00 (Europe/London time)"),
        (dt.datetime(2026, 6, 1, 10, tzinfo=UTC), "chat", "today at 11:05 (Europe/London time)"),
        # Monday 19:30 BST: half an hour today, 1.5 h on Tuesday from 08:00
        (dt.datetime(2026, 6, 1, 18, 30, tzinfo=UTC), "phone",
         "tomorrow at 09:30 (Europe/London time)"),
        # Christmas Eve 11:30 GMT: 30 min left of 09:00-12:00, closed 25-30 December, 6 h on
        # the 31st (09:00-15:00), closed New Year's Day, 1.5 h on Saturday 2 January
        (dt.datetime(2026, 12, 24, 11, 30, tzinfo=UTC), "email",
         "Saturday 2 January 2027 at 10:30 (Europe/London time)"),
    ],
)  # fmt: skip
def test_expect_an_answer_by_counts_business_time_on_the_rules_calendar(
    now: dt.datetime, channel: str, expected: str
) -> None:
    page = page_of(EXAMPLE_TEXT, now)
    answer = next(a for a in page.answers if a.channel == channel)
    # Each channel in its own words: an e-mail is replied to, a call or a chat answered.
    opener = {"email": "If you write to us now, expect a reply by",
              "chat": "If you start a chat now, expect an answer by",
              "phone": "If you call us now, expect an answer by"}[channel]  # fmt: skip
    assert answer.expect_by == f"{opener} {expected}."


def test_expect_an_answer_by_is_also_shown_on_the_visitors_clock() -> None:
    page = page_of(EXAMPLE_TEXT, dt.datetime(2026, 6, 1, 10, tzinfo=UTC), visitor_tz="Asia/Tokyo")
    email = next(a for a in page.answers if a.channel == "email")
    # 19:00 BST is 03:00 the next day in Tokyo (UTC+9)
    assert email.expect_by is not None
    assert email.expect_by.endswith("that is tomorrow at 03:00 your time (Asia/Tokyo).")


@pytest.mark.parametrize(
    ("visitor", "uk_line", "us_line"),
    [
        ("America/New_York",
         "Open now until today at 20:00 (today at 15:00 your time).",
         "Closed now. Opens today at 09:00."),
        ("Europe/London",
         "Open now until today at 20:00.",
         "Closed now. Opens today at 09:00 (today at 14:00 your time)."),
    ],
)  # fmt: skip
def test_open_now_and_opens_at_follow_charter_hours_in_two_visitor_timezones(
    visitor: str, uk_line: str, us_line: str
) -> None:
    page = page_of(EXAMPLE_TEXT, visitor_tz=visitor)
    shown = {c.anchor: c.availability.text for c in page.contacts if c.availability}
    assert shown["contact_points.cp-phone-uk"] == uk_line
    assert shown["contact_points.cp-phone-us"] == us_line
    assert [c.availability.open_now for c in page.contacts if c.availability] == [
        True, False, True, True]  # fmt: skip


def test_coming_days_cut_an_overnight_opening_at_a_holidays_midnight() -> None:
    # Thursday 4 June 2026 noon in Toronto; Friday 22:00-06:00 runs into Saturday 6 June,
    # a closed date, so Friday's opening stops at midnight and Saturday has none.
    now = dt.datetime(2026, 6, 4, 16, tzinfo=UTC)
    contact = page_of(NIGHT_OWLS, now, visitor_tz="Europe/Paris").contacts[0]
    rows = {row.label: (row.note, row.hours, row.visitor_hours) for row in contact.coming}
    assert rows["Friday 5 June"] == ("", "22:00–24:00", "Sat 04:00–06:00")
    assert rows["Saturday 6 June"] == ("Holiday", "Closed", "Closed")
    assert rows["Wednesday 10 June"] == ("", "00:00–24:00", "Wed 06:00 – Thu 06:00")
    assert [r.hours for r in contact.usual][4:6] == ["22:00–06:00 (next day)", "18:00–24:00"]


@pytest.mark.parametrize(
    ("text", "calendar"), [(NIGHT_OWLS, "nights"), (EXAMPLE_TEXT, "uk-support")]
)
def test_every_shown_opening_is_open_in_charter_hours_and_closed_just_outside(
    text: str, calendar: str
) -> None:
    policy = load_policy_text(text).policy
    written = policy.calendar(calendar)
    assert written is not None
    hours = opening_hours(policy, calendar, years=range(2025, 2028))
    closed = frozenset(d for d in written.holidays.closed_dates(2025, 2027)
                       if d not in written.special)  # fmt: skip
    schedule = _hours.Schedule(written, closed, hours)
    second = dt.timedelta(seconds=1)
    for offset in range(21):  # Christmas and New Year; a holiday after an overnight opening
        for start, end in schedule.openings(dt.date(2026, 12, 20) + dt.timedelta(days=offset)):
            assert hours.is_open(start) and hours.is_open(end - second), (start, end)
            assert not hours.is_open(start - second), (start, end)
            assert not hours.is_open(end) or end.astimezone(schedule.zone).hour == 0, (start, end)


def test_closed_now_says_when_charter_hours_opens_next() -> None:
    policy = load_policy_text(NIGHT_OWLS).policy
    now = dt.datetime(2026, 6, 4, 16, tzinfo=UTC)  # Thursday noon in Toronto
    contact = public_page(policy, now).contacts[0]
    assert contact.availability is not None and not contact.availability.open_now
    assert contact.availability.text == "Closed now. Opens tomorrow at 22:00."


def test_json_ld_uses_only_schema_org_types_and_properties(example: Policy) -> None:
    document = json.loads(public_page(example, MONDAY_MORNING).json_ld_text)
    assert document["@context"] == "https://schema.org"
    assert problems(document, ["Organization"]) == []


def test_json_ld_carries_the_policys_values(example: Policy) -> None:
    document = public_page(example, MONDAY_MORNING).json_ld
    points = {p["@id"]: p for p in document["contactPoint"]}  # type: ignore[index, union-attr]
    assert points["#contact_points.cp-phone-us"]["telephone"] == "+1 212 555 0147"
    assert points["#contact_points.cp-phone-us"]["availableLanguage"] == ["en", "es"]
    assert points["#contact_points.cp-email"]["email"] == "help@larkfield.example"
    returns = document["hasMerchantReturnPolicy"]
    assert returns["merchantReturnDays"] == 30  # type: ignore[index]
    assert returns["returnFees"] == SCHEMA + "FreeReturn"  # type: ignore[index]
    assert returns["refundType"] == [SCHEMA + "FullRefund"]  # type: ignore[index]
    assert set(returns["returnMethod"]) == {SCHEMA + "ReturnByMail", SCHEMA + "ReturnInStore"}  # type: ignore[index]
    shipping = document["hasShippingService"][2]  # type: ignore[index]
    assert shipping["handlingTime"]["duration"]["minValue"] == 1
    assert shipping["handlingTime"]["duration"]["maxValue"] == 2
    transit = shipping["shippingConditions"]["transitTime"]["duration"]
    assert (transit["minValue"], transit["maxValue"], transit["unitCode"]) == (5, 8, "DAY")
    assert shipping["shippingConditions"]["shippingDestination"]["name"] == "United States"


def test_json_ld_opening_hours_read_back_to_the_calendar_without_loss() -> None:
    policy = load_policy_text(NIGHT_OWLS).policy
    spec = public_page(policy, MONDAY_MORNING).json_ld["contactPoint"][0]["hoursAvailable"]  # type: ignore[index]
    written = {day: list(policy.calendars[0].weekly.get(key, []))  # type: ignore[call-overload]
               for day, key in zip(DAYS, ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                   strict=True)}  # fmt: skip
    assert weekly_hours(spec) == written
    holidays = [s for s in spec if s.get("validFrom") == "2026-06-06"]
    assert holidays == [{"@type": "OpeningHoursSpecification", "validFrom": "2026-06-06",
                         "validThrough": "2026-06-06"}]  # fmt: skip


def test_json_ld_cannot_close_its_script_element() -> None:
    text = EXAMPLE_TEXT.replace("name: Larkfield Home", 'name: "</script><script>x()"', 1)
    script = page_of(text).json_ld_text
    assert "</script>" not in script and "<" not in script
    assert json.loads(script)["name"] == "</script><script>x()"


@pytest.mark.parametrize(
    ("tz", "visitor", "noted"),
    [("Asia/Tokyo", "Asia/Tokyo", False), ("Mars/Olympus", None, True), (None, None, False),
     ("../../etc/passwd", None, True), ("x" * 500, None, True)],
)  # fmt: skip
def test_a_visitor_timezone_is_used_only_when_it_is_a_real_zone(
    tz: str | None, visitor: str | None, noted: bool
) -> None:
    page = page_of(EXAMPLE_TEXT, visitor_tz=tz)
    assert page.visitor_tz == visitor
    assert (page.tz_note is not None) is noted
    assert page.business_tz == "Europe/London"


def test_the_page_language_comes_from_the_policy() -> None:
    assert page_of(EXAMPLE_TEXT).lang == "en-GB" and page_of(EXAMPLE_TEXT).prose_lang is None
    owls = page_of(NIGHT_OWLS)
    assert (owls.lang, owls.prose_lang) == ("fr-CA", "en")  # generated sentences are English


def test_last_months_results_are_told_per_promise_and_judged_against_it() -> None:
    results = MonthResults(dt.date(2026, 10, 1), (
        Attainment("email", "sl-default", "first_response", 93, 7),
        Attainment("phone", "sl-default", "first_response", 3, 0),
        Attainment("email", "sl-default", "resolution", 60, 40),
    ))  # fmt: skip
    page = page_of(EXAMPLE_TEXT, results=results)
    email = next(a for a in page.answers if a.channel == "email")
    assert email.result == (
        "In October 2026 we replied to 93 % of e-mails within 8 working hours (93 of 100)."
    )
    catch_all = next(g for g in page.promises if g.anchor == "service_levels.rules.sl-default")
    lines = {line.metric: line for line in catch_all.lines}
    # 96 of 103 requests across channels is 93.2 %, short of the 95 % promised
    assert (
        lines["first_response"].result is not None
        and "(96 of 103)" in lines["first_response"].result
    )
    assert lines["first_response"].kept is False
    assert lines["resolution"].kept is False and lines["next_response"].result is None
    assert page.month == "October 2026"


def test_a_naive_moment_is_refused(example: Policy) -> None:
    with pytest.raises(UsageError, match="no timezone"):
        public_page(example, dt.datetime(2026, 6, 1, 8))


def test_a_policy_without_optional_sections_still_makes_a_page() -> None:
    page = page_of("organisation: {name: Tiny, mission: Exist}")
    assert page.contacts == [] and page.answers == [] and page.returns is None
    assert page.json_ld["name"] == "Tiny" and "contactPoint" not in page.json_ld


def test_edited_policy_values_change_the_page_not_retyped_prose() -> None:
    text = edited_text(lambda data: data["returns"].__setitem__("window_days", 14))
    page = page_of(text)
    assert page.returns is not None
    assert page.returns.sentences[0] == (
        "You can return an item within 14 days of the last delivery of your order."
    )
    assert page.json_ld["hasMerchantReturnPolicy"]["merchantReturnDays"] == 14  # type: ignore[index]


PAUSES = """
organisation: {name: A, mission: M}
calendars: [{id: desk, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]}}]
service_levels:
  rules:
    - id: outage
      when: {tags: [outage]}
      targets: {resolution: {within: 4h, clock: 24x7, paused: []}}
    - id: returns
      when: {channel: [email]}
      targets:
        first_response: {within: 4h, clock: desk}
        resolution: {within: 2d, clock: 24x7, paused: [on_hold]}
    - id: rest
      targets: {resolution: {within: 2d, clock: 24x7}, requester_wait: {within: 1d, clock: 24x7}}
"""


def test_each_promise_says_when_its_clock_stops_in_the_customers_words() -> None:
    """The policy-wide pauses (the defaults: resolution in pending and on hold, requester
    wait in pending, first response never) and each target's own pauses, as the
    engine applies them (docs/sla.md, "Pauses per target")."""
    page = page_of(PAUSES)
    said = {(g.anchor.rsplit(".", 1)[1], line.metric): line.text
            for g in page.promises for line in g.lines}  # fmt: skip
    # An outage's clock never pauses although resolution pauses by default: say so.
    assert said["outage", "resolution"] == (
        "We resolve every request within 4 hours; the clock never stops."
    )
    # Its own pauses replace the policy's: on hold only, not while waiting for a reply.
    assert said["returns", "resolution"] == (
        "We resolve every e-mail within 2 days; the clock stops while your request is on hold."
    )
    # First response never pauses by default, so nothing is added.
    assert said["returns", "first_response"] == "We reply to every e-mail within 4 working hours."
    assert said["rest", "resolution"] == (
        "We resolve every request within 2 days; the clock stops while we wait for your "
        "reply or while your request is on hold."
    )
    assert said["rest", "requester_wait"] == (
        "We keep you waiting no longer than 1 day in all on every request; the clock stops "
        "while we wait for your reply."
    )


def test_returns_section_says_the_window_unit_anchor_reasons_and_refund_deadline(
    example: Policy,
) -> None:
    # The example: 30 days from the last delivery, on the warehouse calendar (a window
    # ending on a closed day moves); refund within 5 working days of the earlier of the
    # item back or proof of sending; reasons changed_mind, wrong_item, faulty; furniture
    # needs approval.
    returns = public_page(example, MONDAY_MORNING).returns
    assert returns is not None
    assert returns.sentences[:3] == [
        "You can return an item within 30 days of the last delivery of your order.",
        "For an order sent in parts, the time counts from the last parcel.",
        "If the last day is a day we are closed, you have until the next day we are open.",
    ]
    assert returns.sentences[-1] == (
        "We refund you to your original payment method within 5 working days of receiving "
        "the item back or your proof that you sent it, whichever comes first."
    )
    reasons = {item.anchor: item.text for item in returns.reasons}
    assert reasons["returns.reasons.faulty"] == (
        "The item is faulty or damaged. We take it back at any time, not only within the "
        "return window and even for items we otherwise cannot take back."
    )
    assert reasons["returns.reasons.changed_mind"] == "I changed my mind."
    assert [item.anchor for item in returns.categories] == ["returns.categories.category-furniture"]


def test_a_reason_that_waives_the_restocking_fee_says_so_only_when_there_is_one() -> None:
    # The example's faulty reason waives fees, but its returns are free: nothing to say.
    # With a 10 % restocking fee, the customer is told a faulty item pays none.
    text = edited_text(
        lambda data: data["returns"].update(fees="restocking_fee", restocking_fee="10%")
    )
    returns = page_of(text).returns
    assert returns is not None
    reasons = {item.anchor: item.text for item in returns.reasons}
    assert reasons["returns.reasons.faulty"] == (
        "The item is faulty or damaged. We take it back at any time, not only within the "
        "return window, even for items we otherwise cannot take back and with no "
        "restocking fee."
    )
    assert reasons["returns.reasons.changed_mind"] == "I changed my mind."


def test_returns_window_in_working_days_names_the_calendar() -> None:
    text = edited_text(
        lambda data: data["returns"].update(window_days=10, window_unit="working_days")
    )
    returns = page_of(text).returns
    assert returns is not None
    # The warehouse calendar is named "Warehouse dispatch days"; a window in working days
    # ends on a working day, so no sentence about moving off closed days.
    assert returns.sentences[0] == (
        "You can return an item within 10 working days (by our Warehouse dispatch days "
        "calendar) of the last delivery of your order."
    )
    assert "If the last day is a day we are closed" not in " ".join(returns.sentences)


def test_merchant_return_policy_json_ld_carries_countries_fees_and_in_store_returns(
    example: Policy,
) -> None:
    node = public_page(example, MONDAY_MORNING).json_ld["hasMerchantReturnPolicy"]
    assert node["applicableCountry"] == ["GB"]  # type: ignore[index]
    assert node["returnPolicyCountry"] == "GB"  # type: ignore[index]
    assert node["inStoreReturnsOffered"] is True  # type: ignore[index]
    assert node["customerRemorseReturnFees"] == SCHEMA + "FreeReturn"  # type: ignore[index]
    assert problems(node, ["MerchantReturnPolicy"]) == []


def test_restocking_fee_shows_in_json_ld_as_a_percentage_and_remorse_fee() -> None:
    text = edited_text(
        lambda data: data["returns"].update(fees="restocking_fee", restocking_fee="15%")
    )
    node = page_of(text).json_ld["hasMerchantReturnPolicy"]
    assert node["restockingFee"] == 15  # type: ignore[index]
    assert node["customerRemorseReturnFees"] == SCHEMA + "RestockingFees"  # type: ignore[index]
    assert problems(node, ["MerchantReturnPolicy"]) == []
