"""The regulator presets: they load, lint clean, and their stages' deadlines follow the codes.

Every deadline is counted as a complaint case counts it (``stage_clock``), through the
preset's own stage settings (its limits, what the response counts from, the section's
counting merged with the stage's, its extension cap) on the preset's own calendar:
Monday to Friday, closed on England & Wales bank holidays (2026: Mon 4 May, Mon 31 Aug,
Fri 25 Dec, Mon 28 Dec substitute; 2027: Fri 1 Jan, Good Friday 26 Mar, Easter Monday
29 Mar, Mon 3 May). Clocks change Sun 25 Oct 2026 (back) and Sun 28 Mar 2027 (forward).
Every expected value is counted by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app
from charter.decisions.complaint_clock import Extension, StageClock, stage_clock
from charter.errors import InvalidInput
from charter.hours import OpeningHours
from charter.policy import Policy, load_policy_text
from charter.policy.clock import opening_hours
from charter.policy.complaints import ComplaintStage
from charter.policy.counting import Counting, merged
from charter.policy.lint import lint
from charter.policy.presets import PRESETS, preset_text

GMT = dt.timezone(dt.timedelta(0))
BST = dt.timezone(dt.timedelta(hours=1))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def preset(name: str) -> Policy:
    return load_policy_text(preset_text(name), f"{name}.yaml").policy


class Stage:
    """A preset's stage as a complaint case counts it (``stage_clock``): its limits, what
    the response counts from, its calendar, the section's counting merged with its own."""

    def __init__(self, policy: Policy, stage_id: str) -> None:
        assert policy.complaints is not None
        found = [s for s in policy.complaints.stages if s.id == stage_id]
        assert found, stage_id
        self.stage: ComplaintStage = found[0]
        self.section: Counting | None = policy.complaints.counting
        self.counting: Counting = merged(self.section, self.stage.counting)
        self.calendar: OpeningHours = opening_hours(
            policy, self.stage.clock, years=range(2026, 2028)
        )

    def clock(
        self,
        received: dt.datetime,
        acknowledged: dt.datetime | None = None,
        *extended: tuple[int, str],
    ) -> StageClock:
        """The stage's deadlines, the response extended by each ``(days, reason)``."""
        return stage_clock(
            self.stage, self.section, self.calendar, received_at=received,
            acknowledged_at=acknowledged,
            extensions=[Extension("response", days, why) for days, why in extended],
        )  # fmt: skip


HOUSING = preset("housing-ombudsman")
FCA = preset("fca-disp")


# Both presets ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_preset_loads_and_lints_with_no_findings(name: str) -> None:
    loaded = load_policy_text(preset_text(name), f"{name}.yaml")
    assert [d.render() for d in lint(loaded, today=dt.date(2026, 12, 7))] == []


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_charter_init_preset_writes_the_preset_which_lints_clean(name: str, tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    runner = CliRunner()
    result = runner.invoke(app, ["init", str(path), "--preset", name])
    assert result.exit_code == 0, result.output
    assert path.read_text("utf-8") == preset_text(name)
    linted = runner.invoke(app, ["lint", str(path), "--fail-on", "info", "--today", "2026-12-07"])
    assert linted.exit_code == 0, linted.output
    assert "no findings" in linted.output


def test_charter_init_with_an_unknown_preset_names_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    result = CliRunner().invoke(app, ["init", str(path), "--preset", "ofgem"])
    assert result.exit_code == 2
    assert "--preset: 'ofgem' is not a preset; use one of: housing-ombudsman, fca-disp" in (
        result.output
    )
    assert not path.exists()


def test_an_unknown_preset_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="^preset: 'hos' is not a preset; use one of: fca-"):
        preset_text("hos")


# Housing Ombudsman's Complaint Handling Code --------------------------------------------


def test_housing_stages_follow_the_code() -> None:
    one, two = Stage(HOUSING, "stage-1"), Stage(HOUSING, "stage-2")
    assert (one.stage.respond_from, two.stage.respond_from) == ("acknowledgment",) * 2
    assert (one.stage.different_handler, two.stage.different_handler) == (False, True)
    assert (one.counting.extension_cap, two.counting.extension_cap) == (10, 20)
    assert one.counting.extensions and one.counting.extension_reason


def test_housing_stage_1_across_the_august_bank_holiday_answers_from_the_acknowledgment() -> None:
    # Received Wed 26 Aug 2026 11:00 BST (day 0). Acknowledge within 5wd: Thu 27 (1),
    # Fri 28 (2), [Sat 29, Sun 30, Mon 31 Aug bank holiday] Tue 1 Sep (3), Wed 2 (4),
    # Thu 3 Sep (5): 23:59:59 BST = 22:59:59 UTC.
    # Acknowledged Tue 1 Sep 10:00 BST (day 0). Answer within 10wd of that: Wed 2 (1),
    # Thu 3 (2), Fri 4 (3), Mon 7 (4), Tue 8 (5), Wed 9 (6), Thu 10 (7), Fri 11 (8),
    # Mon 14 (9), Tue 15 Sep (10). (Counted from receipt it would be Thu 10 Sep.)
    one = Stage(HOUSING, "stage-1")
    received, acknowledged = utc(2026, 8, 26, 10, 0), utc(2026, 9, 1, 9, 0)
    clock = one.clock(received, acknowledged)
    ack, answer = clock.acknowledge, clock.respond
    assert ack is not None
    assert ack.end_day == dt.date(2026, 9, 3)
    assert ack.ends_utc == utc(2026, 9, 3, 22, 59, 59)
    assert answer.end_day == dt.date(2026, 9, 15)
    assert answer.ends_local == dt.datetime(2026, 9, 15, 23, 59, 59, tzinfo=BST)


def test_housing_receipt_on_the_early_may_bank_holiday_counts_from_the_next_working_day() -> None:
    # Received Mon 4 May 2026 (Early May bank holiday) 10:00 BST: closed, so counting
    # starts Tue 5 May, day 0. 5wd: Wed 6 (1), Thu 7 (2), Fri 8 (3), Mon 11 (4), Tue 12 (5).
    # (Counted from the holiday itself, or with Tue 5 as day 1, it would end Mon 11 May.)
    ack = Stage(HOUSING, "stage-1").clock(utc(2026, 5, 4, 9, 0)).acknowledge
    assert ack is not None
    assert ack.first_counted_day == dt.date(2026, 5, 5)
    assert ack.end_day == dt.date(2026, 5, 12)


def test_housing_stage_1_over_christmas_extends_by_ten_working_days_and_no_more() -> None:
    # Received Thu 17 Dec 2026 15:00 GMT (day 0). Acknowledge within 5wd: Fri 18 (1),
    # Mon 21 (2), Tue 22 (3), Wed 23 (4), Thu 24 Dec (5).
    # Acknowledged Thu 24 Dec 10:00 (day 0). 10wd: [Fri 25 Christmas, Sat, Sun, Mon 28
    # Boxing Day substitute] Tue 29 (1), Wed 30 (2), Thu 31 (3), [Fri 1 Jan] Mon 4 (4),
    # Tue 5 (5), Wed 6 (6), Thu 7 (7), Fri 8 (8), Mon 11 (9), Tue 12 Jan 2027 (10).
    # Extended by the Code's 10wd: Wed 13 (1) .. Fri 15 (3), Mon 18 (4) .. Fri 22 (8),
    # Mon 25 (9), Tue 26 Jan (10). One more working day would make 11 > 10: refused.
    one = Stage(HOUSING, "stage-1")
    received, acknowledged = utc(2026, 12, 17, 15, 0), utc(2026, 12, 24, 10, 0)
    clock = one.clock(received, acknowledged)
    assert clock.acknowledge is not None
    assert clock.acknowledge.end_day == dt.date(2026, 12, 24)
    assert clock.respond.end_day == dt.date(2027, 1, 12)
    survey = (10, "awaiting the surveyor's damp report")
    longer = one.clock(received, acknowledged, survey).respond
    assert longer.end_day == dt.date(2027, 1, 26)
    assert longer.ends_local == dt.datetime(2027, 1, 26, 23, 59, 59, tzinfo=GMT)
    with pytest.raises(InvalidInput, match="11 working days of extensions .* cap of 10"):
        one.clock(received, acknowledged, survey, (1, "still waiting"))
    with pytest.raises(InvalidInput, match="^reason: an extension needs a written reason"):
        one.clock(received, acknowledged, (5, ""))


def test_housing_stage_2_over_easter_and_the_clocks_going_forward() -> None:
    # Escalation received Fri 19 Mar 2027 16:00 GMT (day 0). Acknowledge within 5wd:
    # Mon 22 (1), Tue 23 (2), Wed 24 (3), Thu 25 (4), [Good Friday 26, Sat 27, Sun 28
    # (clocks go forward), Easter Monday 29] Tue 30 Mar (5): 23:59:59 BST = 22:59:59 UTC.
    # Acknowledged Thu 25 Mar 12:00 GMT (day 0). 20wd: Tue 30 (1), Wed 31 (2), Thu 1 Apr
    # (3), Fri 2 (4), Mon 5 .. Fri 9 (5-9), Mon 12 .. Fri 16 (10-14), Mon 19 .. Fri 23
    # (15-19), Mon 26 Apr (20): 23:59:59 BST = 22:59:59 UTC.
    # The Code's 20wd extension: Tue 27 .. Fri 30 Apr (1-4), [Mon 3 May bank holiday]
    # Tue 4 .. Fri 7 (5-8), Mon 10 .. Fri 14 (9-13), Mon 17 .. Fri 21 (14-18), Mon 24 (19),
    # Tue 25 May (20). Stage 1 would refuse 20 (its cap is 10); stage 2 refuses a 21st.
    two = Stage(HOUSING, "stage-2")
    received, acknowledged = utc(2027, 3, 19, 16, 0), utc(2027, 3, 25, 12, 0)
    clock = two.clock(received, acknowledged)
    assert clock.acknowledge is not None
    assert clock.acknowledge.end_day == dt.date(2027, 3, 30)
    assert clock.acknowledge.ends_utc == utc(2027, 3, 30, 22, 59, 59)
    assert clock.respond.end_day == dt.date(2027, 4, 26)
    assert clock.respond.ends_utc == utc(2027, 4, 26, 22, 59, 59)
    survey = (20, "independent structural survey booked")
    assert two.clock(received, acknowledged, survey).respond.end_day == dt.date(2027, 5, 25)
    with pytest.raises(InvalidInput, match="cap of 20"):
        two.clock(received, acknowledged, survey, (1, "again"))
    with pytest.raises(InvalidInput, match="cap of 10"):
        Stage(HOUSING, "stage-1").clock(received, acknowledged, survey)


# FCA DISP ---------------------------------------------------------------------------------


def test_fca_conventions_follow_disp() -> None:
    payments, general = Stage(FCA, "disp-payments"), Stage(FCA, "disp-general")
    assert payments.counting.cutoff == general.counting.cutoff == "17:00"
    assert payments.counting.anchor_day == "day_0"
    assert (payments.counting.extensions, payments.counting.extension_cap) == (True, 20)
    assert general.counting.extensions is False


def test_fca_eight_weeks_ending_on_christmas_day_do_not_move() -> None:
    # DISP 1.6.2R. Received Fri 30 Oct 2026 12:00 GMT (day 0); 8 weeks = 56 days ->
    # Fri 25 Dec 2026, Christmas Day: weeks are calendar time, so the deadline stays,
    # 23:59:59 GMT. (Moved, it would be Tue 29 Dec.) No extension is allowed.
    general = Stage(FCA, "disp-general")
    received = utc(2026, 10, 30, 12, 0)
    final = general.clock(received).respond
    assert final.end_day == dt.date(2026, 12, 25)
    assert final.ends_utc == utc(2026, 12, 25, 23, 59, 59)
    assert general.clock(received).acknowledge is None  # DISP asks for a prompt one, no limit
    with pytest.raises(InvalidInput, match="^by: the policy allows no extension"):
        general.clock(received, None, (5, "more time"))


def test_fca_receipt_after_close_of_business_before_the_clocks_go_back() -> None:
    # DISP 1.5.3G. Received Fri 23 Oct 2026 17:30 BST (16:30 UTC), after the 17:00 close:
    # received Mon 26 Oct (the clocks went back on Sun 25), day 0. 8 weeks -> Mon 21 Dec
    # 2026, 23:59:59 GMT = 23:59:59 UTC. At 16:30 BST the same Friday it is day 0 itself,
    # and 8 weeks end on Fri 18 Dec.
    general = Stage(FCA, "disp-general")
    late = general.clock(utc(2026, 10, 23, 16, 30)).respond
    assert late.first_counted_day == dt.date(2026, 10, 26)
    assert late.ends_utc == utc(2026, 12, 21, 23, 59, 59)
    assert general.clock(utc(2026, 10, 23, 15, 30)).respond.end_day == dt.date(2026, 12, 18)


def test_fca_payment_services_15_business_days_over_christmas_after_the_cutoff() -> None:
    # DISP 1.6.2AR. Received Wed 23 Dec 2026 17:05 GMT, after close of business: received
    # Thu 24 Dec (day 0). 15bd: [Fri 25, Mon 28 holidays] Tue 29 (1), Wed 30 (2), Thu 31
    # (3), [Fri 1 Jan] Mon 4 .. Fri 8 (4-8), Mon 11 .. Fri 15 (9-13), Mon 18 (14),
    # Tue 19 Jan 2027 (15). (Without the cut-off: day 0 Wed 23, ending Mon 18 Jan.)
    payments = Stage(FCA, "disp-payments")
    final = payments.clock(utc(2026, 12, 23, 17, 5)).respond
    assert final.first_counted_day == dt.date(2026, 12, 24)
    assert final.end_day == dt.date(2027, 1, 19)


def test_fca_payment_services_holding_reply_to_35_business_days_over_easter() -> None:
    # Received Sat 20 Mar 2027 10:00 GMT, not a business day: received Mon 22 Mar (day 0).
    # 15bd: Tue 23 (1), Wed 24 (2), Thu 25 (3), [Good Friday 26, Easter Monday 29] Tue 30
    # (4), Wed 31 (5), Thu 1 Apr (6), Fri 2 (7), Mon 5 .. Fri 9 (8-12), Mon 12 (13),
    # Tue 13 (14), Wed 14 Apr (15): 23:59:59 BST (clocks went forward Sun 28 Mar) =
    # 22:59:59 UTC.
    # Holding reply, 20bd more (35 in all): Thu 15 (1), Fri 16 (2), Mon 19 .. Fri 23 (3-7),
    # Mon 26 .. Fri 30 (8-12), [Mon 3 May bank holiday] Tue 4 .. Fri 7 (13-16),
    # Mon 10 (17), Tue 11 (18), Wed 12 (19), Thu 13 May (20). A 21st day passes the cap.
    payments = Stage(FCA, "disp-payments")
    received = utc(2027, 3, 20, 10, 0)
    final = payments.clock(received).respond
    assert final.first_counted_day == dt.date(2027, 3, 22)
    assert final.end_day == dt.date(2027, 4, 14)
    assert final.ends_utc == utc(2027, 4, 14, 22, 59, 59)
    holding = (20, "exceptional: the payee's bank has not replied")
    assert payments.clock(received, None, holding).respond.end_day == dt.date(2027, 5, 13)
    with pytest.raises(InvalidInput, match="21 working days of extensions .* cap of 20"):
        payments.clock(received, None, holding, (1, "still waiting"))
    with pytest.raises(InvalidInput, match="^reason:"):
        payments.clock(received, None, (20, " "))
