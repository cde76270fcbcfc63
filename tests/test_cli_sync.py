"""``charter sync zendesk`` against a replay server on loopback: the summary, the
start date, and clear errors for refused or missing credentials."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from charter.cli.app import app
from support.replay import (
    EXPORT,
    Replay,
    freshdesk_listing,
    normal,
    ok,
    replaying,
    script_freshdesk_two_pages,
    script_three_pages,
    unauthorized,
)

runner = CliRunner()


@pytest.fixture
def replay() -> Iterator[Replay]:
    with replaying() as running:
        yield running


def run(database_url: str, replay: Replay, *args: str, **env: str) -> tuple[int, str]:
    """``charter sync zendesk ARGS`` (or ``charter ARGS`` when they start with sync)."""
    variables = {
        "CHARTER_DATABASE_URL": database_url, "CHARTER_ZENDESK_EMAIL": "ada@example.com",
        "CHARTER_ZENDESK_API_TOKEN": "t0ken", "CHARTER_ZENDESK_BASE_URL": replay.base_url,
        "CHARTER_ZENDESK_SUBDOMAIN": "", "CHARTER_FRESHDESK_BASE_URL": replay.base_url,
        "CHARTER_FRESHDESK_API_KEY": "", **env,
    }  # fmt: skip
    command = list(args) if args[:1] == ("sync",) else ["sync", "zendesk", *args]
    result = runner.invoke(app, command, env=variables)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def without_waits(replay: Replay) -> None:
    """The three pages without their 429 and 500 (the command really waits)."""
    for target in (f"{EXPORT}?include=users&start_time=0", f"{EXPORT}?cursor=c2&include=users"):
        replay.routes[normal(target)] = replay.routes[normal(target)][1:]


def test_sync_zendesk_prints_pages_counts_and_the_deleted_ticket(
    database_url: str, replay: Replay
) -> None:
    script_three_pages(replay)
    without_waits(replay)
    code, output = run(database_url, replay)
    assert code == 0, output
    # Three pages; 101, 102, 103 new, 101 changed on page 2; 104 deleted.
    assert "3 page(s), 3 new, 1 changed, 0 unchanged tickets" in output
    assert "Deleted in Zendesk, not stored: 1 (104)" in output
    code, output = run(database_url, replay, "--format", "json")
    summary = json.loads(output)
    assert (code, summary["resumed"], summary["pages"], summary["inserted"]) == (0, True, 1, 0)


def test_sync_zendesk_since_a_date_asks_from_its_midnight_utc(
    database_url: str, replay: Replay
) -> None:
    # 2026-03-01 00:00 UTC: 2026-01-01 is 1,767,225,600 s; + 59 days (31 + 28) x 86,400.
    replay.route(
        f"{EXPORT}?include=users&start_time=1772323200", ok({"tickets": [], "end_of_stream": True})
    )
    code, output = run(database_url, replay, "--since", "2026-03-01")
    assert code == 0, output
    assert replay.paths() == [f"{EXPORT}?include=users&start_time=1772323200"]


def test_sync_zendesk_with_refused_credentials_names_the_settings(
    database_url: str, replay: Replay
) -> None:
    replay.route(f"{EXPORT}?include=users&start_time=0", unauthorized())
    code, output = run(database_url, replay)
    assert code == 1
    assert "refused the credentials (401" in output
    assert "CHARTER_ZENDESK_API_TOKEN" in output and "Traceback" not in output


def test_sync_zendesk_without_credentials_names_the_missing_settings(
    database_url: str, replay: Replay
) -> None:
    code, output = run(database_url, replay, CHARTER_ZENDESK_API_TOKEN="")
    assert code == 1
    assert "Zendesk sync needs CHARTER_ZENDESK_API_TOKEN" in output
    assert replay.requests == []


@pytest.mark.parametrize("since", ["March", "2026-13-01"])
def test_sync_zendesk_with_a_bad_since_is_bad_usage(
    database_url: str, replay: Replay, since: str
) -> None:
    code, output = run(database_url, replay, "--since", since)
    assert code == 2
    assert f"--since: '{since}' is not a date" in output


def test_sync_freshdesk_prints_its_pages_and_counts(database_url: str, replay: Replay) -> None:
    script_freshdesk_two_pages(replay)
    start = freshdesk_listing("1970-01-01T00:00:00Z")
    replay.routes[normal(start)] = replay.routes[normal(start)][1:]  # no 429: no real wait
    code, output = run(database_url, replay, "sync", "freshdesk", CHARTER_FRESHDESK_API_KEY="k")
    assert code == 0, output
    # Tickets 1-100, then 100 again (unchanged) and 101.
    assert "Freshdesk sync, from the start time: 2 page(s), 101 new, 0 changed, 1 unchanged" in (
        output
    )


def test_sync_freshdesk_without_a_key_names_the_setting(database_url: str, replay: Replay) -> None:
    code, output = run(database_url, replay, "sync", "freshdesk")
    assert code == 1
    assert "Freshdesk sync needs CHARTER_FRESHDESK_API_KEY" in output
