"""The survey's scales and its signed, expiring link (charter.feedback.surveys)."""

from __future__ import annotations

import datetime as dt

import pytest

from charter.errors import InvalidInput
from charter.feedback.surveys import check_score, is_bad, link_token, read_token

SECRET = "s" * 32
EXPIRES = dt.datetime(2026, 12, 21, 9, 0, tzinfo=dt.UTC)  # 14 days after a solve on 7 Dec


@pytest.mark.parametrize(
    ("kind", "bad", "good"),
    [
        ("csat", [1, 2], [3, 4, 5]),  # 1-5: 1 and 2 are the unsatisfied answers
        ("nps", [0, 1, 2, 3, 4, 5, 6], [7, 8, 9, 10]),  # 0-6 are detractors
        ("ces", [1, 2, 3], [4, 5, 6, 7]),  # 1-7 from very difficult: 1-3 difficult
    ],
)
def test_which_scores_ask_the_customer_why(kind: str, bad: list[int], good: list[int]) -> None:
    assert [s for s in bad + good if is_bad(kind, s)] == bad


@pytest.mark.parametrize(("kind", "score"), [("csat", 0), ("csat", 6), ("nps", 11),
                                             ("ces", 0), ("csat", True), ("nps", -1)])  # fmt: skip
def test_a_score_off_the_scale_is_refused_naming_the_scale(kind: str, score: int) -> None:
    with pytest.raises(InvalidInput, match=f"not on the {kind.upper()} scale"):
        check_score(kind, score)


def test_a_link_names_its_invitation_until_it_expires_and_is_short() -> None:
    token = link_token(987_654, EXPIRES, SECRET)
    # Base 62 (0-9, a-z, A-Z): 987654 = 4 * 62**3 + 8 * 62**2 + 57 * 62 + 56, "48VU";
    # the expiry in 6 characters, an HMAC in 27: 39 in all, URL-safe.
    assert token.startswith("48VU.")
    assert len(token) == 4 + 1 + 6 + 1 + 27
    assert set(token) <= set("0123456789abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-_")  # fmt: skip
    assert read_token(token, SECRET, now=EXPIRES - dt.timedelta(seconds=1)) == 987_654
    assert read_token(token, SECRET, now=EXPIRES) == 987_654  # the last second counts
    with pytest.raises(InvalidInput, match="has expired"):
        read_token(token, SECRET, now=EXPIRES + dt.timedelta(seconds=1))


def test_a_changed_or_foreign_link_is_refused_without_saying_more() -> None:
    token = link_token(42, EXPIRES, SECRET)
    invitation, expires, signature = token.split(".")
    early = dt.datetime(2026, 12, 8, tzinfo=dt.UTC)
    tampered = [
        f"{invitation}x.{expires}.{signature}",  # another invitation
        f"{invitation}.{expires}0.{signature}",  # a later expiry
        # the signature changed (not its last character, whose low bits are padding)
        token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:],
        "", "not-a-token", "a" * 101,
    ]  # fmt: skip
    for bad in tampered:
        with pytest.raises(InvalidInput, match="not one of ours"):
            read_token(bad, SECRET, now=early)
    with pytest.raises(InvalidInput, match="not one of ours"):
        read_token(token, "another secret of at least 32 chars!", now=early)
