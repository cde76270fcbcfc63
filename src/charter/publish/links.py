"""Every ``href`` built from data goes through here: a link is safe or it is not a link.

The policy schema already refuses web addresses that are not ``http(s)``
(``charter.policy.links``); this is the second wall, for data that reached the
store some other way. ``safe_href`` passes

- ``http://`` and ``https://`` URLs with a host;
- in-page fragments (``#returns``) and relative references without a scheme
  (``/tickets?page=2``, ``handbook.html``), but not ``//host`` (another site);
- ``mailto:`` an e-mail address and ``tel:`` a number, as built from a validated
  contact point;

and refuses anything else (``javascript:``, ``data:``, ``vbscript:``, other schemes,
spaces or control characters anywhere). ``link`` renders a refused target as its
text alone. Both are registered in the Jinja environments that render policy data.

>>> safe_href("https://acme.example/"), safe_href("#returns"), safe_href("JavaScript:x")
('https://acme.example/', '#returns', None)
>>> str(link("javascript:alert(1)", "Our site")), str(link("/tickets", "Tickets", rel="next"))
('Our site', '<a href="/tickets" rel="next">Tickets</a>')
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from charter.policy.links import has_hidden_characters, http_link_problem, scheme_of

_EMAIL = re.compile(r"^[^@\s:/?#<>\"']+@[^@\s:/?#<>\"']+$")
_TELEPHONE = re.compile(r"^\+?[0-9]{3,}$")


def safe_href(target: object) -> str | None:
    """``target`` when it is safe to put in an ``href``, else None."""
    if not isinstance(target, str) or not target or has_hidden_characters(target):
        return None
    scheme = scheme_of(target)
    if scheme is None:
        relative = not target.startswith("//") and "\\" not in target
        return target if relative else None
    if scheme == "mailto":
        return target if _EMAIL.match(target[len("mailto:") :]) else None
    if scheme == "tel":
        return target if _TELEPHONE.match(target[len("tel:") :]) else None
    return target if http_link_problem(target) is None else None


def link(target: object, text: object, **attributes: str) -> Markup:
    """An ``<a>`` to ``target`` showing ``text``, or only ``text`` when the target is unsafe."""
    href = safe_href(target)
    if href is None:
        return escape(text)
    extra = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
    return Markup(f'<a href="{escape(href)}"{extra}>{escape(text)}</a>')
