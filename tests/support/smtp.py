"""A real SMTP server on the loopback interface (aiosmtpd), recording what it receives.

``smtp_server()`` starts one on a free port and yields a ``Mailbox``: its host and port
and every message accepted, parsed. ``user`` and ``password`` make it ask for a login
(over plain SMTP, which only a loopback relay may do); addresses in ``refuse`` are
refused with ``550`` at ``RCPT``. ``tls`` and a certificate made by ``server_context``
(a test authority, trustme) serve implicit TLS or STARTTLS.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"
# A login over plain SMTP is what this loopback server is for (SmtpSettings refuses it
# for any other host); aiosmtpd warns about it each time it starts a session, so a test
# that asks for a login carries this mark.
PLAIN_LOGIN = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted)


class _Recorder:
    def __init__(self, mailbox: Mailbox, refuse: frozenset[str]) -> None:
        self.mailbox, self.refuse = mailbox, refuse

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.mailbox.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def server_context(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A certificate for 127.0.0.1 from a test authority: the server's context, and the
    authority's PEM file a client must be told to trust."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(HOST).configure_cert(context)
    ca_file = tmp_path / "test-authority.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    return context, ca_file


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice, released at once)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_server(
    *,
    user: str | None = None,
    password: str | None = None,
    refuse: frozenset[str] = frozenset(),
    tls: str = "none",
    certificate: ssl.SSLContext | None = None,
) -> Iterator[Mailbox]:
    """``tls="tls"`` speaks TLS from the first byte, ``"starttls"`` offers STARTTLS and
    asks for it before a login or a message; both present ``certificate`` (a server
    context, see ``server_context``)."""
    mailbox = Mailbox(HOST, free_port())

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            (user or "").encode(), (password or "").encode()
        )  # fmt: skip
        login = data.login.decode() if isinstance(data, LoginPassword) else "?"
        mailbox.logins.append((login, ok))
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535

    options: dict[str, Any] = (
        {"authenticator": authenticate, "auth_require_tls": tls != "none", "auth_required": True}
        if user is not None
        else {}
    )
    if tls == "tls":
        options["ssl_context"] = certificate
    elif tls == "starttls":
        options.update(tls_context=certificate, require_starttls=True)
    controller = Controller(
        _Recorder(mailbox, refuse),
        hostname=HOST,
        port=mailbox.port,
        enable_SMTPUTF8=True,
        **options,
    )
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
