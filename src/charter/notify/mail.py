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
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import cache, lru_cache

import jinja2

from charter import clock
from charter.errors import InvalidInput
from charter.notify.notice import Notice

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
<p style="color: #555">Sent by Charter because this ticket reached an escalation level of the policy.</p>
</body></html>
"""  # noqa: E501


@cache
def _html_template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_HTML)


def plain_text(notice: Notice) -> str:
    """The plain-text body: the headline, then one ``Label: value`` line per fact, with
    each link on its own line below its fact."""
    lines = [notice.headline, ""]
    for fact in notice.facts():
        lines.append(f"{fact.label}: {fact.text}")
        if fact.href:
            lines.append(f"  {fact.href}")
    lines += ["", "Sent by Charter because this ticket reached an escalation level of the policy."]
    return "\n".join(lines) + "\n"


def html(notice: Notice) -> str:
    """The HTML body, every value escaped."""
    return _html_template().render(headline=notice.headline, facts=notice.facts())


def build_email(
    notice: Notice,
    sender: str,
    recipients: Sequence[str],
    *,
    sent_at: dt.datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """The e-mail for ``notice`` from ``sender`` to ``recipients`` (addresses, with or
    without a display name), dated ``sent_at`` (default now: RFC 5322 requires a
    date). ``message_id`` keeps the same ``Message-ID`` on every try, so a receiver's
    client shows one message however often it was retried."""
    for field, address in [("sender", sender), *(("recipient", r) for r in recipients)]:
        problem = address_problem(address)
        if problem is not None:
            raise InvalidInput(f"e-mail {field}: {problem}")
    if not recipients:
        raise InvalidInput("e-mail recipients: none given; name at least one address")
    message = EmailMessage()
    message["Subject"] = notice.headline
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(sent_at if sent_at is not None else clock.now())
    message["Message-ID"] = message_id or make_msgid(domain=_domain(sender))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    message.set_content(plain_text(notice))
    message.add_alternative(html(notice), subtype="html")
    return message


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
