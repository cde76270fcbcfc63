"""Services and the store read the time from one clock, ``charter.clock.now``."""

from __future__ import annotations

import datetime as dt

import pytest

from charter import clock
from charter.errors import UsageError
from charter.services.lifecycle import get_version
from charter.services.tokens import create_token, revoke_token
from charter.store import Database
from support.seed import SLUG, principal_of, publish_example

FIXED = dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=dt.UTC)  # no test runs then


def test_accounts_tokens_and_versions_are_stamped_by_the_one_clock(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: FIXED)
    owner = principal_of(database, "manager")
    made = create_token(database, owner.id, "nightly import")
    revoked = revoke_token(database, made.token.id, owner)
    publish_example(database)
    version = get_version(database, SLUG, 1)
    assert made.token.created_at == FIXED  # the store's default
    assert revoked.revoked_at == FIXED  # the token service
    assert version.published_at == FIXED  # the lifecycle service


def test_a_given_instant_must_carry_its_timezone() -> None:
    with pytest.raises(UsageError, match="has no timezone"):
        clock.utc_moment(dt.datetime(2026, 1, 1))
