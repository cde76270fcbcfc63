"""The demo: seeded once with a published policy, tickets and accounts that can sign in."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from charter.cli import app
from charter.services.demo import seed_demo
from charter.services.lifecycle import operating_version
from charter.store import Database
from charter.web.app import create_app
from support.pages import csrf_of
from support.ticket_store import scalar
from support.web import make_settings

runner = CliRunner()


def test_the_seeded_demo_has_a_published_policy_tickets_and_accounts_that_sign_in(
    database: Database, database_url: str
) -> None:
    accounts, summary = seed_demo(database, tickets=300, today=dt.date(2026, 11, 20))
    assert [a.role for a in accounts] == ["admin", "manager", "agent"]
    operating = operating_version(database)
    assert operating is not None and operating.slug == "larkfield" and operating.number == 1
    assert summary.inserted == 300 == scalar(database, "SELECT count(*) FROM tickets")
    assert scalar(database, "SELECT count(*) FROM sla_states") == 300
    last = scalar(database, "SELECT max(created_at) FROM tickets")
    assert str(last)[:10] <= "2026-11-20"  # the year ends on the day given
    with TestClient(create_app(make_settings(database_url), database)) as client:
        for account in accounts:
            token = csrf_of(client.get("/login").text)
            answer = client.post("/login", data={"email": account.email, "csrf_token": token,
                                 "password": account.password}, follow_redirects=False)  # fmt: skip
            assert answer.status_code == 303, account.role
            client.post("/logout", data={"csrf_token": csrf_of(client.get("/login").text)})


def test_the_demo_has_complaint_cases_worked_by_two_people_and_recorded_decisions(
    database: Database,
) -> None:
    seed_demo(database, tickets=2000, today=dt.date(2026, 11, 20))
    # The cases come from the tickets tagged "complaint" created in the three weeks to
    # the end of 20 Nov (from 31 Oct 00:00 UTC), the latest eight of them.
    tagged = scalar(database, "SELECT count(*) FROM tickets WHERE created_at >= "
                              "'2026-10-31' AND tags LIKE '%\"complaint\"%'")  # fmt: skip
    assert tagged >= 4  # the synthetic year tags 3 % of its tickets
    assert scalar(database, "SELECT count(*) FROM complaint_cases") == min(tagged, 8)
    # Every fourth case is escalated; stage 2 is the admin's, not the agent who answered
    # stage 1, as the example's different_handler asks.
    escalated = scalar(database, "SELECT count(*) FROM complaint_stages WHERE position = 2")
    assert escalated == min(tagged, 8) // 4
    # Four returns and two deliveries; the opened bedding is refused by its exclusion.
    assert scalar(database, "SELECT count(*) FROM decisions") == 6
    assert scalar(database, "SELECT count(*) FROM decision_clauses WHERE clause_id = "
                            "'returns.exclusions.exclusion-hygiene'") == 1  # fmt: skip


def test_a_second_demo_run_reuses_the_data_and_prints_the_same_accounts(tmp_path: Path) -> None:
    arguments = ["demo", "--data-dir", str(tmp_path), "--tickets", "200", "--no-serve"]
    first = runner.invoke(app, arguments)
    assert first.exit_code == 0, first.output
    assert "Seeded 200 tickets" in first.output
    saved = (tmp_path / "demo-accounts.txt").read_text()
    second = runner.invoke(app, arguments)
    assert second.exit_code == 0, second.output
    assert "Reusing the demo data" in second.output and "Seeded" not in second.output
    for line in saved.splitlines():
        role, email, password, _ = line.split("\t")
        assert email in second.output and password in second.output
    database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
    assert scalar(database, "SELECT count(*) FROM tickets") == 200
    database.dispose()


def test_a_demo_folder_without_its_accounts_file_is_refused_with_what_to_do(
    tmp_path: Path,
) -> None:
    arguments = ["demo", "--data-dir", str(tmp_path), "--tickets", "50", "--no-serve"]
    assert runner.invoke(app, arguments).exit_code == 0
    (tmp_path / "demo-accounts.txt").unlink()
    again = runner.invoke(app, arguments)
    assert again.exit_code != 0
    assert "delete the folder" in " ".join(again.output.split())


@pytest.mark.parametrize("tickets", ["0", "many"])
def test_a_bad_ticket_count_is_bad_usage(tmp_path: Path, tickets: str) -> None:
    answer = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--tickets", tickets,
                                 "--no-serve"])  # fmt: skip
    assert answer.exit_code == 2
    assert not (tmp_path / "charter.db").exists()


def test_story_demo_port_a_port_in_use_names_the_option_not_errno_98(tmp_path: Path) -> None:
    # Something else listens on the port first; the demo must say so in words that name
    # --port and make's PORT=, before seeding anything (no database in the folder).
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        answer = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--tickets", "50",
                                     "--port", str(busy)])  # fmt: skip
    words = " ".join(answer.output.split())
    assert answer.exit_code == 2, answer.output
    assert f"port {busy} on 127.0.0.1 is already in use" in words
    assert "--port" in words and "make demo PORT=" in words
    assert "Errno" not in words and "Traceback" not in words
    assert not (tmp_path / "charter.db").exists()
