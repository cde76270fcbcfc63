"""A published policy whose returns section the decision tests compute by hand: the
example policy with its ``returns:`` replaced by ``RETURNS``."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from charter import clock
from charter.services.lifecycle import create_policy, transition
from charter.store import Database
from support import EXAMPLE_TEXT
from support.seed import SLUG, Seeded, principal_of

# 30 calendar days from delivery (24x7: no calendar), bedding excluded unless faulty,
# a 10 % restocking fee, the refund within 14 days of the goods or the evidence coming
# back, whichever is earlier.
RETURNS = """returns:
  window_days: 30
  window_starts: delivery
  reasons:
    - id: changed_mind
      text: I changed my mind.
    - id: faulty
      text: The item is faulty or damaged.
      bypasses_window: true
      bypasses_exclusions: true
  conditions:
    - id: return-unused
      text: Items are unused and in their original packaging.
  exclusions:
    - id: exclusion-hygiene
      text: Opened bedding and pillows cannot be returned for hygiene reasons.
      categories: [bedding]
  fees: restocking_fee
  restocking_fee: 10%
  refund:
    method: original_payment
    within: 14d
    counts_from: earlier_of_received_or_evidence
"""
PUBLISHED = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
ASKED = dt.datetime(2026, 12, 7, 11, tzinfo=dt.UTC)


def returns_text() -> str:
    """The example policy with ``RETURNS`` as its returns section."""
    start = EXAMPLE_TEXT.index("\nreturns:\n") + 1
    found = re.search(r"^[a-z_]+:", EXAMPLE_TEXT[start + len("returns:") :], re.MULTILINE)
    assert found is not None, "the example has no section after returns"
    return EXAMPLE_TEXT[:start] + RETURNS + "\n" + EXAMPLE_TEXT[start + 8 + found.start() :]


def publish_returns(database: Database, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    """``returns_text()`` published on 1 Nov 2026; the clock left at ``ASKED``."""
    monkeypatch.setattr(clock, "now", lambda: PUBLISHED)
    author, reviewer = principal_of(database, "manager"), principal_of(database, "manager")
    create_policy(database, slug=SLUG, name="Larkfield Home", text=returns_text(),
                  actor=author, change_summary="First policy")  # fmt: skip
    transition(database, SLUG, 1, "submit", author)
    transition(database, SLUG, 1, "approve", reviewer)
    transition(database, SLUG, 1, "publish", author)
    monkeypatch.setattr(clock, "now", lambda: ASKED)
    return Seeded(author, reviewer)
