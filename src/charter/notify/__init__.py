"""Delivery: escalation e-mail over SMTP, signed webhooks, and when to try again.

- ``Notice``: what an escalation says (ticket, promise, clause, level, time left);
  ``compose`` writes it as a plain-text and HTML e-mail ready to send (``build_email``
  reads it back as an ``EmailMessage``), ``payload`` as a JSON body.
- ``SmtpSettings`` and ``send_email`` / ``send_emails``: SMTP with TLS, STARTTLS or
  neither; ``WebhookEndpoint`` and ``send_webhook``: Standard Webhooks, signed.
- ``Delivery``: what one attempt came to; ``RetryPolicy`` and ``next_try``: the
  back-off schedule, then the dead-letter list.

Nothing here touches the database: the outbox that stores messages and the worker that
sends them call these functions and keep the results.

>>> RetryPolicy().tries, TlsMode("tls").value
(12, 'tls')
"""

from charter.notify.delivery import Delivery
from charter.notify.mail import (
    Email,
    address_problem,
    build_email,
    compose,
    compose_facts,
    html,
    plain_text,
)
from charter.notify.notice import Fact, Notice
from charter.notify.retry import RetryPolicy, next_try, wait_after, waits
from charter.notify.smtp import (
    Mailer,
    SmtpSettings,
    TlsMode,
    send_email,
    send_emails,
    smtp_settings,
)
from charter.notify.webhook import WebhookEndpoint, payload, send_webhook, signed_headers

__all__ = [
    "Delivery",
    "Email",
    "Fact",
    "Mailer",
    "Notice",
    "RetryPolicy",
    "SmtpSettings",
    "TlsMode",
    "WebhookEndpoint",
    "address_problem",
    "build_email",
    "compose",
    "compose_facts",
    "html",
    "next_try",
    "payload",
    "plain_text",
    "send_email",
    "send_emails",
    "smtp_settings",
    "send_webhook",
    "signed_headers",
    "wait_after",
    "waits",
]
