"""Deadlines counted by the policy's conventions on England & Wales bank holidays.

Calendar "uk": Monday to Friday 09:00-17:00 Europe/London, closed on England's bank
holidays (2026: Fri 25 Dec Christmas, Mon 28 Dec Boxing Day substitute; 2027: Fri 1 Jan,
Good Friday 26 Mar, Easter Monday 29 Mar). Every expected value is counted by hand in
the comments.
"""

from __future__ import annotations

import datetime as dt

import pytest

from charter.decisions.deadlines import deadline, extend
from charter.errors import InvalidInput, PolicyError
from charter.hours import OpeningHours
from charter.policy import load_policy_text
from charter.policy.clock import opening_hours
from charter.policy.counting import Counting, merged

POLICY = """
organisation: {name: A, mission: M}
calendars:
  - id: uk
    timezone: Europe/London
    weekly:
      mon: ["09:00-17:00"]
      tue: ["09:00-17:00"]
      wed: ["09:00-17:00"]
      thu: ["09:00-17:00"]
      fri: ["09:00-17:00"]
    holidays: {country: GB, subdivision: ENG}
"""
UK = opening_hours(load_policy_text(POLICY).policy, "uk", years=range(2026, 2028))
LONDON = dt.timezone(dt.timedelta(0))  # GMT in winter
BST = dt.timezone(dt.timedelta(hours=1))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_christmas_receipt_on_saturday_counts_from_the_next_working_day() -> None:
    # Received Sat 26 Dec 2026. Sun 27 closed, Mon 28 Dec is the Boxing Day substitute
    # holiday, so counting starts Tue 29 Dec (day 0). 5wd: Wed 30 (1), Thu 31 (2),
    # Fri 1 Jan is New Year's Day (skip), Mon 4 (3), Tue 5 (4), Wed 6 Jan (5).
    d = deadline(utc(2026, 12, 26, 11, 0), "5wd", UK, Counting())
    assert d.first_counted_day == dt.date(2026, 12, 29)
    assert d.ends_local == dt.datetime(2027, 1, 6, 23, 59, 59, tzinfo=LONDON)
    assert d.steps[1] == (
        "Saturday 26 December 2026 is not a working day: counting starts Tuesday 29 December 2026"
    )


def test_christmas_receipt_on_saturday_same_day_convention() -> None:
    # Same receipt, but a closed-day receipt counts from its own day: Sat 26 is day 0;
    # 5wd: Tue 29 (1), Wed 30 (2), Thu 31 (3), Mon 4 Jan (4), Tue 5 Jan (5).
    d = deadline(utc(2026, 12, 26, 11, 0), "5wd", UK, Counting(closed_day_receipt="same_day"))
    assert d.first_counted_day == dt.date(2026, 12, 26)
    assert d.end_day == dt.date(2027, 1, 5)


def test_receipt_on_a_sunday_day_0_and_day_1() -> None:
    # Received Sun 21 Mar 2027 -> counting starts Mon 22 Mar.
    # day_0: 5wd = Tue 23, Wed 24, Thu 25, (Fri 26 Good Friday), (Mon 29 Easter Monday),
    #        Tue 30, Wed 31 Mar -> Wed 31 Mar.
    # day_1: Mon 22 is day 1, so 4 more: Tue 23, Wed 24, Thu 25, Tue 30 Mar.
    sunday = utc(2027, 3, 21, 12, 0)
    day0 = deadline(sunday, "5wd", UK, Counting())
    day1 = deadline(sunday, "5wd", UK, Counting(anchor_day="day_1"))
    assert day0.first_counted_day == day1.first_counted_day == dt.date(2027, 3, 22)
    assert day0.end_day == dt.date(2027, 3, 31)
    assert day1.end_day == dt.date(2027, 3, 30)


def test_receipt_after_cutoff_counts_from_the_next_working_day() -> None:
    # Received Thu 25 Mar 2027 17:30 GMT, after the 17:00 cut-off: counting starts on the
    # next working day, Good Friday and Easter Monday skipped: Tue 30 Mar (day 0).
    # 1wd -> Wed 31 Mar. Without a cut-off: day 0 Thu 25, 1wd -> Tue 30 Mar.
    late = utc(2027, 3, 25, 17, 30)
    with_cutoff = deadline(late, "1wd", UK, Counting(cutoff="17:00"))
    assert with_cutoff.first_counted_day == dt.date(2027, 3, 30)
    assert with_cutoff.end_day == dt.date(2027, 3, 31)
    assert deadline(late, "1wd", UK, Counting()).end_day == dt.date(2027, 3, 30)


def test_dst_start_2026_close_of_business_and_end_of_day() -> None:
    # Received Fri 27 Mar 2026 10:00 GMT (day 0). Clocks go forward Sun 29 Mar.
    # 1wd -> Mon 30 Mar, now BST: close of business 17:00 BST = 16:00 UTC;
    # end of day 23:59:59 BST = 22:59:59 UTC.
    friday = utc(2026, 3, 27, 10, 0)
    cob = deadline(friday, "1wd", UK, Counting(ends_at="close_of_business"))
    eod = deadline(friday, "1wd", UK, Counting())
    assert cob.ends_utc == utc(2026, 3, 30, 16, 0)
    assert cob.steps[-1] == "the deadline is close of business: Mon 30 Mar 2026 17:00 BST"
    assert eod.ends_utc == utc(2026, 3, 30, 22, 59, 59)
    assert eod.ends_local == dt.datetime(2026, 3, 30, 23, 59, 59, tzinfo=BST)


def test_dst_end_2026_close_of_business() -> None:
    # Received Fri 23 Oct 2026 10:00 UTC (11:00 BST, day 0). Clocks go back Sun 25 Oct.
    # 1wd -> Mon 26 Oct, GMT: close 17:00 GMT = 17:00 UTC; end of day 23:59:59 UTC.
    friday = utc(2026, 10, 23, 10, 0)
    assert deadline(friday, "1wd", UK, Counting(ends_at="close_of_business")).ends_utc == utc(
        2026, 10, 26, 17, 0
    )
    assert deadline(friday, "1wd", UK, Counting()).ends_utc == utc(2026, 10, 26, 23, 59, 59)


def test_dst_start_2027_calendar_days_over_easter() -> None:
    # Received Wed 24 Mar 2027 12:00 GMT (day 0). 4d -> Sun 28 Mar (clocks go forward that
    # day), not a working day -> moves past Easter Monday 29 to Tue 30 Mar; close of business
    # 17:00 BST = 16:00 UTC. With closed_day_end "stays": Sun 28 Mar, closed, so the end of
    # that day, 23:59:59 BST = 22:59:59 UTC.
    wednesday = utc(2027, 3, 24, 12, 0)
    moved = deadline(wednesday, "4d", UK, Counting(ends_at="close_of_business"))
    assert moved.end_day == dt.date(2027, 3, 30)
    assert moved.ends_utc == utc(2027, 3, 30, 16, 0)
    stays = deadline(
        wednesday, "4d", UK, Counting(ends_at="close_of_business", closed_day_end="stays")
    )
    assert stays.end_day == dt.date(2027, 3, 28)
    assert stays.ends_utc == utc(2027, 3, 28, 22, 59, 59)


def test_deadline_on_a_bank_holiday_moves_or_not() -> None:
    # Received Fri 18 Dec 2026 (day 0). 7d -> Fri 25 Dec, Christmas Day: moves over Sat 26,
    # Sun 27 and Mon 28 (substitute) to Tue 29 Dec; set to stay, it ends on Fri 25 Dec.
    friday = utc(2026, 12, 18, 10, 0)
    assert deadline(friday, "7d", UK, Counting()).end_day == dt.date(2026, 12, 29)
    stays = deadline(friday, "7d", UK, Counting(closed_day_end="stays"))
    assert stays.end_day == dt.date(2026, 12, 25)


def test_weeks_are_calendar_time_and_do_not_move() -> None:
    # FCA DISP 1.6: final response within 8 weeks. Received Fri 30 Oct 2026 (day 0);
    # 8 weeks = 56 days -> Fri 25 Dec 2026, Christmas Day: a period in weeks does not
    # move, so it ends 23:59:59 GMT on 25 Dec. With weeks_move it moves to Tue 29 Dec.
    received = utc(2026, 10, 30, 10, 0)
    fca = deadline(received, "8w", UK, Counting())
    assert fca.end_day == dt.date(2026, 12, 25)
    assert fca.ends_utc == utc(2026, 12, 25, 23, 59, 59)
    assert deadline(received, "8w", UK, Counting(weeks_move=True)).end_day == dt.date(2026, 12, 29)


def test_housing_ombudsman_stage_1_acknowledge_then_answer() -> None:
    # Housing Ombudsman Code: stage 1 acknowledged within 5wd of receipt, answered within
    # 10wd of the acknowledgment. Received Mon 21 Dec 2026 14:00 (day 0).
    # Ack: Tue 22 (1), Wed 23 (2), Thu 24 (3), [Fri 25, Mon 28 holidays] Tue 29 (4),
    # Wed 30 Dec (5). Acknowledged Wed 30 Dec 10:00 (day 0). Answer 10wd: Thu 31 (1),
    # [Fri 1 Jan] Mon 4 (2), Tue 5 (3), Wed 6 (4), Thu 7 (5), Fri 8 (6), Mon 11 (7),
    # Tue 12 (8), Wed 13 (9), Thu 14 Jan 2027 (10).
    ack = deadline(utc(2026, 12, 21, 14, 0), "5wd", UK, Counting())
    assert ack.end_day == dt.date(2026, 12, 30)
    answer = deadline(utc(2026, 12, 30, 10, 0), "10wd", UK, Counting(), anchor_name="acknowledged")
    assert answer.end_day == dt.date(2027, 1, 14)
    assert answer.steps == (
        "acknowledged Wednesday 30 December 2026 at 10:00",
        "Wednesday 30 December 2026 is day 0",
        "10 working days later is Thursday 14 January 2027",
        "the deadline is the end of the day: Thu 14 Jan 2027 23:59:59 GMT",
    )


def test_fca_payment_services_15_and_35_business_days() -> None:
    # DISP 1.6.2A: 15 business days, 35 with a holding reply. Received Mon 15 Mar 2027
    # 11:00 (day 0). Business days: Tue 16 (1) .. Fri 19 (4), Mon 22 (5) .. Thu 25 (8),
    # [Good Friday 26, Easter Monday 29] Tue 30 (9), Wed 31 (10), Thu 1 Apr (11),
    # Fri 2 (12), Mon 5 (13), Tue 6 (14), Wed 7 Apr (15).
    # 35: Wed 7 Apr is 15; +20 business days = four weeks of five -> Wed 5 May... but
    # Mon 3 May 2027 is the Early May bank holiday, so one more: Thu 6 May (35).
    received = utc(2027, 3, 15, 11, 0)
    assert deadline(received, "15bd", UK, Counting()).end_day == dt.date(2027, 4, 7)
    assert deadline(received, "35bd", UK, Counting()).end_day == dt.date(2027, 5, 6)


def test_extensions_follow_the_policy() -> None:
    # Extension of 5wd from Wed 6 Jan 2027: Thu 7, Fri 8, Mon 11, Tue 12, Wed 13 Jan.
    base = deadline(utc(2026, 12, 26, 11, 0), "5wd", UK, Counting())
    allowed = Counting(extensions=True, extension_cap=8)
    longer = extend(base, "5wd", "awaiting a contractor's report", allowed)
    assert longer.end_day == dt.date(2027, 1, 13)
    with pytest.raises(InvalidInput, match="^by: the policy allows no extension"):
        extend(base, "5wd", "why", Counting())
    with pytest.raises(InvalidInput, match="^reason:"):
        extend(base, "5wd", " ", allowed)
    with pytest.raises(InvalidInput, match="cap of 8"):
        extend(longer, "4wd", "again", allowed)  # 5 + 4 = 9 > 8
    with pytest.raises(InvalidInput, match="^by: extensions are counted in working days"):
        extend(base, "2w", "why", allowed)


def test_stage_counting_overrides_the_section() -> None:
    policy = load_policy_text(
        POLICY
        + """
complaints:
  how_to_complain: Tell us.
  counting: {cutoff: "17:00", ends_at: close_of_business}
  stages:
    - {id: s1, name: One, owner_role: agent, within: 10wd, clock: uk,
       counting: {ends_at: end_of_day}}
staff:
  roles: [{id: agent, name: Agent, responsibilities: [Answer.]}]
"""
    ).policy
    assert policy.complaints is not None
    stage = policy.complaints.stages[0]
    counting = merged(policy.complaints.counting, stage.counting)
    assert counting.cutoff == "17:00"
    assert counting.ends_at == "end_of_day"


def test_bad_counting_value_is_reported_with_its_place() -> None:
    # POLICY is 14 lines after its leading newline; "counting:" is line 16 of the text,
    # the value "midnight" starts at column 23.
    with pytest.raises(PolicyError) as error:
        load_policy_text(
            POLICY + "\ncomplaints:\n  how_to_complain: Tell us.\n  counting: {ends_at: midnight}\n"
        )
    assert "<policy>:16:23: error P201 complaints.counting.ends_at: 'midnight'" in str(error.value)
    assert "use one of: end_of_day, close_of_business" in str(error.value)


def test_cap_without_extensions_is_an_error() -> None:
    with pytest.raises(PolicyError, match="extension_cap is set but extensions is false"):
        load_policy_text(
            POLICY + "\ncomplaints:\n  how_to_complain: Tell us.\n  counting: {extension_cap: 10}\n"
        )


def test_on_the_24x7_clock_every_day_is_a_working_day() -> None:
    # Received Sat 26 Dec 2026 10:00 (day 0) on 24x7: 5wd -> Thu 31 Dec, holidays and
    # weekends counted; close of business has no meaning, so the end of the day.
    d = deadline(utc(2026, 12, 26, 10, 0), "5wd", OpeningHours.always(), Counting())
    assert d.end_day == dt.date(2026, 12, 31)
    assert d.ends_utc == utc(2026, 12, 31, 23, 59, 59)


def test_a_day_closing_at_midnight_is_still_that_day() -> None:
    # Open 18:00-24:00 Mon-Fri. Received Mon 7 Dec 2026 19:00 (day 0); 1wd -> Tue 8 Dec,
    # whose close is 24:00 = Wed 9 Dec 00:00 GMT, counted as Tuesday's close of business.
    late = OpeningHours(
        "Europe/London", {d: [("18:00", "24:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
    )
    d = deadline(utc(2026, 12, 7, 19, 0), "1wd", late, Counting(ends_at="close_of_business"))
    assert d.end_day == dt.date(2026, 12, 8)
    assert d.ends_utc == utc(2026, 12, 9, 0, 0)


@pytest.mark.parametrize("bad", ["10", "0wd", "1.5wd", "10 fortnights", "4h"])
def test_a_limit_that_is_not_whole_days_names_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput, match="^limit: .* is not a time limit; write whole days"):
        deadline(utc(2026, 12, 7, 10, 0), bad, UK, Counting())


def test_a_naive_anchor_is_refused() -> None:
    with pytest.raises(InvalidInput, match="^anchor: the instant has no timezone"):
        deadline(dt.datetime(2026, 12, 7, 10, 0), "5wd", UK, Counting())


def test_a_bad_cutoff_says_how_to_write_a_time() -> None:
    # "25:00" is no clock time; the message says how to write one, not a pattern.
    # Line 16; "  counting: {cutoff: " is 21 characters, so the value starts at column 22.
    with pytest.raises(PolicyError) as error:
        load_policy_text(
            POLICY + "\ncomplaints:\n  how_to_complain: Tell us.\n  counting: {cutoff: '25:00'}\n"
        )
    assert (
        "<policy>:16:22: error P201 complaints.counting.cutoff: '25:00' is not a time. "
        "Fix: write HH:MM in 24-hour time, e.g. 17:00"
    ) in str(error.value)


def test_a_closed_day_is_never_working_day_1() -> None:
    # Received Sat 26 Dec 2026, counted from its own day, as day 1. Saturday is closed,
    # so the first working day, Tue 29 Dec, is working day 1: 1wd ends Tue 29 Dec (not on
    # the Saturday itself), 2wd on Wed 30 Dec.
    counting = Counting(closed_day_receipt="same_day", anchor_day="day_1")
    saturday = utc(2026, 12, 26, 11, 0)
    assert deadline(saturday, "1wd", UK, counting).end_day == dt.date(2026, 12, 29)
    two = deadline(saturday, "2wd", UK, counting)
    assert two.end_day == dt.date(2026, 12, 30)
    assert two.steps[1] == (
        "Saturday 26 December 2026 is not a working day: the next working day is day 1"
    )
