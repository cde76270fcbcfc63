"""The survey after a solve: its scale, which scores are bad, and the signed link.

A link names one invitation and when it expires, signed with the server's secret
(``itsdangerous``), so it cannot be guessed, changed or stretched; it is short enough
to read in an e-mail (``/s/`` and about 40 characters). That it is used once is the
store's to keep (an invitation is answered once).

>>> token = link_token(1234, dt.datetime(2026, 12, 21, 9, tzinfo=dt.UTC), "a" * 32)
>>> len(token) < 48
True
>>> read_token(token, "a" * 32, now=dt.datetime(2026, 12, 20, tzinfo=dt.UTC))
1234
>>> is_bad("csat", 2), is_bad("nps", 7), is_bad("ces", 4)
(True, False, False)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter.errors import InvalidInput
from charter.feedback import tokens

__all__ = ["SCALES", "Scale", "check_score", "is_bad", "link_token", "read_token"]

_SALT = "charter.survey-link"


@dataclass(frozen=True)
class Scale:
    """A survey's scale: its lowest and highest score, the highest that is bad (the
    customer is asked why), and the words at its ends."""

    low: int
    high: int
    bad_at_most: int
    question: str
    low_words: str
    high_words: str


SCALES: dict[str, Scale] = {
    # CSAT: 1-2 are the unsatisfied answers (the usual top-2-box reading counts 4-5).
    "csat": Scale(1, 5, 2, "How satisfied are you with how we handled your request?",
                  "Very unsatisfied", "Very satisfied"),
    # NPS: 0-6 are detractors.
    "nps": Scale(0, 10, 6, "How likely are you to recommend us to a friend or colleague?",
                 "Not at all likely", "Extremely likely"),
    # CES: 1-7 from very difficult to very easy; 1-3 are the difficult side.
    "ces": Scale(1, 7, 3, "How easy was it to get your request handled?",
                 "Very difficult", "Very easy"),
}  # fmt: skip


def check_score(kind: str, score: int) -> int:
    """``score`` when it is on ``kind``'s scale; ``InvalidInput`` naming the scale."""
    scale = SCALES[kind]
    if (
        isinstance(score, bool)
        or not isinstance(score, int)
        or not (scale.low <= score <= scale.high)
    ):
        raise InvalidInput(f"score: {score!r} is not on the {kind.upper()} scale; give a whole "
                           f"number from {scale.low} to {scale.high}",
                           [{"field": "score", "problem": "not on the scale"}])  # fmt: skip
    return score


def is_bad(kind: str, score: int) -> bool:
    """Whether ``score`` is a bad one on ``kind``'s scale (the customer is asked why)."""
    return check_score(kind, score) <= SCALES[kind].bad_at_most


def link_token(invitation: int, expires_at: dt.datetime, secret: str) -> str:
    """The signed token of an invitation's link, valid until ``expires_at``."""
    return tokens.sign([invitation], expires_at, secret, _SALT)


def read_token(token: str, secret: str, *, now: dt.datetime) -> int:
    """The invitation a token names; ``InvalidInput`` when it was not made here (or was
    changed), ``tokens.Expired`` (an ``InvalidInput`` too) when it has expired, saying
    which in words a customer understands."""
    try:
        [invitation] = tokens.unsign(token, secret, _SALT, now=now)
    except tokens.Expired:
        raise tokens.Expired("this survey link has expired; thank you all the same") from None
    except (InvalidInput, ValueError):
        raise InvalidInput(
            "this survey link is not one of ours; check it was copied whole"
        ) from None
    return invitation
