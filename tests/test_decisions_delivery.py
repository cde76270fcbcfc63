"""Delivery promises on the example policy: dates counted by hand on the warehouse calendar.

The warehouse calendar opens Monday to Friday 07:00-22:00 Europe/London and closes on
England's bank holidays. The promises (src/charter/policy/example.yaml):

    delivery-uk-standard   UK mainland    standard  handling 0-1, transit 2-3, cutoff 14:00
    delivery-uk-express    UK mainland    express   handling 0-0, transit 1-1, cutoff 12:00
    delivery-us-standard   United States  standard  handling 1-2, transit 5-8, no cutoff

Dates around the cases (W: working day, -: closed):

    Dec 2026  Mon 7 W  Tue 8 W  Wed 9 W  Thu 10 W  Fri 11 W  Sat 12 -  Sun 13 -
              Mon 14 W ... Fri 18 W  Mon 21 W  Tue 22 W  Wed 23 W  Thu 24 W
              Fri 25 - (Christmas)  Sat 26 -  Sun 27 -  Mon 28 - (Boxing Day, substitute)
              Tue 29 W  Wed 30 W  Thu 31 W
    Jan 2027  Fri 1 - (New Year)  Mon 4 W  Tue 5 W
    Mar 2027  Thu 25 W  Fri 26 - (Good Friday)  Sat 27 -  Sun 28 - (clocks go to BST)
              Mon 29 - (Easter Monday)  Tue 30 W  Wed 31 W
    Apr 2027  Thu 1 W  Fri 2 W  Mon 5 W  Tue 6 W

Day 0 is the order's local date when it is a working day and the order came before the
cutoff, else the next working day. Dispatch by = day 0 + handling max; earliest = day 0 +
handling min + transit min; delivered by = dispatch by + transit max (working days).
"""

from __future__ import annotations

import datetime as dt

import pytest

from charter.decisions.delivery import delivery_dates, judge_delivery, promise_for
from charter.errors import InvalidInput
from charter.policy import load_policy_text
from charter.policy.schema import Policy
from support import EXAMPLE_TEXT

UK, US = "UK mainland", "United States"
D = dt.date


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy_text(EXAMPLE_TEXT).policy


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("story", "ordered", "region", "method", "day_zero", "dispatch", "earliest", "latest"),
    [
        # Mon 7 Dec 10:00 GMT, before 14:00: day 0 Mon 7; dispatch Mon+1 = Tue 8;
        # earliest Mon+0+2 = Wed 9; delivered by Tue 8+3 = Wed 9, Thu 10, Fri 11.
        ("before cutoff", "2026-12-07T10:00+00:00", UK, "standard",
         D(2026, 12, 7), D(2026, 12, 8), D(2026, 12, 9), D(2026, 12, 11)),
        # Mon 7 Dec 15:00, after 14:00: day 0 Tue 8; dispatch Wed 9; earliest Thu 10;
        # delivered by Wed 9+3 = Thu 10, Fri 11, (weekend) Mon 14.
        ("after cutoff", "2026-12-07T15:00+00:00", UK, "standard",
         D(2026, 12, 8), D(2026, 12, 9), D(2026, 12, 10), D(2026, 12, 14)),
        # Exactly 14:00 is not before the cutoff: as after it.
        ("at the cutoff", "2026-12-07T14:00+00:00", UK, "standard",
         D(2026, 12, 8), D(2026, 12, 9), D(2026, 12, 10), D(2026, 12, 14)),
        # 06:00, before the warehouse opens but before the cutoff: Monday counts.
        ("early morning", "2026-12-07T06:00+00:00", UK, "standard",
         D(2026, 12, 7), D(2026, 12, 8), D(2026, 12, 9), D(2026, 12, 11)),
        # Fri 11 Dec 19:00, after the cutoff: next working day Mon 14; dispatch Tue 15;
        # earliest Mon+2 = Wed 16; delivered by Tue 15+3 = Fri 18.
        ("friday evening", "2026-12-11T19:00+00:00", UK, "standard",
         D(2026, 12, 14), D(2026, 12, 15), D(2026, 12, 16), D(2026, 12, 18)),
        # Sat 12 Dec 09:00, a closed day: day 0 Mon 14, as the Friday evening order.
        ("saturday", "2026-12-12T09:00+00:00", UK, "standard",
         D(2026, 12, 14), D(2026, 12, 15), D(2026, 12, 16), D(2026, 12, 18)),
        # Wed 23 Dec 15:30, after the cutoff: day 0 Thu 24; dispatch Thu+1 skips Fri 25,
        # the weekend and Mon 28 = Tue 29; earliest Thu+2 = Tue 29, Wed 30;
        # delivered by Tue 29+3 = Wed 30, Thu 31, (Fri 1 Jan closed) Mon 4 Jan.
        ("christmas", "2026-12-23T15:30+00:00", UK, "standard",
         D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 30), D(2027, 1, 4)),
        # Express, Thu 24 Dec 11:00 before 12:00: dispatched Thu 24 (handling 0);
        # delivered by Thu 24+1 = Tue 29 (25-28 closed); earliest the same.
        ("express christmas eve", "2026-12-24T11:00+00:00", UK, "express",
         D(2026, 12, 24), D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 29)),
        # Thu 25 Mar 2027 13:30 GMT, before the cutoff: day 0 Thu 25; dispatch Thu+1 skips
        # Good Friday, the weekend and Easter Monday = Tue 30; earliest Thu+2 = Tue 30,
        # Wed 31; delivered by Tue 30+3 = Wed 31, Thu 1, Fri 2 Apr.
        ("easter", "2027-03-25T13:30+00:00", UK, "standard",
         D(2027, 3, 25), D(2027, 3, 30), D(2027, 3, 31), D(2027, 4, 2)),
        # Tue 30 Mar 2027 13:30 UTC is 14:30 BST, after the cutoff in local time:
        # day 0 Wed 31; dispatch Thu 1 Apr; earliest Wed+2 = Thu 1, Fri 2;
        # delivered by Thu 1+3 = Fri 2, Mon 5, Tue 6 Apr.
        ("after cutoff in summer time", "2027-03-30T13:30+00:00", UK, "standard",
         D(2027, 3, 31), D(2027, 4, 1), D(2027, 4, 2), D(2027, 4, 6)),
        # US standard has no cutoff: Fri 11 Dec 18:30 New York = 23:30 London, Friday, a
        # working day, so day 0 is Fri 11 whatever the hour. Dispatch Fri+2 = Mon 14,
        # Tue 15; earliest Fri+1+5 = Mon 14 .. Fri 18, Mon 21; delivered by Tue 15+8 =
        # Wed 16, Thu 17, Fri 18, Mon 21, Tue 22, Wed 23, Thu 24, (25-28 closed) Tue 29.
        ("us standard no cutoff", "2026-12-11T18:30-05:00", US, "standard",
         D(2026, 12, 11), D(2026, 12, 15), D(2026, 12, 21), D(2026, 12, 29)),
        # 19:30 New York on Friday is 00:30 Saturday in London: a closed day, so day 0
        # is Mon 14; dispatch Tue 15, Wed 16; earliest Mon+6 = Tue 22; delivered by
        # Wed 16+8 = Thu 17, Fri 18, Mon 21, Tue 22, Wed 23, Thu 24, Tue 29, Wed 30.
        ("us standard after midnight in london", "2026-12-11T19:30-05:00", US, "standard",
         D(2026, 12, 14), D(2026, 12, 16), D(2026, 12, 22), D(2026, 12, 30)),
    ],
)  # fmt: skip
def test_delivery_dates_on_the_warehouse_calendar(
    policy: Policy,
    story: str,
    ordered: str,
    region: str,
    method: str,
    day_zero: dt.date,
    dispatch: dt.date,
    earliest: dt.date,
    latest: dt.date,
) -> None:
    dates = delivery_dates(policy, at(ordered), region, method)
    got = (dates.day_zero, dates.dispatch_by, dates.earliest, dates.latest)
    assert got == (day_zero, dispatch, earliest, latest), story


def test_delivery_dates_cite_the_promise_and_the_policy_version(policy: Policy) -> None:
    dates = delivery_dates(
        policy, at("2026-12-23T15:30+00:00"), "uk  MAINLAND", "Standard", version="v7"
    )
    assert dates.clause.id == "delivery.delivery-uk-standard"
    assert dates.clause.version == "v7"
    assert "orders before 14:00" in dates.clause.text
    assert "2 to 3 working days after dispatch" in dates.clause.text
    assert dates.notes == (
        "ordered at or after the 14:00 cutoff: counted from the next working day",
    )
    assert dates.timezone == "Europe/London"


@pytest.mark.parametrize(
    ("story", "ordered", "delivered", "late"),
    [
        # Delivered by Fri 11 Dec; delivered Fri 11 21:00 GMT: on time.
        ("on the last day", "2026-12-07T10:00+00:00", "2026-12-11T21:00+00:00", 0),
        # Fri 11 23:30 New York is Sat 12 04:30 London: after Fri 11; a closed day counts
        # as the next working day, Mon 14: late by 1.
        ("saturday in london", "2026-12-07T10:00+00:00", "2026-12-11T23:30-05:00", 1),
        # Mon 14: one working day after Fri 11.
        ("monday after", "2026-12-07T10:00+00:00", "2026-12-14T12:00+00:00", 1),
        # Tue 15: Mon 14 and Tue 15, two working days late.
        ("tuesday after", "2026-12-07T10:00+00:00", "2026-12-15T09:00+00:00", 2),
        # Christmas order due Mon 4 Jan; Tue 5 Jan is 1 late.
        ("christmas", "2026-12-23T15:30+00:00", "2027-01-05T10:00+00:00", 1),
        # Easter order due Fri 2 Apr 2027; 23:30 UTC that Friday is 00:30 BST on Saturday
        # in London, the calendar's zone: a closed day, counted as Mon 5 Apr, 1 late.
        ("summer time midnight", "2027-03-25T13:30+00:00", "2027-04-02T23:30+00:00", 1),
        # 22:30 UTC is 23:30 BST, still Friday: on time.
        ("summer time friday night", "2027-03-25T13:30+00:00", "2027-04-02T22:30+00:00", 0),
        # Christmas order delivered Thu 31 Dec: before Mon 4 Jan, on time.
        ("christmas early", "2026-12-23T15:30+00:00", "2026-12-31T10:00+00:00", 0),
    ],
)
def test_judge_delivery_reports_late_by_working_days_with_the_broken_clause(
    policy: Policy, story: str, ordered: str, delivered: str, late: int
) -> None:
    judgement = judge_delivery(policy, at(ordered), UK, "standard", at(delivered))
    assert judgement.working_days_late == late, story
    assert judgement.on_time is (late == 0)
    if late:
        assert judgement.broke is not None
        assert judgement.broke.id == "delivery.delivery-uk-standard"
        assert judgement.verdict == f"late by {late} working day{'s' if late > 1 else ''}"
    else:
        assert judgement.broke is None
        assert judgement.verdict == "on time"


def test_promise_without_a_calendar_counts_every_day() -> None:
    policy = load_policy_text(
        """
organisation: {name: A, mission: M}
delivery: [{id: d-post, region: EU, method: post, handling_days: {min: 1, max: 2},
            transit_days: {min: 3, max: 4}}]
"""
    ).policy
    # Sat 12 Dec 2026 (UTC, every day counts): dispatch Sat+2 = Mon 14;
    # earliest Sat+1+3 = Wed 16; delivered by Mon 14+4 = Fri 18.
    dates = delivery_dates(policy, at("2026-12-12T09:00+00:00"), "EU", "post")
    assert (dates.day_zero, dates.dispatch_by, dates.earliest, dates.latest) == (
        D(2026, 12, 12),
        D(2026, 12, 14),
        D(2026, 12, 16),
        D(2026, 12, 18),
    )


def test_unknown_region_lists_the_policy_regions(policy: Policy) -> None:
    with pytest.raises(InvalidInput, match="no delivery promise for region 'Mars'") as error:
        promise_for(policy, "Mars", "standard")
    assert "it has: UK mainland, United States" in str(error.value)
    assert error.value.details[0]["field"] == "region"


def test_unknown_method_lists_the_region_methods(policy: Policy) -> None:
    with pytest.raises(InvalidInput, match="no 'drone' delivery to UK mainland") as error:
        promise_for(policy, UK, "drone")
    assert "its methods there: standard, express" in str(error.value)
    assert error.value.details[0]["field"] == "method"


def test_an_order_instant_without_offset_is_refused(policy: Policy) -> None:
    with pytest.raises(InvalidInput, match="has no UTC offset"):
        delivery_dates(policy, dt.datetime(2026, 12, 7, 10), UK, "standard")


def test_a_delivery_before_the_order_is_refused(policy: Policy) -> None:
    with pytest.raises(InvalidInput, match="is before the order"):
        judge_delivery(
            policy, at("2026-12-07T10:00+00:00"), UK, "standard", at("2026-12-06T10:00+00:00")
        )


def test_a_policy_without_delivery_promises_says_so() -> None:
    policy = load_policy_text("organisation: {name: A, mission: M}").policy
    with pytest.raises(InvalidInput, match="makes no delivery promises"):
        promise_for(policy, UK, "standard")


def test_judging_with_an_order_instant_without_offset_names_the_order(policy: Policy) -> None:
    # Compared as is, a naive order and an aware delivery would raise TypeError.
    with pytest.raises(InvalidInput, match="the order instant .* has no UTC offset") as error:
        judge_delivery(
            policy, dt.datetime(2026, 12, 7, 10), UK, "standard", at("2026-12-14T10:00+00:00")
        )
    assert error.value.details[0]["field"] == "ordered"
