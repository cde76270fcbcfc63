"""The escalation e-mail: a plain-text part and an HTML part that say the same thing.

Both parts are written from the notice's facts (``Notice.facts``): the ticket with its
subject and link, the promise in words, the rule, the clause of the policy with its
handbook link, the level, the due instant and how long is left or overdue. The HTML
is rendered by a Jinja2 environment that escapes every value (a ticket subject such as
``<script>`` reads as text), and a link is an ``<a>`` only when it is an ``http(s)``
address. Names and subjects in any script are encoded as RFC 2047 requires.

>>> from charter.policy.service_level import Target
>>> notice = Notice(ticket_id="7", subject="<b>Café</b>", rule_id="sl", metric="resolution",
...     target=Target(within="1d", clock="24x7"), clause_id="service_levels.rules.sl",
...     level=2, threshold="breach", due_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
...     left_seconds=-5400)
>>> message = build_email(notice, "Charter <charter@acme.example>", ["Zoë <zoe@acme.example>"])
>>> message["Subject"]
'Ticket 7: resolution overdue by 1 h 30 min (level 2, breach)'
>>> "&lt;b&gt;Café&lt;/b&gt;" in message.get_body(("html",)).get_content()
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.charset import QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.parser import BytesParser
from email.utils import format_datetime, formataddr, make_msgid
from functools import cache, lru_cache

import jinja2

from charter import clock
from charter.errors import InvalidInput
from charter.notify.notice import Fact, Notice

_HTML = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ headline }}</title></head>
<body style="font-family: sans-serif; color: #1a1a1a">
<h1 style="font-size: 1.2em">{{ headline }}</h1>
<table style="border-collapse: collapse">
{%- for fact in facts %}
<tr><th style="text-align: left; padding: 2px 12px 2px 0">{{ fact.label }}</th>
<td>{% if fact.href %}<a href="{{ fact.href }}">{{ fact.text }}</a>{% else %}{{ fact.text }}{% endif %}</td></tr>
{%- endfor %}
</table>
<p style="color: #555">{{ footer }}</p>
</body></html>
"""  # noqa: E501
ESCALATION_FOOTER = "Sent by Charter because this ticket reached an escalation level of the policy."


@cache
def _html_template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_HTML)


def plain_text(notice: Notice) -> str:
    """The plain-text body: the headline, then one ``Label: value`` line per fact, with
    each link on its own line below its fact."""
    return facts_text(notice.headline, notice.facts(), ESCALATION_FOOTER)


def html(notice: Notice) -> str:
    """The HTML body, every value escaped."""
    return facts_html(notice.headline, notice.facts(), ESCALATION_FOOTER)


def facts_text(headline: str, facts: Sequence[Fact], footer: str) -> str:
    """A plain-text body of ``facts`` under ``headline``, ``footer`` last."""
    lines = [headline, ""]
    for fact in facts:
        lines.append(f"{fact.label}: {fact.text}")
        if fact.href:
            lines.append(f"  {fact.href}")
    lines += ["", footer]
    return "\n".join(lines) + "\n"


def facts_html(headline: str, facts: Sequence[Fact], footer: str) -> str:
    """The HTML body of the same, every value escaped."""
    return _html_template().render(headline=headline, facts=facts, footer=footer)


@dataclass(frozen=True)
class Email:
    """An e-mail ready for the wire: the envelope's addresses and the message's bytes."""

    sender: str  # the envelope's sender: a bare address
    recipients: tuple[str, ...]
    data: bytes


def compose(
    notice: Notice,
    sender: str,
    recipients: Sequence[str],
    *,
    sent_at: dt.datetime | None = None,
    message_id: str | None = None,
) -> Email:
    """The escalation e-mail for ``notice`` from ``sender`` to ``recipients``; see
    ``compose_facts``."""
    return compose_facts(
        notice.headline, notice.facts(), ESCALATION_FOOTER, sender, recipients,
        sent_at=sent_at, message_id=message_id,
    )  # fmt: skip


def compose_facts(
    headline: str,
    facts: Sequence[Fact],
    footer: str,
    sender: str,
    recipients: Sequence[str],
    *,
    sent_at: dt.datetime | None = None,
    message_id: str | None = None,
) -> Email:
    """The e-mail saying ``facts`` under ``headline`` (its subject), from ``sender`` to
    ``recipients`` (addresses, with or without a display name), dated ``sent_at``
    (default now: RFC 5322 requires a date). ``message_id`` keeps the same
    ``Message-ID`` on every try, so a receiver's client shows one message however often
    it was retried.

    Written with the standard library's ``email.mime`` classes, which cost a third of
    what ``EmailMessage`` does to build and flatten: this runs once per message the
    outbox sends. Non-ASCII names and subjects are RFC 2047 encoded, the bodies quoted-
    printable UTF-8.
    """
    for field, address in [("sender", sender), *(("recipient", r) for r in recipients)]:
        problem = address_problem(address)
        if problem is not None:
            raise InvalidInput(f"e-mail {field}: {problem}")
    if not recipients:
        raise InvalidInput("e-mail recipients: none given; name at least one address")
    message = MIMEMultipart("alternative")
    message["Subject"] = _encoded("Subject", headline)
    message["From"] = _mailbox(sender)[0]
    message["To"] = ", ".join(_mailbox(r)[0] for r in recipients)
    message["Date"] = format_datetime(sent_at if sent_at is not None else clock.now())
    message["Message-ID"] = message_id or make_msgid(domain=_domain(sender))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    message.attach(_text(facts_text(headline, facts, footer), "plain"))
    message.attach(_text(facts_html(headline, facts, footer), "html"))
    envelope = tuple(_mailbox(r)[1] for r in recipients)
    return Email(_mailbox(sender)[1], envelope, message.as_bytes(policy=_WIRE))


def build_email(
    notice: Notice,
    sender: str,
    recipients: Sequence[str],
    *,
    sent_at: dt.datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """``compose``'s e-mail read back as an ``EmailMessage``, to read its parts."""
    data = compose(notice, sender, recipients, sent_at=sent_at, message_id=message_id).data
    return BytesParser(policy=policy.default).parsebytes(data)


_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP
_WIRE = policy.compat32.clone(linesep="\r\n")  # SMTP's line ends, as smtplib sends bytes as given


def _encoded(name: str, text: str) -> str:
    """``text`` as header ``name`` carries it: RFC 2047 encoded words when not ASCII."""
    return text if text.isascii() else Header(text, "utf-8", header_name=name).encode()


def _text(body: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(body, _UTF8)  # quoted-printable: readable in the message's source
    return part


@lru_cache(maxsize=4096)
def _mailbox(text: str) -> tuple[str, str]:
    """An address ``address_problem`` accepted: as a header writes it, and bare."""
    [address] = _addresses(text) or ()
    return formataddr((address.display_name, address.addr_spec), "utf-8"), address.addr_spec


@lru_cache(maxsize=4096)  # the same few addresses again and again; parsing one is slow
def address_problem(text: str) -> str | None:
    """What is wrong with ``text`` as one e-mail address (a display name is allowed), or
    None. A line break, a second address or an address without a domain is refused.

    >>> address_problem("Zoë Ångström <zoe@acme.example>") is None
    True
    >>> address_problem("ops; all@acme.example")
    "'ops; all@acme.example' is not one e-mail address: write one address such as ..."
    """
    hint = "write one address such as ops@acme.example or Ops Team <ops@acme.example>"
    addresses = _addresses(text)
    if any(c in text for c in "\r\n") or addresses is None or len(addresses) != 1:
        return f"{text!r} is not one e-mail address: {hint}"
    if not addresses[0].username or "." not in addresses[0].domain:
        return f"{text!r} has no user or no domain: {hint}"
    return None


def _addresses(text: str) -> tuple[Address, ...] | None:
    header = EmailMessage()
    try:
        header["To"] = text
        addresses: tuple[Address, ...] = header["To"].addresses
    except (ValueError, IndexError, TypeError):
        return None
    return None if header["To"].defects else addresses


@lru_cache(maxsize=64)
def _domain(sender: str) -> str:
    addresses = _addresses(sender)
    return addresses[0].domain if addresses else "charter.invalid"
