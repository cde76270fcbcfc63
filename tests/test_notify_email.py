"""The escalation e-mail names the ticket, the promise, the clause and the time left or
overdue, in a plain-text part and an escaped HTML part."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from charter import clock
from charter.errors import InvalidInput
from charter.notify import build_email, compose, html, plain_text
from charter.policy.service_level import Target
from support.notices import make_notice

SENDER = "Équipe Charter <charter@acme.example>"


def test_notice_for_ticket_4211_names_ticket_promise_clause_and_time_left() -> None:
    text = plain_text(make_notice())
    # 5,400 s = 90 min on a business clock: "1 h 30 min"; 4h on calendar uk-support is
    # a business target, so it reads "4 business hours on calendar uk-support".
    assert text.splitlines()[0] == "Ticket 4211: first response due in 1 h 30 min (level 1, 75%)"
    assert "Ticket: 4211 — Parcel lost in Zürich\n" in text
    assert "  https://acme.zendesk.example/agent/tickets/4211\n" in text
    assert "Promise: first response within 4 business hours on calendar uk-support\n" in text
    assert "Rule: sl-email-high (E-mail, high priority)\n" in text
    assert "Clause: service_levels.rules.sl-email-high\n" in text
    # base_url's trailing slash is not doubled; the clause is the handbook's anchor
    assert "  https://charter.acme.example/handbook#service_levels.rules.sl-email-high\n" in text
    assert "Level: 1 (75%)\n" in text
    # 13:00 UTC on 2 March is 13:00 in London (GMT until 29 March), a Monday
    assert "Due: Mon 02 Mar 2026 13:00 GMT\n" in text
    assert "Standing: 1 h 30 min left\n" in text


@pytest.mark.parametrize(
    ("left", "clock", "standing", "headline_end"),
    [
        # two hours past the due instant on a business clock
        (-7200, "uk-support", "overdue by 2 h", "first response overdue by 2 h (level 1, 75%)"),
        # 190,380 s = 52.88 h: real time from two days on reads 2 d 5 h (52.88 − 48 = 4.88,
        # rounded half up to 5); business time never reads in days: 3,173 min = 52 h 53 min
        (-190_380, "24x7", "overdue by 2 d 5 h", "response overdue by 2 d 5 h (level 1, 75%)"),
        (-190_380, "uk-support", "overdue by 52 h 53 min", "overdue by 52 h 53 min (level 1, 75%)"),
        # 20 s rounds to "20 s"; 0.2 s rounds to "0 s", which is "due now"
        (20, "uk-support", "20 s left", "first response due in 20 s (level 1, 75%)"),
        (0.2, "uk-support", "due now", "first response due now (level 1, 75%)"),
    ],
)  # fmt: skip
def test_ticket_4211_reads_how_long_is_left_or_overdue_on_its_clock(
    left: float, clock: str, standing: str, headline_end: str
) -> None:
    notice = make_notice(left_seconds=left, target=Target(within="4h", clock=clock))
    assert notice.standing == standing
    assert notice.headline.endswith(headline_end)


def test_promise_on_24x7_with_an_attainment_share_reads_around_the_clock() -> None:
    notice = make_notice(
        metric="resolution", target=Target(within="2d", clock="24x7", attainment="85%")
    )
    assert notice.promise == "resolution within 2 days around the clock (24x7); 85 % of tickets"


def test_email_for_ticket_4211_has_a_plain_and_an_html_part_saying_the_same() -> None:
    message = build_email(make_notice(), SENDER, ["Zoë Ångström <zoe@acme.example>"])
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    rich = message.get_body(("html",))
    assert plain is not None and rich is not None
    body = rich.get_content()
    assert "<th" in body and "Promise</th>" in body
    assert "first response within 4 business hours on calendar uk-support" in body
    assert '<a href="https://acme.zendesk.example/agent/tickets/4211">4211 — Parcel lost' in body
    assert (
        '<a href="https://charter.acme.example/handbook#service_levels.rules.sl-email-high">'
        in body
    )
    assert "1 h 30 min left" in body and "1 h 30 min left" in plain.get_content()
    assert message["Auto-Submitted"] == "auto-generated"


def test_the_wire_form_is_seven_bit_with_smtp_line_ends_and_bare_envelope_addresses() -> None:
    # A ticket id in another script makes the headline (the Subject) non-ASCII too.
    notice = make_notice(ticket_id="Ü-4211")
    sent = compose(notice, SENDER, ["Zoë Ångström <zoe@acme.example>"],
                   sent_at=dt.datetime(2026, 3, 2, 11, 30, tzinfo=dt.UTC))  # fmt: skip
    assert (sent.sender, sent.recipients) == ("charter@acme.example", ("zoe@acme.example",))
    assert sent.data.isascii()  # every name, subject and body encoded for any relay
    lines = sent.data.split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)  # CRLF only
    assert max(len(line) for line in lines) <= 78  # RFC 5322's recommended line length
    assert b"Subject: =?utf-8?q?Ticket_=C3=9C-4211" in sent.data
    # ... and reads back as written.
    message = message_from_bytes(sent.data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"].startswith("Ticket Ü-4211: first response due in 1 h 30 min")
    assert str(message["From"]) == SENDER
    assert str(message["To"]) == "Zoë Ångström <zoe@acme.example>"
    plain = message.get_body(("plain",))
    assert plain is not None and "Ticket: Ü-4211 — Parcel lost in Zürich" in plain.get_content()


def test_an_email_written_without_a_send_time_is_dated_now(monkeypatch: pytest.MonkeyPatch) -> None:
    at = dt.datetime(2026, 3, 2, 11, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: at)
    message = build_email(make_notice(), SENDER, ["ops@acme.example"], message_id="<m-1@x.example>")
    assert message["Date"] == "Mon, 02 Mar 2026 11:30:00 +0000"  # RFC 5322 wants a Date
    assert message["Message-ID"] == "<m-1@x.example>"  # the outbox's id, the same each try


def test_html_escapes_a_ticket_subject_written_as_markup() -> None:
    body = html(make_notice(subject='<script>alert("x")</script> & co'))
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in body


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "//evil.example/x", "ftp://acme.example"]
)
def test_a_ticket_link_that_is_not_http_is_shown_as_text_only(url: str) -> None:
    notice = make_notice(ticket_url=url)
    assert "href" not in html(notice).split("Ticket</th>")[1].split("</tr>")[0]
    assert url not in plain_text(notice) and url not in html(notice)


def test_without_charters_address_the_clause_is_named_without_a_link() -> None:
    notice = make_notice(base_url=None)
    assert "Clause: service_levels.rules.sl-email-high\nLevel" in plain_text(notice)
    assert "/handbook#" not in html(notice)


@pytest.mark.parametrize(
    ("recipients", "says"),
    [
        (["ops@acme.example\r\nBcc: everyone@acme.example"], "e-mail recipient: "),
        (["ops@acme.example, boss@acme.example"], "is not one e-mail address"),
        (["ops"], "is not one e-mail address"),
        ([], "e-mail recipients: none given"),
    ],
)
def test_a_bad_recipient_is_refused_naming_it(recipients: list[str], says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        build_email(make_notice(), SENDER, recipients)
