"""Escalation e-mail reaches a real SMTP server (aiosmtpd on the loopback interface),
and every way it can fail comes back as a failed delivery saying why, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from charter.notify import SmtpSettings, TlsMode, build_email, send_email, send_emails
from support.notices import make_notice
from support.smtp import HOST, PLAIN_LOGIN, Mailbox, free_port, server_context, smtp_server

SENDER = "Équipe Charter <charter@acme.example>"
ZOE = "Zoë Ångström <zoe@acme.example>"


def settings(mailbox: Mailbox | None = None, **overrides: object) -> SmtpSettings:
    values: dict[str, object] = {
        "host": HOST,
        "port": mailbox.port if mailbox else free_port(),
        "tls": "none",
        "from_address": SENDER,
        "timeout": 5,
    }
    return SmtpSettings.model_validate({**values, **overrides})


def email_4211(to: str = ZOE) -> object:
    return build_email(
        make_notice(), SENDER, [to], sent_at=dt.datetime(2026, 3, 2, 11, 30, tzinfo=dt.UTC)
    )


def test_escalation_for_ticket_4211_arrives_with_both_parts_and_its_headers() -> None:
    with smtp_server() as mailbox:
        result = send_email(settings(mailbox), email_4211())
    assert result.delivered, result.reason
    assert result.status == 250
    [received] = mailbox.received
    assert received.sender == "charter@acme.example"
    assert received.recipients == ["zoe@acme.example"]
    message = received.message
    # non-ASCII display names travel RFC 2047-encoded and read back as written
    assert str(message["From"]) == SENDER
    assert str(message["To"]) == ZOE
    assert message["Subject"] == "Ticket 4211: first response due in 1 h 30 min (level 1, 75%)"
    assert message["Date"] == "Mon, 02 Mar 2026 11:30:00 +0000"
    assert message["Message-ID"].endswith("@acme.example>")
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and rich is not None
    assert "Ticket: 4211 — Parcel lost in Zürich" in plain.get_content()
    assert "Standing: 1 h 30 min left" in plain.get_content()
    assert "4211 — Parcel lost in Zürich</a>" in rich.get_content()


@PLAIN_LOGIN
def test_a_login_the_server_accepts_sends_the_message() -> None:
    with smtp_server(user="charter", password="s3cret-password") as mailbox:
        result = send_email(
            settings(mailbox, user="charter", password="s3cret-password"), email_4211()
        )
    assert result.delivered, result.reason
    assert mailbox.logins == [("charter", True)]
    assert len(mailbox.received) == 1


@PLAIN_LOGIN
def test_a_refused_login_is_a_failure_no_retry_gets_past() -> None:
    with smtp_server(user="charter", password="right") as mailbox:
        result = send_email(settings(mailbox, user="charter", password="wrong"), email_4211())
    assert not result.delivered
    assert result.status == 535  # RFC 4954: authentication credentials invalid
    assert not result.retry
    assert f"{HOST}:{mailbox.port} refused the login of 'charter': 535" in result.reason
    assert mailbox.received == []


def test_a_server_that_is_down_is_a_failure_a_later_try_may_pass() -> None:
    dead = settings()  # a port nothing listens on
    result = send_email(dead, email_4211())
    assert not result.delivered
    assert result.retry
    assert result.status is None
    assert result.reason.startswith(f"could not reach {HOST}:{dead.port}: ")
    assert "refused" in result.reason.lower()


def test_starttls_not_offered_is_refused_rather_than_sent_in_the_clear() -> None:
    with smtp_server() as mailbox:
        result = send_email(settings(mailbox, tls="starttls"), email_4211())
    assert not result.delivered and not result.retry
    assert "does not support it" in result.reason and "STARTTLS" in result.reason
    assert mailbox.received == []


def test_a_refused_mailbox_fails_that_message_and_the_next_one_still_goes() -> None:
    with smtp_server(refuse=frozenset({"gone@acme.example"})) as mailbox:
        results = send_emails(settings(mailbox), [email_4211("gone@acme.example"), email_4211()])
    refused, delivered = results
    assert not refused.delivered and refused.status == 550 and not refused.retry
    assert "refused every recipient: gone@acme.example (550 5.1.1 no such mailbox" in refused.reason
    assert delivered.delivered
    assert [r.recipients for r in mailbox.received] == [["zoe@acme.example"]]


def test_messages_not_tried_because_the_server_is_down_each_get_a_failure() -> None:
    results = send_emails(settings(), [email_4211(), email_4211(), email_4211()])
    assert [r.delivered for r in results] == [False, False, False]
    assert all(r.retry for r in results)
    assert results[1].reason.startswith("not tried: could not reach")


@pytest.mark.parametrize(
    ("tls", "port"), [(TlsMode.tls, 465), (TlsMode.starttls, 587), (TlsMode.none, 25)]
)
def test_the_port_follows_the_tls_mode_unless_given(tls: TlsMode, port: int) -> None:
    assert (
        SmtpSettings(host="smtp.acme.example", tls=tls, from_address=SENDER).resolved_port == port
    )


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"host": "smtp.acme.example", "tls": "none", "user": "u", "password": "p"},
         "would cross the network to smtp.acme.example in the clear"),
        ({"host": "smtp.acme.example", "user": "u"}, "set both the SMTP user and its password"),
        ({"host": "smtp.acme.example", "user": "u", "password": "pässword"}, "must be ASCII"),
        ({"host": "smtp.acme.example", "tls": "ssl"}, "'none', 'starttls' or 'tls'"),
        ({"host": "smtp.acme.example", "from_address": "charter"}, "is not one e-mail address"),
    ],
)  # fmt: skip
def test_unsafe_or_unusable_smtp_settings_are_refused_saying_why(
    values: dict[str, object], says: str
) -> None:
    with pytest.raises(ValidationError, match=says):
        SmtpSettings.model_validate({"from_address": SENDER, **values})


def test_escalation_mail_goes_over_implicit_tls_to_a_relay_of_its_own_authority(
    tmp_path: Path,
) -> None:
    certificate, ca_file = server_context(tmp_path)
    with smtp_server(tls="tls", certificate=certificate) as mailbox:
        result = send_email(settings(mailbox, tls="tls", ca_file=ca_file), email_4211())
    assert result.delivered, result.reason
    assert [r.recipients for r in mailbox.received] == [["zoe@acme.example"]]


def test_escalation_mail_logs_in_only_after_starttls(tmp_path: Path) -> None:
    certificate, ca_file = server_context(tmp_path)
    # this server refuses a login or a message before STARTTLS (require_starttls, and
    # aiosmtpd's auth_require_tls): a login that reaches it went over TLS
    with smtp_server(tls="starttls", certificate=certificate, user="charter", password="pw") as mb:
        result = send_email(
            settings(mb, tls="starttls", ca_file=ca_file, user="charter", password="pw"),
            email_4211(),
        )
    assert result.delivered, result.reason
    assert mb.logins == [("charter", True)]
    assert len(mb.received) == 1


@pytest.mark.parametrize("tls", ["tls", "starttls"])
def test_a_certificate_no_trusted_authority_signed_is_a_failure_no_retry_gets_past(
    tmp_path: Path, tls: str
) -> None:
    certificate, _ = server_context(tmp_path)
    with smtp_server(tls=tls, certificate=certificate) as mailbox:
        result = send_email(settings(mailbox, tls=tls), email_4211())  # the system's authorities
    assert not result.delivered and not result.retry
    assert result.reason.startswith(f"TLS with {HOST}:{mailbox.port} failed: ")
    assert "CERTIFICATE_VERIFY_FAILED" in result.reason
    assert mailbox.received == []
