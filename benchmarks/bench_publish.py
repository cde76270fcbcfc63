"""Publishing from the editor: the request a manager waits for, before and after jobs.

Seeds the demo store (the example policy published, ``--tickets`` synthetic tickets) in
a temporary folder, writes two more versions (each changes the chat promise) and has
them approved, then times:

- *in the request* (as before publish jobs): ``take_action(..., "publish")``, the work
  the version page's POST did while the manager waited: the publish, the handbook's
  index, re-judging every governed ticket and refilling the dashboard;
- *the request now*: ``POST /policies/{slug}/versions/3/publish`` through the web app,
  which checks the request and queues a job;
- *the job*: ``run_publish_jobs``, the worker's step that does the work afterwards.

    python benchmarks/bench_publish.py [--tickets 3000]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table

from charter.config import Environment, Settings
from charter.services.accounts import Principal, find_user
from charter.services.demo import seed_demo
from charter.services.lifecycle import edit_draft, get_version, new_draft, transition
from charter.services.publish_jobs import run_publish_jobs
from charter.services.publishing import take_action
from charter.store import Database
from charter.web.app import create_app

SLUG = "larkfield"
CHAT = "first_response: {within: 5m, clock: uk-support, attainment: 90%}"


def _person(database: Database, email: str) -> Principal:
    found = find_user(database, email)
    return Principal(found.id, found.email, found.name, found.role, "cli")


def _approved(database: Database, number: int, minutes: int) -> None:
    manager, admin = (_person(database, f"{r}@demo.example") for r in ("manager", "admin"))
    draft = new_draft(database, SLUG, manager, change_summary=f"Chat within {minutes} minutes")
    text = draft.text.replace(CHAT, CHAT.replace("5m", f"{minutes}m"))
    edit_draft(database, SLUG, number, manager, text=text)
    transition(database, SLUG, number, "submit", manager)
    transition(database, SLUG, number, "approve", admin)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=3000)
    tickets = parser.parse_args().tickets
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'charter.db'}")
        database.upgrade()
        accounts, _ = seed_demo(database, tickets=tickets, cases=False)
        _approved(database, 2, 10)
        _approved(database, 3, 15)
        manager = _person(database, "manager@demo.example")
        began = time.perf_counter()
        take_action(database, SLUG, 2, "publish", manager)
        before = time.perf_counter() - began
        settings = Settings(environment=Environment.development, data_dir=Path(folder),
                            secret_key="benchmark-secret-key-long-enough-to-use")  # fmt: skip
        password = next(a.password for a in accounts if a.role == "manager")
        with TestClient(create_app(settings, database)) as client:
            client.post("/login", data={"email": "manager@demo.example", "password": password,
                        "csrf_token": _token(client.get("/login").text)})  # fmt: skip
            page = client.get(f"/policies/{SLUG}/versions/3/publish").text
            form = {"confirm": "yes", "effective_at": "", "note": "", "csrf_token": _token(page)}
            began = time.perf_counter()
            answer = client.post(f"/policies/{SLUG}/versions/3/publish", data=form,
                                 follow_redirects=False)  # fmt: skip
            after = time.perf_counter() - began
        assert answer.status_code == 303, answer.text
        began = time.perf_counter()
        ran = run_publish_jobs(database)
        job = time.perf_counter() - began
        assert ran == 1 and get_version(database, SLUG, 3).status == "published"
        database.dispose()
    table = Table(title=f"Publishing a version, demo store with {tickets:,} tickets")
    table.add_column("what")
    table.add_column("seconds", justify="right")
    table.add_row("in the request, before publish jobs (take_action)", f"{before:.2f}")
    table.add_row("the request now (POST .../publish, queues the job)", f"{after:.3f}")
    table.add_row("the job, run by the worker (run_publish_jobs)", f"{job:.2f}")
    Console().print(table)


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


if __name__ == "__main__":
    main()
