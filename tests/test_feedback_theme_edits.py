"""Managers' decisions on the themes: kept by a theme's key, found again on each run, and
applied as pins, then merges, then names (issue 17, point 3)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from charter.feedback.theme_edits import Edits, apply, follow
from charter.feedback.themes import Comment, Pin, Theme, key_of, themes
from charter.policy import load_policy_text
from charter.policy.clauses import clauses
from charter.policy.schema import Policy
from support import EXAMPLE_TEXT
from support.comments import comments, labelled

AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
US = "My delivery to the United States took over two weeks, far longer than stated."


@cache
def example() -> Policy:
    return load_policy_text(EXAMPLE_TEXT).policy


@cache
def found() -> tuple[Theme, ...]:
    return tuple(themes(comments(), example()))


def headings() -> dict[str, str]:
    return {c.id: c.heading for c in clauses(example())}


def holding(themes_: list[Theme] | tuple[Theme, ...], comment_id: str) -> Theme:
    (theme,) = [t for t in themes_ if comment_id in t.comment_ids]
    return theme


def group_theme(themes_: list[Theme] | tuple[Theme, ...], group: str) -> Theme:
    ids = {item.comment.id for item in labelled() if item.group == group}
    return max(themes_, key=lambda t: len(ids & set(t.comment_ids)))


def us_comment() -> str:
    (found_id,) = [c.id for c in comments() if c.text == US]
    return found_id


def theme(key: str, ids: tuple[str, ...], clause: str = "returns", **kw: object) -> Theme:
    return Theme(
        id=key.replace(" / ", "-"), name=key, terms=tuple(key.split(" / ")), comment_ids=ids,
        examples=ids[:3], by_month={"2026-11": len(ids)}, clauses=((clause, 0.3),),
        weights=tuple(1.0 - n / 10 for n in range(len(ids))), key=key, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


# -- the key ----------------------------------------------------------------------------


def test_a_theme_s_key_is_its_top_three_terms_in_alphabetical_order() -> None:
    # ("wait", "live chat", "chat") sorted: "chat" < "live chat" < "wait"; the fourth
    # term and below do not count, so more comments moving them keep the key.
    assert key_of(("wait", "live chat", "chat", "answer")) == "chat / live chat / wait"
    assert key_of(("chat", "wait", "live chat", "minute", "queue")) == "chat / live chat / wait"


def test_the_labelled_themes_have_keys_made_of_their_top_three_terms_all_different() -> None:
    keys = [t.key for t in found()]
    assert len(set(keys)) == 5
    for t in found():
        assert t.key == " / ".join(sorted(t.terms[:3]))


# -- following a key to this run's theme ---------------------------------------------------


def test_a_stored_key_follows_the_same_key_first_then_a_theme_sharing_two_of_its_terms() -> None:
    now = [
        theme("chat / live chat / wait", ("a", "b")),
        theme("chat / minute / queue", ("c",)),  # shares "chat" only with the stored key
        theme("courier / late / parcel", ("d",)),
    ]
    followed = follow(now, ["chat / live chat / wait", "late / parcel / week", "phone / x / y"])
    assert followed["chat / live chat / wait"].key == "chat / live chat / wait"  # same key
    assert followed["late / parcel / week"].key == "courier / late / parcel"  # late, parcel
    assert "phone / x / y" not in followed  # shares nothing: the decision waits


def test_a_theme_kept_by_its_own_key_is_not_taken_by_another_stored_key() -> None:
    now = [theme("chat / live chat / wait", ("a",))]
    followed = follow(now, ["chat / live chat / wait", "chat / live chat / queue"])
    assert list(followed) == ["chat / live chat / wait"]


# -- pins ------------------------------------------------------------------------------------


def test_the_united_states_delivery_pinned_to_delivery_leaves_the_refunds_for_its_clause() -> None:
    # On the labelled set "My delivery to the United States took over two weeks" joins the
    # refunds theme (19 = the 18 refunds + it); the delivery theme holds the other 17
    # delivery comments. A pin '"united states"' on the delivery theme's closest clause
    # moves it there: refunds 19 -> 18, delivery 17 -> 18, the delivery theme pinned.
    us = us_comment()
    refunds, delivery = holding(found(), us), group_theme(found(), "delivery")
    assert (len(refunds.comment_ids), len(delivery.comment_ids)) == (19, 17)
    pin = Pin(delivery.clauses[0][0], '"united states"')
    after = apply(found(), comments(), Edits(pins=[pin]), headings())
    moved = holding(after, us)
    assert moved.key == delivery.key and moved.pinned
    assert len(moved.comment_ids) == 18 and moved.comment_ids[-1] == us  # after its own
    assert sum(moved.by_month.values()) == 18
    left = next(t for t in after if t.key == refunds.key)
    assert len(left.comment_ids) == 18 and us not in left.comment_ids and not left.pinned
    assert len(after) == 5


def test_a_pin_on_a_clause_no_theme_is_closest_to_makes_that_clause_s_own_theme() -> None:
    # "Delivery: United States, standard" is no theme's closest clause: the one comment
    # naming the United States becomes a theme of its own, keyed by the pin's clause and
    # named after it, linked to that clause only.
    pin = Pin("delivery.delivery-us-standard", '"united states"')
    after = apply(found(), comments(), Edits(pins=[pin]), headings())
    own = holding(after, us_comment())
    assert own.key == "pin: delivery.delivery-us-standard"
    assert own.name == headings()["delivery.delivery-us-standard"] == "United States, standard"
    assert own.clauses == (("delivery.delivery-us-standard", 1.0),)
    assert own.comment_ids == (us_comment(),) and own.pinned
    assert len(after) == 6


def test_an_unthemed_comment_matching_a_pin_is_pulled_in_too() -> None:
    odd = Comment("odd-1", "Xylophones quartz zebra.", AT, "policy")
    said = [*comments(), odd]
    found_now = themes(said, example())
    assert all("odd-1" not in t.comment_ids for t in found_now)  # unthemed by NMF
    refunds = group_theme(found_now, "refunds")
    after = apply(found_now, said, Edits(pins=[Pin("returns", "xylophone*")]), headings())
    assert holding(after, "odd-1").key == refunds.key  # returns: the refunds theme's clause


def test_the_first_pin_a_comment_matches_decides_and_a_gone_clause_s_pin_is_left_out() -> None:
    said = [Comment("a", "refund late", AT, "survey"), Comment("b", "chat slow", AT, "policy")]
    chat = theme("chat / slow / x", ("b",), clause="service_levels")
    both = [Pin("service_levels", "refund"), Pin("returns", "refund"), Pin("gone", "chat")]
    after = apply([chat], said, Edits(pins=both),
                  {"service_levels": "Service levels", "returns": "Returns"})  # fmt: skip
    assert [(t.key, t.comment_ids) for t in after] == [("chat / slow / x", ("b", "a"))]


# -- merges and names -------------------------------------------------------------------------


def test_a_merge_and_a_name_kept_by_key_apply_in_order_and_follow_a_chain() -> None:
    now = [
        theme("late / parcel / week", ("a", "b")),
        theme("courier / depot / late", ("c",)),
        theme("courier / rude / staff", ("d",)),
    ]
    edits = Edits(
        merges={"courier / depot / late": "late / parcel / week",
                "courier / rude / staff": "courier / depot / late"},  # -> late parcels too
        names={"late / parcel / week": "Late parcels"},
    )  # fmt: skip
    (merged,) = apply(now, [], edits, {})
    assert merged.key == "late / parcel / week" and merged.name == "Late parcels"
    assert set(merged.comment_ids) == {"a", "b", "c", "d"}


def test_a_merge_whose_theme_is_gone_this_period_waits() -> None:
    now = [theme("late / parcel / week", ("a",)), theme("chat / queue / wait", ("b",))]
    after = apply(now, [], Edits(merges={"refund / x / y": "late / parcel / week"}), {})
    assert [t.key for t in after] == ["late / parcel / week", "chat / queue / wait"]


def test_a_theme_merged_into_a_pin_s_theme_joins_it() -> None:
    into = "pin: returns"
    said = [Comment("a", "refund late", AT, "survey"), Comment("b", "chat slow", AT, "policy")]
    chat = theme("chat / slow / x", ("b",), clause="service_levels")
    edits = Edits(pins=[Pin("returns", "refund")], merges={"chat / slow / x": into})
    (joined,) = apply([chat], said, edits, {"returns": "Returns and refunds"})
    assert joined.key == into and set(joined.comment_ids) == {"a", "b"}
