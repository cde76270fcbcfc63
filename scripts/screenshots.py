"""Screenshots of every page, for docs/screenshots.md: `make screenshots`.

Starts `charter demo` in a temporary folder on a free port (the example policy
published, a year of synthetic tickets, complaint cases, decisions, three accounts),
adds the versions the policy pages need (one in review, one approved, one draft),
signs in as each role in Chromium and saves each page of ``PAGES`` to
docs/images/pages/NAME.png (1366 × 768, or 390 × 844 for a phone), plus the first
page of the charter's PDF through pdftoppm when it is installed. Nothing here runs in
the test suite; tests/test_pages_screenshots.py checks that ``PAGES`` and ``SKIPPED``
name every page route.

    .venv/bin/python scripts/screenshots.py [--tickets 3000] [--out docs/images/pages]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SLUG = "larkfield"  # the demo's policy
# The versions add_versions makes on top of the published version 1.
IN_REVIEW, APPROVED, DRAFT = 2, 3, 4


@dataclass(frozen=True)
class Page:
    """One screenshot: the route it shows, as whom, and how to reach it.

    ``route`` is the route's template as the app declares it; ``path`` the address
    visited (``route`` when empty). A path with ``{}`` takes the first link on
    ``source`` matching ``link``.
    """

    name: str
    route: str
    role: str | None  # None: not signed in
    path: str = ""
    source: str = ""
    link: str = ""
    phone: bool = False
    full: bool = False  # the whole page, not only what the window shows

    @property
    def address(self) -> str:
        return self.path or self.route


V = f"/policies/{SLUG}/versions"
PAGES = [
    Page("public", "/", None),
    Page("public-phone", "/", None, phone=True),
    Page("charter", "/charter", None, path="/charter?tz=America/New_York"),
    Page("login", "/login", None),
    Page("dashboard", "/dashboard", "manager"),
    Page("tickets", "/tickets", "agent"),
    Page("tickets-phone", "/tickets", "agent", phone=True),
    Page(
        "ticket",
        "/tickets/{ticket_id}",
        "agent",
        path="{}",
        source="/tickets",
        link=r"^/tickets/[^/?#.]+$",
    ),
    Page("complaints", "/complaints", "agent"),
    Page(
        "complaint",
        "/complaints/{case_id}",
        "agent",
        path="{}",
        source="/complaints",
        link=r"^/complaints/\d+$",
    ),
    Page("decide", "/decide", "agent"),
    Page("decisions", "/decisions", "agent"),
    Page(
        "decision",
        "/decisions/{decision_id}",
        "agent",
        path="{}",
        source="/decisions",
        link=r"^/decisions/\d+$",
    ),
    Page("handbook", "/handbook", "agent"),
    Page("handbook-phone", "/handbook", "agent", phone=True),
    Page("handbook-search", "/handbook/search", "agent", path="/handbook/search?q=how+long+refund"),
    Page("handbook-print", "/handbook/print", "agent"),
    Page("training", "/training", "agent"),
    Page("training-team", "/training/team", "manager"),
    Page("feedback-themes", "/feedback/themes", "manager"),
    Page("feedback-sections", "/feedback/sections", "manager"),
    Page("outbox", "/outbox", "manager"),
    Page("review-pack", "/review", "manager"),
    Page("what-if", "/what-if", "manager"),
    Page("policies", "/policies", "manager"),
    Page("policy", "/policies/{slug}", "manager", path=f"/policies/{SLUG}"),
    Page("editor", "/policies/{slug}/versions/{number}", "manager", path=f"{V}/{DRAFT}"),
    Page("review", "/policies/{slug}/versions/{number}", "admin", path=f"{V}/{IN_REVIEW}"),
    Page(
        "diff",
        "/policies/{slug}/diff",
        "manager",
        path=f"/policies/{SLUG}/diff?from=1&to={IN_REVIEW}",
        full=True,
    ),
    Page(
        "publish",
        "/policies/{slug}/versions/{number}/publish",
        "manager",
        path=f"{V}/{APPROVED}/publish",
    ),
    Page(
        "publish-preview",
        "/policies/{slug}/versions/{number}/preview",
        "manager",
        path=f"{V}/{APPROVED}/preview",
    ),
]
# Page routes without a screenshot, and why (tests/test_pages_screenshots.py).
SKIPPED = {
    "/training/quiz/{attempt_id}": "a quiz attempt exists only once someone starts one",
    "/s/{token}": "a survey's signed link is only in the e-mail sent after a solve",
    "/policies/{slug}/publish-jobs/{job_id}": "a publishing job exists only while one runs",
}
DOWNLOADS = (".csv", ".pdf")  # files, not pages: the PDF's first page is rendered below


def say(*parts: object) -> None:
    """A line of progress on standard output (this is a script, not the package)."""
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def main() -> None:
    options = _arguments()
    out = options.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="charter-screens-") as folder:
        data = Path(folder)
        port = _free_port()
        server = _start_demo(data, port, options.tickets)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url)
            add_versions(data)
            taken = _shoot(url, _accounts(data), out)
            taken += _pdf_first_page(url, out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    say(f"{len(taken)} screenshots in {out}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=3000, help="tickets the demo seeds")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "pages")
    return parser.parse_args()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start_demo(data: Path, port: int, tickets: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "charter.cli", "demo", "--data-dir", str(data),
               "--tickets", str(tickets), "--port", str(port)]  # fmt: skip
    say("seeding and serving the demo:", " ".join(command[3:]))
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def _wait_for(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo did not answer at {url} within {seconds:.0f} s")


def _accounts(data: Path) -> dict[str, tuple[str, str]]:
    """E-mail and password by role, from the file charter demo writes."""
    found = {}
    for line in (data / "demo-accounts.txt").read_text("utf-8").splitlines():
        role, email, password, _ = line.split("\t")
        found[role] = (email, password)
    return found


def add_versions(data: Path) -> None:
    """Version 2 in review (the manager's, for the admin to review), 3 approved (ready
    to publish) and 4 a draft (the editor), each with changes a diff shows: a faster
    chat reply (stronger), a shorter returns window (weaker), a renamed rule (neutral)."""
    from sqlalchemy import text

    from charter.services.accounts import Principal, Role
    from charter.services.lifecycle import edit_draft, new_draft, transition
    from charter.store import Database

    database = Database(f"sqlite:///{data / 'charter.db'}")
    with database.reading() as session:
        rows = session.execute(text("SELECT id, email, name, role FROM users")).all()
    people = {r.role: Principal(r.id, r.email, r.name, Role(r.role)) for r in rows}
    manager, admin = people["manager"], people["admin"]
    for number in (IN_REVIEW, APPROVED, DRAFT):
        summary = "Faster chat replies; a 14-day returns window"
        version = new_draft(database, SLUG, manager, based_on=1, change_summary=summary)
        assert version.number == number, (version.number, number)
        changed = (
            version.text.replace("first_response: {within: 5m,", "first_response: {within: 3m,")
            .replace("window_days: 30", "window_days: 14")
            .replace("name: Live chat\n", "name: Live chat on the website\n")
        )
        edit_draft(database, SLUG, number, manager, text=changed)
        if number != DRAFT:
            transition(database, SLUG, number, "submit", manager)
        if number == APPROVED:
            transition(database, SLUG, number, "approve", admin)
    database.dispose()


def _shoot(url: str, accounts: dict[str, tuple[str, str]], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        contexts: dict[tuple[str | None, bool], Any] = {}
        for page_spec in PAGES:
            key = (page_spec.role, page_spec.phone)
            if key not in contexts:
                contexts[key] = _context(browser, url, accounts, *key)
            taken.append(_one(contexts[key], url, page_spec, out))
        browser.close()
    return taken


def _context(browser: Any, url: str, accounts: dict[str, tuple[str, str]], role: str | None,
             phone: bool) -> Any:  # fmt: skip
    context = browser.new_context(viewport=PHONE if phone else DESKTOP,
                                  timezone_id="Europe/London")  # fmt: skip
    if role is not None:
        page = context.new_page()
        email, password = accounts[role]
        page.goto(f"{url}/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        say(f"{role} signed in and landed on {page.url.removeprefix(url)}")
        page.close()
    return context


def _one(context: Any, url: str, spec: Page, out: Path) -> Path:
    page = context.new_page()
    address = spec.address
    if "{}" in address:
        address = address.replace("{}", _first_link(page, url, spec.source, spec.link))
    answer = page.goto(url + address)
    page.wait_for_load_state("networkidle")
    target = out / f"{spec.name}.png"
    page.screenshot(path=str(target), full_page=spec.full)
    status = answer.status if answer is not None else "?"
    say(f"{spec.name:18} {status} {address}")
    page.close()
    return target


def _first_link(page: Any, url: str, source: str, pattern: str) -> str:
    page.goto(url + source)
    for href in page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))"
    ):
        if href and re.match(pattern, href):
            return str(href)
    raise SystemExit(f"no link matching {pattern} on {source}")


def _pdf_first_page(url: str, out: Path) -> list[Path]:
    """The charter's PDF, its first page as an image (pdftoppm, from poppler-utils)."""
    if shutil.which("pdftoppm") is None:
        say("pdftoppm not found (apt-get install poppler-utils): no image of the PDF")
        return []
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "charter.pdf"
        with urllib.request.urlopen(f"{url}/charter.pdf", timeout=120) as answer:
            pdf.write_bytes(answer.read())
        stem = out / "charter-pdf"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1",
                        "-singlefile", str(pdf), str(stem)], check=True)  # fmt: skip
    say(f"{'charter-pdf':18} 200 /charter.pdf (first page)")
    return [stem.with_suffix(".png")]


if __name__ == "__main__":
    main()
