"""What the decision pages share: the answer's dates in words and the business's zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from charter import clock, figures
from charter.services import decisions

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(iso: str | None) -> str:
    """An ISO date (or the date part of an instant) in words: ``Tue 8 Dec 2026``.

    >>> day("2026-12-08"), day(None)
    ('Tue 8 Dec 2026', '—')
    """
    if not iso:
        return figures.MISSING
    found = dt.date.fromisoformat(iso[:10])
    return f"{WEEKDAYS[found.weekday()]} {found.day} {MONTHS[found.month - 1]} {found.year}"


def when(iso: str | None, zone: dt.tzinfo | None = None) -> str:
    """An ISO instant with its offset, in words in ``zone`` (else the zone it carries).

    >>> when("2026-12-31T23:59:59+00:00", zoneinfo.ZoneInfo("Europe/London"))
    'Thu 31 Dec 2026 23:59 GMT'
    """
    if not iso:
        return figures.MISSING
    return figures.instant(dt.datetime.fromisoformat(iso), zone)


def input_words(inputs: dict[str, Any], zone: dt.tzinfo) -> list[tuple[str, str]]:
    """A decision's inputs as a person reads them: instants in ``zone``, yes or no, lists
    joined; the ones not given left out.

    >>> for pair in input_words({"ordered_at": "2026-11-25T14:41:15.9+00:00", "delivered_at": None,
    ...                          "informed_of_right": False, "unmet_conditions": []}, dt.UTC):
    ...     print(*pair, sep=": ")
    ordered at: Wed 25 Nov 2026 14:41 UTC
    informed of right: no
    unmet conditions: none
    """
    shown = []
    for name, value in inputs.items():
        if value is None:
            continue
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value) or "none"
        elif name.endswith("_at") and isinstance(value, str):
            text = when(value, zone)
        else:
            text = str(value)
        shown.append((name.replace("_", " "), text))
    return shown


def zone_of(form: decisions.AskForm | None, answer: decisions.Recorded | None) -> dt.tzinfo:
    """The zone instants are shown in: the answer's calendar's, else the business's."""
    name = (answer.answer.get("timezone") if answer else None) or (form.timezone if form else "UTC")
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def shared(form: decisions.AskForm | None, answer: decisions.Recorded | None) -> dict[str, Any]:
    """The context both pages give the answer's partial."""
    return {"answer": answer, "day": day, "when": when, "figures": figures,
            "zone": zone_of(form, answer), "refund_words": decisions.REFUND_WORDS,
            "input_words": input_words, "now": clock.now()}  # fmt: skip
