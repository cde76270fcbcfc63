"""E-mail over SMTP with the standard library's ``smtplib``: the settings and the send.

``TlsMode`` says how the connection is protected: ``tls`` (implicit TLS, port 465),
``starttls`` (plain connection upgraded with STARTTLS, port 587; refused when the
server does not offer it, never sent in the clear instead), or ``none`` (port 25;
credentials are then refused for any host but this machine's own, where a local relay
listens). Certificates are checked against the system's trust store.

Sending never raises for a failure on the way: every message gets a ``Delivery``
saying it was delivered, or why not and whether a later try may help.

>>> settings = SmtpSettings(host="smtp.acme.example", from_address="Charter <c@acme.example>")
>>> settings.tls.value, settings.resolved_port
('starttls', 587)
>>> SmtpSettings(host="mail", tls="none", user="u", password="p", from_address="c@acme.example")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for SmtpSettings
...
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from email.message import EmailMessage
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from charter.config import Settings
from charter.errors import ConfigError
from charter.notify.delivery import Delivery
from charter.notify.mail import Email, address_problem


class TlsMode(StrEnum):
    """How the connection to the SMTP server is protected."""

    none = "none"
    starttls = "starttls"
    tls = "tls"


DEFAULT_PORTS = {TlsMode.none: 25, TlsMode.starttls: 587, TlsMode.tls: 465}
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


class SmtpSettings(BaseModel):
    """Where and how escalation e-mail is sent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = Field(min_length=1, description="The SMTP server's host name or address.")
    port: Annotated[int, Field(gt=0, lt=65536)] | None = Field(
        None, description="The SMTP server's port. Default: 465 for tls, 587 for starttls, 25."
    )
    tls: TlsMode = Field(
        TlsMode.starttls,
        description="`tls` (implicit TLS), `starttls` (upgrade, refused if not offered) or "
        "`none` (only to a relay on this machine when a password is set).",
    )
    user: str | None = Field(None, description="User name to log in with, if the server asks.")
    password: SecretStr | None = Field(None, description="Password for `user`.")
    from_address: str = Field(
        description="The sender of every e-mail, e.g. `Charter <charter@acme.example>`."
    )
    timeout: Annotated[float, Field(gt=0)] = Field(
        30, description="Seconds to wait for the server at each step before giving up."
    )
    ca_file: Path | None = Field(
        None,
        description="PEM file of the certificate authorities to trust instead of the "
        "system's, for a relay with a certificate of its own authority.",
    )

    @field_validator("from_address")
    @classmethod
    def _one_address(cls, value: str) -> str:
        problem = address_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _credentials(self) -> SmtpSettings:
        if (self.user is None) != (self.password is None):
            raise ValueError("set both the SMTP user and its password, or neither")
        secret = self.password.get_secret_value() if self.password is not None else ""
        if not f"{self.user or ''}{secret}".isascii():
            raise ValueError(
                "the SMTP user and password must be ASCII (SMTP AUTH sends them so); "
                "ask the mail provider for an ASCII password or an app password"
            )
        if self.user is not None and self.tls == TlsMode.none and self.host not in LOOPBACK:
            raise ValueError(
                f"the SMTP password would cross the network to {self.host} in the clear; "
                "use tls or starttls (tls none is for a relay on this machine)"
            )
        return self

    @property
    def resolved_port(self) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[self.tls]

    @property
    def server(self) -> str:
        """``host:port``, as failures name it."""
        return f"{self.host}:{self.resolved_port}"


def send_email(settings: SmtpSettings, message: EmailMessage) -> Delivery:
    """Send one message; what happened, never an exception for a failure on the way."""
    return send_emails(settings, [message])[0]


def send_emails(settings: SmtpSettings, messages: Sequence[EmailMessage]) -> list[Delivery]:
    """Send ``messages`` over one connection, one ``Delivery`` for each, in order.

    A recipient the server refuses while it accepts others is named in the delivered
    message's reason (the outbox sends one recipient per message, so this is rare).
    """
    results: list[Delivery] = []
    try:
        with _connection(settings) as connection:  # ca_file unreadable: an OSError too
            for message in messages:
                results.append(_send(settings, connection, message))
                if not results[-1].delivered and _lost(results[-1]):
                    break
    except (smtplib.SMTPException, OSError) as error:
        results.append(_failure(settings, error))
    lost = results[-1] if results else Delivery.failed("nothing was sent", retry=True)
    return results + [_not_tried(lost)] * (len(messages) - len(results))


class Mailer:
    """One SMTP connection kept open across messages sent one at a time: opened at the
    first ``send``, and again at the next after one was lost. Close it (or use it in a
    ``with``) when done.

    For an outbox that records each message's outcome as soon as the server answers,
    so that a process stopped between two messages has sent exactly what it recorded.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._open: ExitStack | None = None
        self._connection: smtplib.SMTP | None = None

    def send(self, message: EmailMessage | Email) -> Delivery:
        """Send one message; what happened, never an exception for a failure on the way."""
        if self._connection is None:
            stack = ExitStack()
            try:
                self._connection = stack.enter_context(_connection(self.settings))
            except (smtplib.SMTPException, OSError) as error:
                stack.close()
                return _failure(self.settings, error)
            self._open = stack
        result = _send(self.settings, self._connection, message)
        if not result.delivered and _lost(result):
            self.close()
        return result

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._open is not None:
            with suppress(smtplib.SMTPException, OSError):
                self._open.close()
        self._open, self._connection = None, None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@contextmanager
def _connection(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    context = _context(settings.ca_file) if settings.tls != TlsMode.none else None
    host, port, timeout = settings.host, settings.resolved_port, settings.timeout
    connection = (
        smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        if settings.tls == TlsMode.tls
        else smtplib.SMTP(host, port, timeout=timeout)
    )
    try:
        connection.ehlo()
        if settings.tls == TlsMode.starttls:
            connection.starttls(context=context)
            connection.ehlo()
        if settings.user is not None and settings.password is not None:
            connection.login(settings.user, settings.password.get_secret_value())
        yield connection
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()


@lru_cache(maxsize=8)
def _context(ca_file: Path | None) -> ssl.SSLContext:
    """The TLS client context trusting ``ca_file`` (or the system's store); loading a
    store takes tens of milliseconds, so one context serves every connection."""
    return ssl.create_default_context(cafile=ca_file)


def _send(
    settings: SmtpSettings, connection: smtplib.SMTP, message: EmailMessage | Email
) -> Delivery:
    if isinstance(message, EmailMessage) and message["From"] is None:
        message["From"] = settings.from_address
    try:
        if isinstance(message, Email):  # already flattened: the envelope and the bytes
            refused = connection.sendmail(message.sender, list(message.recipients), message.data)
        else:
            refused = connection.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        return _failure(settings, error)
    if refused:
        named = ", ".join(f"{to} ({code} {_text(reply)})" for to, (code, reply) in refused.items())
        return Delivery.ok(f"accepted by {settings.server}; refused: {named}")
    return Delivery.ok(f"accepted by {settings.server}", 250)


def _failure(settings: SmtpSettings, error: Exception) -> Delivery:
    """A failed attempt in words, and whether a later try may get past it."""
    server = settings.server
    if isinstance(error, smtplib.SMTPAuthenticationError):
        reason = f"{server} refused the login of {settings.user!r}: {_reply(error)}"
        return Delivery.failed(reason, status=error.smtp_code, retry=error.smtp_code < 500)
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return Delivery.failed(f"{server} does not support it: {error}", retry=False)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        named = ", ".join(f"{to} ({code} {_text(r)})" for to, (code, r) in error.recipients.items())
        return Delivery.failed(
            f"{server} refused every recipient: {named}",
            status=max(codes, default=None),
            retry=all(code < 500 for code in codes),
        )
    if isinstance(error, smtplib.SMTPResponseException):
        reason = f"{server} answered {_reply(error)}"
        return Delivery.failed(reason, status=error.smtp_code, retry=error.smtp_code < 500)
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return Delivery.failed(f"TLS with {server} failed: {error}", retry=False)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Delivery.failed(f"{server} closed the connection: {error}", retry=True)
    if isinstance(error, OSError):
        return Delivery.failed(f"could not reach {server}: {error}", retry=True)
    return Delivery.failed(f"{server}: {error}", retry=True)


def _lost(result: Delivery) -> bool:
    """Whether the connection is gone, so the messages after this one are not tried."""
    return result.status is None


def _not_tried(lost: Delivery) -> Delivery:
    return Delivery.failed(f"not tried: {lost.reason}", retry=True)


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def smtp_settings(settings: Settings) -> SmtpSettings | None:
    """The ``CHARTER_SMTP_*`` settings as ``SmtpSettings``; ``None`` when no host is set
    (no e-mail is sent). A setting that cannot work is refused naming it.

    >>> from charter.config import load_settings
    >>> smtp_settings(load_settings(smtp_host=None)) is None
    True
    >>> relay = load_settings(smtp_host="mail.example", smtp_from_address="c@x.example")
    >>> smtp_settings(relay).resolved_port
    587
    """
    if not settings.smtp_host:
        return None
    values = {"host": settings.smtp_host, "port": settings.smtp_port, "tls": settings.smtp_tls,
              "user": settings.smtp_user, "password": settings.smtp_password,
              "from_address": settings.smtp_from_address, "timeout": settings.smtp_timeout,
              "ca_file": settings.smtp_ca_file}  # fmt: skip
    try:
        return SmtpSettings.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"CHARTER_SMTP_{'_'.join(str(p) for p in e['loc']).upper() or '*'}: "
            + e["msg"].removeprefix("Value error, ")
            for e in error.errors()
        )
        raise ConfigError(f"bad setting: {problems}") from None
