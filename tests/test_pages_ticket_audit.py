"""The ticket page's "What happened": the audit trail of its clocks, escalations and
messages, through the real flow (publish, store, recompute, fire, deliver over a real
SMTP server), worked out by hand.

The story: Acme promises a first response to e-mail within 4 business hours on its
``office`` calendar (Mon-Fri 09:00-17:00 London; London is UTC, written GMT, in
January), the clock stopping while a ticket waits on the customer (``pending``).
Level 1 (``l1``) is due at 50% of the target and mails the ``lead`` role; level 2
(``l2``) at breach mails ``lead`` too. Ticket t1 is written Monday 5 January 2026 at
09:00 and waits on the customer 10:00-11:00: the hour paused moves its due to
09:00 + 4 h + 1 h = 14:00, and level 1 falls due after 2 h of clock time
(09:00-10:00, 11:00-12:00) at 12:00.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.config import Settings
from charter.store import Database
from support.escalation import step, store
from support.pages import sign_in
from support.sla import at
from support.smtp import smtp_server
from support.ticket_store import publish, rows

POLICY = """\
organisation: {name: Acme, mission: Delight}
calendars:
  - {id: office, name: Office hours, timezone: Europe/London,
     weekly: {mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00],
              thu: [09:00-17:00], fri: [09:00-17:00]}}
service_levels:
  rules:
    - id: sl-email
      when: {channel: [email]}
      targets: {first_response: {within: 4h, clock: office, paused: [pending]}}
    - id: sl-chat
      when: {channel: [chat]}
      targets: {first_response: {within: 4h, clock: 24x7}}
staff:
  roles:
    - {id: lead, name: Team lead, email: leads@acme.example}
escalation:
  - {id: l1, metric: first_response, level: 1, at: "50%", notify: [lead]}
  - {id: l2, metric: first_response, level: 2, at: breach, notify: [lead],
     quiet_outside: office}
"""
BACK = [("t1", "2026-01-05 10:00", "status", "pending"),
        ("t1", "2026-01-05 11:00", "status", "open")]  # fmt: skip


class Audit(HTMLParser):
    """The cells of the page's ``audit`` table, row by row, as a reader meets them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._inside = False
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("class") == "audit":
            self._inside = True
        elif self._inside and tag == "tr":
            self.rows.append([])
        elif self._inside and tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None and tag == "span":
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._inside = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def page(client: TestClient, database: Database, now: str, monkeypatch: Any) -> str:
    monkeypatch.setattr(clock, "now", lambda: at(now))
    sign_in(client, database, "agent")
    (ticket_id,) = rows(database, "SELECT id FROM tickets")[0]
    response = client.get(f"/tickets/{ticket_id}")
    assert response.status_code == 200, response.text
    return response.text


def gmt(time: str, day: str = "Mon 05 Jan 2026") -> str:
    """A cell's instant as the page writes it: the business's time, then UTC."""
    return f"{day} {time}:00 GMT {day} {time}:00 UTC"


def test_t1_page_shows_what_happened_from_its_start_to_level_two_at_the_breach(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(database, POLICY)
    store(database, BACK)
    with smtp_server() as mailbox:
        settings = Settings(data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=mailbox.port,
                            smtp_tls="none", smtp_from_address="charter@acme.example")  # fmt: skip
        for now in ("2026-01-05 11:30", "2026-01-05 12:00", "2026-01-05 14:00"):
            step(database, settings, now)
        assert [r.message["Subject"] for r in mailbox.received] == [
            "Ticket t1: first response due in 2 h (level 1, 50%)",
            "Ticket t1: first response due now (level 2, breach)",
        ]
    html = page(client, database, "2026-01-05 15:00", monkeypatch)
    assert '<h2 id="audit-heading">What happened</h2>' in html
    head, *body = Audit(html).rows
    assert head == ["When", "Event", "Metric", "What happened"]
    assert [(when, event) for when, event, *_ in body] == [
        (gmt("09:00"), "Clock started"),
        (gmt("10:00"), "Clock paused"),
        (gmt("11:00"), "Clock resumed"),
        (gmt("12:00"), "Escalation fired"),
        (gmt("12:00"), "Message queued"),
        (gmt("12:00"), "Message sent"),
        (gmt("14:00"), "Target breached"),
        (gmt("14:00"), "Escalation fired"),
        (gmt("14:00"), "Message queued"),
        (gmt("14:00"), "Message sent"),
    ]
    assert {metric for _, _, metric, _ in body} == {"first response"}
    assert body[2][3] == "resumed after 1 h paused (business time)"
    assert body[6][3] == (
        "breached: due Mon 05 Jan 2026 14:00 GMT passed with the clock running "
        "(4 h target, business time)"
    )
    assert body[7][3] == "level 2 (breach) fired, due Mon 05 Jan 2026 14:00 GMT; 1 message"


def test_a_chat_breach_on_friday_night_waits_for_mondays_opening_and_the_page_says_so(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A chat written Friday 9 January at 20:00 on a 4 h 24x7 target: level 1 at 50% is due
    # at 22:00 (no quiet hours: delivered then); the breach at Saturday 00:00, but level
    # 2 is quiet outside office hours, so it is delivered at the next opening, Monday 12
    # January 09:00. As of Friday 21:00 both are still to come.
    publish(database, POLICY)
    store(database, [], channel="chat", created_at=at("2026-01-09 20:00"))
    step(database, Settings(data_dir=tmp_path), "2026-01-09 21:00")
    _, *body = Audit(page(client, database, "2026-01-09 21:00", monkeypatch)).rows
    friday, saturday, monday = "Fri 09 Jan 2026", "Sat 10 Jan 2026", "Mon 12 Jan 2026"
    assert body == [
        [gmt("20:00", friday), "Clock started", "first response", "started on the 24x7 clock"],
        [gmt("22:00", friday) + " (to come)", "Escalation planned", "first response",
         f"level 1 (50%) planned: due {friday} 22:00 GMT"],
        [gmt("09:00", monday) + " (to come)", "Escalation planned", "first response",
         f"level 2 (breach) planned: due {saturday} 00:00 GMT, delivered at the next "
         f"opening, {monday} 09:00 GMT"],
    ]  # fmt: skip


def test_a_ticket_no_rule_governs_says_plainly_that_nothing_has_happened(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(database, POLICY)
    store(database, [], channel="phone")
    html = page(client, database, "2026-01-05 12:00", monkeypatch)
    assert Audit(html).rows == []
    assert "Nothing has happened to this ticket's clocks, escalations or messages yet" in html
