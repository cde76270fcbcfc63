"""Return and refund decisions: every window, check and refund worked out by hand.

The warehouse calendar (as in the example policy) opens Monday to Friday 07:00-22:00
Europe/London and closes on England's bank holidays:

    Dec 2026  Fri 11 W ... Thu 24 W  Fri 25 - (Christmas)  Sat 26 -  Sun 27 -
              Mon 28 - (Boxing Day, substitute)  Tue 29 W  Wed 30 W  Thu 31 W
    Mar 2027  Thu 25 W  Fri 26 - (Good Friday)  Sat 27 -  Sun 28 - (clocks go to BST)
              Mon 29 - (Easter Monday)  Tue 30 W  Wed 31 W
    Apr 2027  Thu 1 W  Fri 2 W  Sat 3 -  Sun 4 -  Mon 5 W

A window counts from its anchor as day 0 (EU 1182/71) and ends at 23:59:59 local on its
last day; without a calendar every day counts, in UTC.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import yaml

from charter.decisions.returns import (
    ReturnRequest,
    decide_return,
    refund_terms,
    return_categories,
    return_reasons,
)
from charter.errors import InvalidInput
from charter.policy import load_policy_text
from charter.policy.schema import Policy

WAREHOUSE = {
    "id": "warehouse",
    "timezone": "Europe/London",
    "weekly": {day: ["07:00-22:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": {"country": "GB", "subdivision": "ENG"},
}
BASE: dict[str, Any] = {
    "window_days": 14,
    "conditions": [{"id": "unused", "text": "Items are unused."}],
    "exclusions": [
        {"id": "hygiene", "text": "Opened bedding cannot be returned.", "categories": ["bedding"]}
    ],
    "reasons": [
        {"id": "changed_mind", "text": "Changed my mind"},
        {"id": "faulty", "text": "Faulty", "bypasses_window": True},
    ],
    "refund": {"method": "original_payment", "within": "14d"},
}


def make_policy(**returns: Any) -> Policy:
    section = {**BASE, **returns}
    document = {
        "organisation": {"name": "Acme", "mission": "Delight"},
        "calendars": [WAREHOUSE],
        "returns": section,
    }
    return load_policy_text(yaml.safe_dump(document)).policy


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def ask(policy: Policy, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "ordered_at": at("2026-12-01T10:00+00:00"),
        "delivered_at": at("2026-12-03T10:00+00:00"),
        "category": "toys",
        "reason": "changed_mind",
        "asked_at": at("2026-12-05T10:00+00:00"),
    }
    return decide_return(policy, ReturnRequest(**{**values, **overrides}))


@pytest.mark.parametrize(
    ("closed_day_end", "ends", "outcome"),
    [
        # Delivered Fri 11 Dec (day 0) + 14 days = Fri 25 Dec, Christmas, closed. Moving:
        # Sat 26, Sun 27 and Mon 28 (Boxing Day's substitute) are closed too, so Tue 29
        # Dec 23:59:59 GMT. Asked Mon 28 Dec noon: within.
        ("next_working_day", "2026-12-29T23:59:59+00:00", "allowed"),
        # Staying: Fri 25 Dec 23:59:59 GMT; Mon 28 Dec is after it.
        ("stays", "2026-12-25T23:59:59+00:00", "refused"),
    ],
)
def test_christmas_window_in_days_moves_off_closed_days_only_when_the_policy_says(
    closed_day_end: str, ends: str, outcome: str
) -> None:
    policy = make_policy(calendar="warehouse", counting={"closed_day_end": closed_day_end})
    decision = ask(
        policy,
        ordered_at=at("2026-12-09T10:00+00:00"),
        delivered_at=at("2026-12-11T10:00+00:00"),
        asked_at=at("2026-12-28T12:00+00:00"),
    )
    assert decision.window_ends_utc == at(ends)
    assert decision.outcome == outcome
    assert decision.clauses[0].id == "returns"


@pytest.mark.parametrize(
    ("unit", "ends", "outcome"),
    [
        # Delivered Thu 25 Mar 2027 (day 0). Working days: Fri 26 (Good Friday), Sat 27,
        # Sun 28, Mon 29 (Easter Monday) closed; Tue 30 (1), Wed 31 (2), Thu 1 Apr (3),
        # Fri 2 (4), Mon 5 (5). End Mon 5 Apr 23:59:59 BST = 22:59:59 UTC.
        ("working_days", "2027-04-05T22:59:59+00:00", "allowed"),
        # In calendar days: Thu 25 + 5 = Tue 30 Mar, a working day, 23:59:59 BST.
        ("days", "2027-03-30T22:59:59+00:00", "refused"),
    ],
)
def test_easter_window_in_working_days_skips_good_friday_and_easter_monday(
    unit: str, ends: str, outcome: str
) -> None:
    policy = make_policy(window_days=5, window_unit=unit, calendar="warehouse")
    decision = ask(
        policy,
        ordered_at=at("2027-03-22T10:00+00:00"),
        delivered_at=at("2027-03-25T10:00+00:00"),
        asked_at=at("2027-04-01T12:00+01:00"),
    )
    assert decision.window_ends_utc == at(ends)
    assert decision.window_ends_local is not None
    assert decision.window_ends_local.utcoffset() == dt.timedelta(hours=1)  # BST
    assert decision.outcome == outcome


@pytest.mark.parametrize(
    ("starts", "ends", "outcome"),
    [
        # Last parcel Thu 10 Dec (day 0) + 14 = Thu 24 Dec 23:59:59 UTC; asked Sun 20: in.
        ("last_delivery", "2026-12-24T23:59:59+00:00", "allowed"),
        # From this item's own delivery, Thu 3 Dec + 14 = Thu 17 Dec: Sun 20 is after.
        ("delivery", "2026-12-17T23:59:59+00:00", "refused"),
    ],
)
def test_split_order_window_counts_from_the_last_delivery(
    starts: str, ends: str, outcome: str
) -> None:
    policy = make_policy(window_starts=starts)
    decision = ask(
        policy,
        item_delivered_at=at("2026-12-03T10:00+00:00"),
        delivered_at=at("2026-12-10T10:00+00:00"),
        asked_at=at("2026-12-20T10:00+00:00"),
    )
    assert (decision.window_ends_utc, decision.outcome) == (at(ends), outcome)


def test_excluded_category_is_refused_citing_its_exclusion_with_its_text() -> None:
    decision = ask(make_policy(), category="Bedding")
    assert decision.outcome == "refused"
    assert decision.clauses[0].id == "returns.exclusions.hygiene"
    assert decision.clauses[0].text == "Opened bedding cannot be returned."
    assert decision.refund is None


@pytest.mark.parametrize(
    ("order", "deciding"),
    [
        # Bedding asked after the window (Dec 3 + 14 = Dec 17; asked Dec 30) with an unmet
        # condition fails all three checks: the first in the order decides.
        (["exclusions", "window", "conditions"], "returns.exclusions.hygiene"),
        (["window", "exclusions", "conditions"], "returns"),
        (["conditions", "window", "exclusions"], "returns.conditions.unused"),
    ],
)
def test_check_order_decides_which_clause_refuses(order: list[str], deciding: str) -> None:
    decision = ask(
        make_policy(check_order=order),
        category="bedding",
        asked_at=at("2026-12-30T10:00+00:00"),
        unmet_conditions=("unused",),
    )
    assert decision.outcome == "refused"
    assert decision.clauses[0].id == deciding


@pytest.mark.parametrize(
    ("reason", "outcome", "cited"),
    [
        # Asked 1 Feb 2027, long after Dec 17: faulty goods are not bound by the window.
        ("faulty", "allowed", "returns"),
        ("changed_mind", "refused", "returns"),
    ],
)
def test_faulty_reason_bypasses_the_window(reason: str, outcome: str, cited: str) -> None:
    decision = ask(make_policy(), reason=reason, asked_at=at("2027-02-01T10:00+00:00"))
    assert (decision.outcome, decision.clauses[0].id) == (outcome, cited)
    if outcome == "allowed":
        assert "returns.reasons.faulty" in [c.id for c in decision.clauses]


@pytest.mark.parametrize(("needs", "outcome"), [(True, "needs_approval"), (False, "allowed")])
def test_category_rule_asks_for_approval(needs: bool, outcome: str) -> None:
    rule = {"id": "big-items", "category": "furniture", "needs_approval": needs}
    decision = ask(make_policy(categories=[rule]), category="furniture")
    assert decision.outcome == outcome
    if needs:
        assert decision.clauses[0].id == "returns.categories.big-items"
        assert decision.refund is not None  # the terms if approved


def test_category_rule_gives_a_longer_window() -> None:
    # Toys get 30 days: Dec 3 + 30 = Sat 2 Jan 2027 23:59:59 UTC; asked Dec 30: in time.
    rule = {"id": "toys-christmas", "category": "toys", "window_days": 30}
    decision = ask(make_policy(categories=[rule]), asked_at=at("2026-12-30T10:00+00:00"))
    assert decision.window_ends_utc == at("2027-01-02T23:59:59+00:00")
    assert decision.outcome == "allowed"
    assert decision.clauses[0].id == "returns.categories.toys-christmas"


@pytest.mark.parametrize(
    ("rounding", "fee", "amount"),
    [
        # 15% of 19.99 = 2.9985: half up to 3.00 (refund 16.99); down to 2.99 (17.00).
        ("half_up", Decimal("3.00"), Decimal("16.99")),
        ("down", Decimal("2.99"), Decimal("17.00")),
    ],
)
def test_restocking_fee_of_15_percent_on_19_99_is_rounded_as_the_policy_says(
    rounding: str, fee: Decimal, amount: Decimal
) -> None:
    policy = make_policy(fees="restocking_fee", restocking_fee="15%", fee_rounding=rounding)
    decision = ask(policy, price=Decimal("19.99"))
    assert decision.refund is not None
    assert (decision.refund.fee, decision.refund.amount) == (fee, amount)
    assert decision.refund.fee_share == pytest.approx(0.15)


@pytest.mark.parametrize(
    ("counts_from", "due"),
    [
        # Evidence of posting Mon 7 Dec, item received Thu 10 Dec; 14 days on 24x7 from
        # the earlier (Dec 7, day 0) = Mon 21 Dec 23:59:59 UTC.
        ("earlier_of_received_or_evidence", "2026-12-21T23:59:59+00:00"),
        # From receipt only: Dec 10 + 14 = Thu 24 Dec 23:59:59 UTC.
        ("received", "2026-12-24T23:59:59+00:00"),
    ],
)
def test_refund_due_counts_from_the_earlier_of_evidence_and_receipt(
    counts_from: str, due: str
) -> None:
    refund = {"method": "original_payment", "within": "14d", "counts_from": counts_from}
    terms = refund_terms(make_policy(refund=refund), Decimal("10.00"))
    received, evidence = at("2026-12-10T15:00+00:00"), at("2026-12-07T09:00+00:00")
    assert terms.due(received_back_at=received, evidence_at=evidence) == at(due)
    assert terms.amount == Decimal("10.00")


def test_refund_due_wording_names_its_anchor() -> None:
    terms = refund_terms(make_policy(), None)
    assert terms.due_by == (
        "within 14 days of the earlier of receiving the item back or evidence of its return"
    )


@pytest.mark.parametrize(
    ("informed", "extension", "ends", "outcome"),
    [
        # Delivered Dec 1 2026 + 14 = Tue 15 Dec 2026 23:59:59 UTC; asked 1 Jun 2027.
        (True, True, "2026-12-15T23:59:59+00:00", "refused"),
        # Not told of the right: 12 months more, Wed 15 Dec 2027 23:59:59 UTC.
        (False, True, "2027-12-15T23:59:59+00:00", "allowed"),
        # A policy that turns the extension off keeps the 14 days.
        (False, False, "2026-12-15T23:59:59+00:00", "refused"),
    ],
)
def test_not_informed_of_the_right_adds_twelve_months(
    informed: bool, extension: bool, ends: str, outcome: str
) -> None:
    policy = make_policy(not_informed_extension=extension)
    decision = ask(
        policy,
        delivered_at=at("2026-12-01T12:00+00:00"),
        asked_at=at("2027-06-01T10:00+00:00"),
        informed_of_right=informed,
    )
    assert (decision.window_ends_utc, decision.outcome) == (at(ends), outcome)


def test_unmet_condition_is_refused_citing_the_condition() -> None:
    decision = ask(make_policy(), unmet_conditions=("unused",))
    assert decision.outcome == "refused"
    assert decision.clauses[0].id == "returns.conditions.unused"
    assert decision.clauses[0].text == "Items are unused."


def test_window_by_purchase_counts_from_the_order() -> None:
    # Ordered Dec 1 + 14 = Dec 15 23:59:59 UTC, whatever the delivery.
    decision = ask(make_policy(window_starts="purchase"))
    assert decision.window_ends_utc == at("2026-12-15T23:59:59+00:00")


def test_not_yet_delivered_has_no_window_end_and_is_allowed() -> None:
    decision = ask(make_policy(), delivered_at=None)
    assert (decision.outcome, decision.window_ends_utc) == ("allowed", None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "bored"}, "reason"),
        ({"category": " "}, "category"),
        ({"unmet_conditions": ("clean",)}, "unmet"),
        ({"price": Decimal("-1")}, "price"),
        ({"ordered_at": dt.datetime(2026, 12, 1, 10)}, "ordered"),
        ({"delivered_at": at("2026-11-01T10:00+00:00")}, "delivered"),
        ({"asked_at": at("2026-11-01T10:00+00:00")}, "asked"),
    ],
)
def test_bad_input_names_its_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        ask(make_policy(), **overrides)
    assert caught.value.details[0]["field"] == field


def test_reasons_and_categories_for_forms() -> None:
    rule = {"id": "big-items", "category": "furniture", "needs_approval": True}
    policy = make_policy(categories=[rule])
    assert return_reasons(policy) == [("changed_mind", "Changed my mind"), ("faulty", "Faulty")]
    assert return_categories(policy) == ["bedding", "furniture"]


def test_every_answer_cites_clauses_with_the_version() -> None:
    request = ReturnRequest(
        at("2026-12-01T10:00+00:00"), at("2026-12-03T10:00+00:00"), "toys", "changed_mind",
        asked_at=at("2026-12-05T10:00+00:00"),
    )  # fmt: skip
    decision = decide_return(make_policy(), request, version="v3")
    assert decision.outcome == "allowed"
    assert [c.id for c in decision.clauses] == ["returns", "returns.reasons.changed_mind"]
    assert {c.version for c in decision.clauses} == {"v3"}
    assert decision.clauses[0].text == "Items can be returned within 14 days of delivery."
    assert any("day 0" in step for step in decision.steps)


def test_refund_due_over_christmas_2031_counts_that_years_bank_holidays() -> None:
    # Evidence of return Wed 24 Dec 2031 (day 0); 5 working days on the warehouse
    # calendar: Thu 25 (Christmas) and Fri 26 (Boxing Day) closed, Sat 27, Sun 28; Mon 29
    # (1), Tue 30 (2), Wed 31 (3), Thu 1 Jan 2032 closed (New Year), Fri 2 (4), Mon 5 (5).
    refund = {"method": "original_payment", "within": "5wd", "clock": "warehouse"}
    decision = ask(
        make_policy(refund=refund),
        ordered_at=at("2031-12-01T10:00+00:00"),
        delivered_at=at("2031-12-03T10:00+00:00"),
        asked_at=at("2031-12-05T10:00+00:00"),
    )
    assert decision.refund is not None
    due = decision.refund.due(evidence_at=at("2031-12-24T10:00+00:00"))
    assert due == at("2032-01-05T23:59:59+00:00")


def test_reason_needing_approval_makes_the_answer_wait_for_it() -> None:
    reasons = [{"id": "changed_mind", "text": "Changed my mind", "needs_approval": True}]
    decision = ask(make_policy(reasons=reasons))
    assert decision.outcome == "needs_approval"
    assert decision.clauses[0].id == "returns.reasons.changed_mind"


def test_a_faulty_item_pays_no_restocking_fee_when_its_reason_waives_it() -> None:
    # 15 % restocking fee on £19.99 is £3.00 (half up) for a change of mind; a faulty
    # item's reason waives it, so the refund is the whole £19.99, and the reason is cited.
    reasons = [
        {"id": "changed_mind", "text": "Changed my mind"},
        {"id": "faulty", "text": "Faulty", "bypasses_window": True, "waives_fees": True},
    ]
    policy = make_policy(fees="restocking_fee", restocking_fee="15%", reasons=reasons)
    minded = ask(policy, price=Decimal("19.99"))
    faulty = ask(policy, price=Decimal("19.99"), reason="faulty")
    assert (minded.refund.fee, minded.refund.amount) == (Decimal("3.00"), Decimal("16.99"))
    assert (faulty.refund.fee, faulty.refund.amount) == (Decimal("0.00"), Decimal("19.99"))
    assert faulty.refund.fee_share == 0.0
    assert any("no restocking fee" in step for step in faulty.steps)
    cited = {c.id: c.text for c in faulty.clauses}
    assert cited["returns.reasons.faulty"] == (
        "Faulty (not bound by the return window; no restocking fee)"
    )
