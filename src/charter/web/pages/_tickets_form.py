"""The ticket list's URL query: read, checked and written back the same way by the list,
its CSV export, its saved views and the ticket page's link back to it.

Every parameter is optional; an empty one means "any". ``read_form`` trims them and
keeps the known ones in a fixed order, so a list's query (and a saved view) reads the
same however it was reached; the dashboard's ``state=open`` is ``status=open``.

>>> form = read_form({"channel": " Email ", "state": "open", "junk": "x", "page": "2"})
>>> form
{'status': 'open', 'channel': 'Email'}
>>> query_string(form, page=2)
'status=open&channel=Email&page=2'
>>> back_query("status=open&evil=%0a&sort=-due&page=3")
'status=open&sort=-due&page=3'
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from charter.errors import InvalidInput
from charter.services.dashboard import parse_period
from charter.services.ticket_queries import MAX_PER_PAGE, SORTS, Narrower

# The list's parameters in the order its query is written (``page`` goes last).
KEYS = (
    "q", "status", "priority", "assignee", "team", "channel", "sla_status", "due_within",
    "mine", "worst", "period", "sort", "tz", "per_page",
)  # fmt: skip
STATUSES = {"open": "open", "solved": "solved"}  # open: no solve instant yet
LONGEST = 200  # the longest assignee the store holds; channel and team hold 64
MOST_HOURS = 24 * 30  # "due within" up to 30 days
PER_PAGE = 50
LAST_PAGE = 1_000_000  # as in the API: further than anyone pages, and no overflow
_NUMBER = re.compile(r"[0-9]{1,19}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def read_form(params: Mapping[str, str]) -> dict[str, str]:
    """The known, non-empty parameters, trimmed, in ``KEYS`` order."""
    values = {key: (params.get(key) or "").strip() for key in KEYS}
    if not values["status"] and (params.get("state") or "").strip():
        values["status"] = (params.get("state") or "").strip()
    return {key: value for key, value in values.items() if value}


def query_string(form: Mapping[str, str], **extra: int) -> str:
    """The URL query of ``form``'s non-empty fields, then ``extra`` (such as ``page``)."""
    kept = [(key, value) for key, value in form.items() if value]
    return urlencode(kept + [(key, str(value)) for key, value in extra.items()])


def back_query(text: str | None) -> str:
    """The list's query a ticket page links back to (its ``back`` parameter), reduced to
    the list's own parameters and ``page``, each short and printable; "" otherwise."""
    if not text or len(text) > 2000:
        return ""
    pairs = [
        (key, value.strip())
        for key, value in parse_qsl(text)
        if (key in KEYS or key == "page") and len(value) <= LONGEST and not _CONTROL.search(value)
    ]
    return urlencode([(key, value) for key, value in pairs if value])


def list_arguments(form: Mapping[str, str], own_names: tuple[str, ...]) -> dict[str, Any]:
    """``ticket_list``'s arguments for the form (``page`` aside); ``InvalidInput``
    naming the first parameter that cannot be used."""
    order, descending = _sort(form.get("sort"))
    status = _choice("status", form.get("status"), tuple(STATUSES))
    mine = _mine(form.get("mine"))
    hours = number("due_within", form.get("due_within"), 0, 1, MOST_HOURS)
    narrower = Narrower(
        solved_only=status == "solved",
        assignee=_name("assignee", form.get("assignee")),
        assignees=own_names if mine else None,
        search=_name("q", form.get("q")),
        due_within=hours or None,
    )
    chosen = parse_period(form["period"]) if form.get("period") else None
    return {
        "sla_status": form.get("sla_status"),
        "channel": _name("channel", form.get("channel")),
        "team": _name("team", form.get("team")),
        "priority": _name("priority", form.get("priority")),
        "worst": form.get("worst"),
        "open_only": status == "open",
        "days": (chosen.start, chosen.end) if chosen else None,
        "narrower": narrower,
        "order": order,
        "descending": descending,
        "per_page": number("per_page", form.get("per_page"), PER_PAGE, 1, MAX_PER_PAGE),
    }


def viewer_zone(form: Mapping[str, str], business: str) -> str:
    """The zone the list shows times in: ``tz`` (any IANA name, any case), else the
    business's; ``InvalidInput`` for a name that is no zone."""
    text = form.get("tz")
    if not text:
        return business
    zone = _zones().get(text.lower()) if len(text) <= 64 else None
    if zone is None:
        raise InvalidInput(
            f"tz {_shown(text)!r} is not a time zone; choose one from the list, or write "
            "an IANA name such as Europe/London or America/New_York",
            [{"field": "tz", "problem": "unknown time zone"}],
        )
    return zone


def sort_link(form: Mapping[str, str], key: str) -> tuple[str, str | None]:
    """The query that sorts the list by column ``key`` (again: the other way), and the
    column's ``aria-sort`` now (None when the list is not sorted by it)."""
    order, descending = _sort(form.get("sort"))
    now = ("descending" if descending else "ascending") if order == key else None
    flipped = f"-{key}" if now == "ascending" else key
    chosen = {k: v for k, v in form.items() if k != "sort"}
    if flipped != "due":
        chosen["sort"] = flipped
    return query_string(chosen), now


def number(field: str, value: str | None, default: int, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` from the URL, ``default`` when absent."""
    if value is None or not value.strip():
        return default
    if not _NUMBER.fullmatch(value.strip()) or not low <= int(value) <= high:
        raise InvalidInput(
            f"{field} {_shown(value)!r} is not a whole number from {low} to {high:,}",
            [{"field": field, "problem": f"not a whole number in {low}-{high}"}],
        )
    return int(value)


def _sort(value: str | None) -> tuple[str, bool]:
    if not value:
        return "due", False
    key = value.removeprefix("-")
    if key not in SORTS:
        raise InvalidInput(
            f"sort {_shown(value)!r} is not a column to sort by; use one of "
            f"{', '.join(SORTS)}, with a leading - for the other way",
            [{"field": "sort", "problem": "unknown column"}],
        )
    return key, value.startswith("-")


def _choice(field: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or value in allowed:
        return value
    raise InvalidInput(
        f"{field} {_shown(value)!r} is not one of {', '.join(allowed)}; "
        "leave it empty for every ticket",
        [{"field": field, "problem": "unknown value"}],
    )


def _mine(value: str | None) -> bool:
    if value is None:
        return False
    if value.lower() in ("1", "yes", "on", "true"):
        return True
    raise InvalidInput(
        f"mine {_shown(value)!r} is not a yes: write mine=1 for your own tickets, or leave it out",
        [{"field": "mine", "problem": "not 1"}],
    )


def _name(field: str, value: str | None) -> str | None:
    """A name to filter by (None for any); ``InvalidInput`` when unusable."""
    if value is None or not value.strip():
        return None
    if len(value) > LONGEST or _CONTROL.search(value):
        raise InvalidInput(
            f"the {field} filter must be at most {LONGEST} characters with no control "
            "characters; choose a value from the list",
            [{"field": field, "problem": "too long or not printable"}],
        )
    return value.strip()


def _shown(value: str | None) -> str:
    text = value or ""
    return text if len(text) <= 20 else text[:20] + "…"


@cache
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}
