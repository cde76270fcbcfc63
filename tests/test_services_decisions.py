"""Deciding and recording: the version a decision is taken under (the one in force at
the order, else the one in force when asked), what is kept, the listing, the export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from charter import clock
from charter.errors import Conflict, InvalidInput, NotFound
from charter.services import decisions, refunds
from charter.services.lifecycle import edit_draft, new_draft, transition
from charter.store import Database
from support import EXAMPLE_TEXT
from support.decisions import publish_returns
from support.seed import SLUG, principal_of, publish_example

V1_AT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
V2_AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
ASKED = dt.datetime(2026, 12, 7, 11, tzinfo=dt.UTC)
# Version 2 takes a day longer to dispatch UK standard orders.
V2_TEXT = EXAMPLE_TEXT.replace("handling_days: {min: 0, max: 1}", "handling_days: {min: 0, max: 2}")


def _two_versions(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: V1_AT)
    seeded = publish_example(database)
    draft = new_draft(database, SLUG, seeded.author)
    edit_draft(database, SLUG, draft.number, seeded.author, text=V2_TEXT, change_summary="Slower")
    transition(database, SLUG, draft.number, "submit", seeded.author)
    transition(database, SLUG, draft.number, "approve", seeded.reviewer)
    monkeypatch.setattr(clock, "now", lambda: V2_AT)
    transition(database, SLUG, draft.number, "publish", seeded.author)
    monkeypatch.setattr(clock, "now", lambda: ASKED)


def _ask(database: Database, ordered: dt.datetime, **more: object) -> decisions.Recorded:
    who = principal_of(database, "agent")
    return decisions.decide_delivery(
        database, who, ordered_at=ordered, region="UK mainland", method="standard", **more
    )  # type: ignore[arg-type]


def test_delivery_story_is_decided_under_the_version_in_force_at_the_order(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_versions(database, monkeypatch)
    # Ordered Mon 16 Nov 2026 10:00 UTC (10:00 GMT), under version 1 (handling 0-1,
    # transit 2-3): day 0 Mon 16, dispatch by Tue 17, delivered by Tue 17 + 3 working
    # days = Fri 20 Nov. Version 2 would say Wed 18 and Mon 23.
    found = _ask(database, dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC), ticket_ref="T-88")
    assert (found.version_label, found.version_basis) == (f"{SLUG} version 1", "order")
    assert found.answer["dispatch_by"] == "2026-11-17"
    assert found.answer["delivered_by"] == "2026-11-20"
    assert found.outcome == "promised"
    assert [c.id for c in found.clauses] == ["delivery.delivery-uk-standard"]
    assert "dispatched within 0 to 1 working days" in found.clauses[0].text
    # Ordered Mon 7 Dec 10:00 under version 2: dispatch by Wed 9, delivered by Mon 14.
    later = _ask(database, dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC))
    assert (later.version_label, later.version_basis) == (f"{SLUG} version 2", "order")
    assert (later.answer["dispatch_by"], later.answer["delivered_by"]) == (
        "2026-12-09",
        "2026-12-14",
    )
    assert later.content_hash != found.content_hash


def test_delivery_story_before_any_version_is_decided_under_the_current_one(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_versions(database, monkeypatch)
    # Ordered Mon 12 Oct 2026, before version 1 took effect: version 2 (in force when
    # asked) decides: dispatch by Wed 14 Oct, delivered by Wed 14 + 3 = Mon 19 Oct.
    found = _ask(database, dt.datetime(2026, 10, 12, 10, tzinfo=dt.UTC))
    assert (found.version_label, found.version_basis) == (f"{SLUG} version 2", "current")
    assert (found.answer["dispatch_by"], found.answer["delivered_by"]) == (
        "2026-10-14",
        "2026-10-19",
    )
    assert "none was in force at the order" in found.basis_words


def test_late_delivery_story_is_recorded_with_who_asked_and_the_clause_it_broke(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_versions(database, monkeypatch)
    # Ordered Mon 16 Nov 10:00 (due Fri 20 Nov), delivered Tue 24 Nov: late by the
    # working days Mon 23 and Tue 24 = 2.
    made = _ask(
        database,
        dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC),
        delivered_at=dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC),
        order_ref="ORD-7",
    )
    found = decisions.decision(database, made.id)
    assert (found.outcome, found.answer["working_days_late"]) == ("late", 2)
    assert (found.asked_at, found.asked_via, found.order_ref) == (ASKED, "cli", "ORD-7")
    assert found.asked_by_name == made.asked_by_name != ""
    assert found.inputs["delivered_at"] == "2026-11-24T09:00:00+00:00"


def test_listing_filters_and_pages_newest_first(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_versions(database, monkeypatch)
    first = _ask(database, dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC), ticket_ref="T-1")
    monkeypatch.setattr(clock, "now", lambda: ASKED + dt.timedelta(days=1))
    second = _ask(database, dt.datetime(2026, 11, 17, 10, tzinfo=dt.UTC))
    every = decisions.read_filter(ASKED)
    assert [d.id for d in decisions.decisions(database, every).decisions] == [second.id, first.id]
    one = decisions.decisions(database, every, page=2, limit=1)
    assert ([d.id for d in one.decisions], one.total, one.pages) == ([first.id], 2, 2)
    by_ticket = decisions.read_filter(ASKED, ticket_ref="T-1")
    assert [d.id for d in decisions.decisions(database, by_ticket).decisions] == [first.id]
    # until is a UTC date, included: 7 Dec keeps the one asked on 7 Dec, not the 8th's.
    on_7th = decisions.read_filter(ASKED, since="2026-12-07", until="2026-12-07")
    assert [d.id for d in decisions.decisions(database, on_7th).decisions] == [first.id]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("kind", "refund", "kind: 'refund' is not one of delivery, return"),
        ("outcome", "maybe", "outcome: 'maybe' is not one of"),
        ("since", "7/12/2026", "since: '7/12/2026' is not a date; write it as 2026-12-07"),
        ("asked_by", "ann", "asked_by: 'ann' is not an account id"),
        ("refund", "soon", "refund: 'soon' is not one of on_time, late, overdue"),
        ("ticket_ref", "x" * 101, "ticket_ref: "),
    ],
)
def test_a_bad_filter_is_refused_naming_its_field(field: str, value: str, words: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        decisions.read_filter(ASKED, **{field: value})
    assert str(raised.value).startswith(words)
    assert raised.value.details[0]["field"] == field


def test_export_story_writes_formula_safe_csv_lines(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_versions(database, monkeypatch)
    _ask(database, dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC), ticket_ref="=HYPERLINK(1)")
    lines = list(decisions.export_csv(database, decisions.read_filter(ASKED)))
    assert lines[0].startswith("id,kind,asked_at,asked_by,")
    assert len(lines) == 2
    # A reference a spreadsheet would run is written as text, with a leading quote.
    assert ",'=HYPERLINK(1)," in lines[1]
    assert "delivery.delivery-uk-standard" in lines[1]


def test_nothing_in_force_is_refused(database: Database) -> None:
    with pytest.raises(NotFound, match="no policy version is in force"):
        _ask(database, ASKED)
    with pytest.raises(NotFound, match="no decision 9"):
        decisions.decision(database, 9)


def test_refund_kpi_share_is_paid_on_time_over_all_judged() -> None:
    # 3 on time, 1 late, 0 overdue: 3 / 4 = 75 %.
    assert refunds.RefundKpi(3, 1, 0, ASKED).share == 0.75
    assert refunds.RefundKpi(0, 0, 0, ASKED).share is None


def _return(database: Database, **more: object) -> decisions.Recorded:
    question: dict[str, object] = {
        "ordered_at": dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC),
        "delivered_at": dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
        "category": "lamps", "reason": "changed_mind", "price": Decimal("49.99"),
    } | more  # fmt: skip
    return decisions.decide_return(database, principal_of(database, "agent"), **question)  # type: ignore[arg-type]


def test_return_story_is_allowed_with_window_end_refund_and_clause(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    # Delivered Tue 1 Dec 2026 10:00 UTC; 30 calendar days, the delivery's day is day 0:
    # the window ends at the end of Thu 31 Dec 2026. Asked 7 Dec: inside it, allowed.
    # Refund: 49.99 less a 10 % fee of 4.999, rounded half up to 5.00: 44.99.
    found = _return(database, ticket_ref="ZD-51")
    assert found.outcome == "allowed"
    assert found.answer["window_ends_utc"] == "2026-12-31T23:59:59+00:00"
    assert (found.answer["refund"]["fee"], found.answer["refund"]["amount"]) == ("5.00", "44.99")
    assert found.clauses[0].id == "returns"
    assert found.inputs["price"] == "49.99"
    assert (found.version_label, found.version_basis) == (f"{SLUG} version 1", "order")
    assert found.refund_due_at is None  # nothing is back yet


def test_refused_return_story_cites_the_exclusion_first_with_its_text(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    found = _return(database, category="bedding")
    assert found.outcome == "refused"
    assert found.clauses[0] == decisions.CitedClause(
        "returns.exclusions.exclusion-hygiene",
        "Opened bedding and pillows cannot be returned for hygiene reasons.",
    )
    listed = decisions.decisions(
        database, decisions.read_filter(ASKED, clause="returns.exclusions.exclusion-hygiene")
    )
    assert [d.id for d in listed.decisions] == [found.id]
    with pytest.raises(Conflict, match="a refused return has no refund"):
        refunds.record_refund(database, found.id, paid_at=ASKED)


def test_refund_story_due_follows_the_earlier_of_goods_or_evidence(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    made = _return(database)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 23, 12, tzinfo=dt.UTC))
    # Goods back Tue 8 Dec 09:00: 14 days, day 0 not counted: due at the end of Tue 22 Dec.
    back = refunds.record_refund(
        database, made.id, received_back_at=dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC)
    )
    assert back.refund_due_at == dt.datetime(2026, 12, 22, 23, 59, 59, tzinfo=dt.UTC)
    # Evidence of return on Mon 7 Dec 15:00, earlier: due at the end of Mon 21 Dec.
    evidence = refunds.record_refund(
        database, made.id, evidence_at=dt.datetime(2026, 12, 7, 15, tzinfo=dt.UTC)
    )
    assert evidence.refund_due_at == dt.datetime(2026, 12, 21, 23, 59, 59, tzinfo=dt.UTC)
    assert evidence.received_back_at == dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC)  # kept


def test_refund_kpi_story_counts_paid_on_time_late_and_overdue(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    made = [_return(database) for _ in range(3)]
    _return(database, category="bedding")  # refused: no refund to count
    now = dt.datetime(2026, 12, 23, 12, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: now)
    back = dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC)  # each due at the end of 22 Dec
    paid = [dt.datetime(2026, 12, 22, 23, 59, 59, tzinfo=dt.UTC),  # at the due instant
            dt.datetime(2026, 12, 23, 10, tzinfo=dt.UTC), None]  # fmt: skip
    for decision, at in zip(made, paid, strict=True):
        refunds.record_refund(database, decision.id, received_back_at=back, paid_at=at)
    kpi = refunds.refund_kpi(database)
    # on time 1 (paid at the due instant), late 1 (the next morning), overdue 1 (unpaid
    # at 23 Dec 12:00): 1 / 3.
    assert (kpi.on_time, kpi.late, kpi.overdue) == (1, 1, 1)
    assert kpi.share == pytest.approx(1 / 3)
    overdue = decisions.read_filter(now, refund="overdue")
    assert [d.id for d in decisions.decisions(database, overdue).decisions] == [made[2].id]
