"""Fields that become links: web addresses are ``http`` or ``https``, nothing else.

A policy's web addresses are shown to customers as links, so a ``javascript:``,
``data:`` or ``vbscript:`` address would run in a visitor's browser. ``HttpLink``
accepts only an ``http://`` or ``https://`` address with a host (one written with no
scheme at all, ``www.acme.example``, is read as ``https://``), written
without spaces or control characters (browsers drop those before reading the
scheme, so ``"\\tjavascript:"`` is ``javascript:``). ``ContactAddress`` is an
e-mail address, a phone number or such a web address.

>>> http_link_problem("https://www.acme.example/help") is None
True
>>> _http_link("www.acme.example")
'https://www.acme.example'
>>> http_link_problem("JavaScript:alert(1)")
"'JavaScript:alert(1)' is not an http(s) web address"
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, WithJsonSchema

HTTP_SCHEMES = ("http", "https")
LINK_HINT = (
    "write the full address starting with https:// (or http://), e.g. "
    "https://www.example.com; other kinds such as javascript: or data: are refused"
)
CONTACT_HINT = "write an e-mail address, a phone number, or a web address starting with https://"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SHOWN = 60  # characters of a bad value repeated in a message


def shown(value: str) -> str:
    """``value`` quoted for a message, cut short when long."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def has_hidden_characters(text: str) -> bool:
    """Whether ``text`` holds whitespace, control or invisible formatting characters."""
    return any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in text)


def scheme_of(text: str) -> str | None:
    """The scheme of a URL written with one (lower case), or None for a relative one."""
    found = _SCHEME.match(text)
    return found.group(1).lower() if found else None


def http_link_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a web address shown as a link, or None."""
    if has_hidden_characters(value):
        return f"{shown(value)} contains a space or control character"
    if scheme_of(value) not in HTTP_SCHEMES or not urlsplit(value).hostname:
        return f"{shown(value)} is not an http(s) web address"
    return None


def _http_link(value: str) -> str:
    """``value`` checked; an address written without a scheme (``www.acme.example``)
    is read as ``https://``, as a browser's address bar reads it."""
    written = value
    if scheme_of(value) is None and value[:1] not in ("/", "\\") and "\\" not in value:
        written = f"https://{value}"
    problem = http_link_problem(written)
    if problem is not None:
        raise ValueError(f"{http_link_problem(value) or problem}; {LINK_HINT}")
    return written


def _contact_address(value: str) -> str:
    text = value.strip()
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        raise ValueError(f"{shown(value)} contains a control character; {CONTACT_HINT}")
    scheme = scheme_of(text)
    if scheme == "mailto" or scheme is None:
        return value
    problem = http_link_problem(text)
    if problem is not None:
        raise ValueError(f"{problem}; {CONTACT_HINT}")
    return value


_LINK_SCHEMA: dict[str, Any] = {
    "type": "string",
    "format": "uri",
    "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://",
}
HttpLink = Annotated[str, AfterValidator(_http_link), WithJsonSchema(_LINK_SCHEMA)]
ContactAddress = Annotated[str, AfterValidator(_contact_address)]
