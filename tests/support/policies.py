"""Random valid policies (a hypothesis strategy) and quiz options read back into values.

``policies()`` draws a policy as plain data and loads it with ``load_policy_text``, so it
passes the same validation and reference checks a user's file does. The pools are
small on purpose: sibling facts often share a value (two rules promising 1h and 60m,
two roles both named "Agent", a principle worded like a courtesy standard), which is
what a quiz's distractors must see through.

``option_value`` reads an option's words back into what it means, independently of the
quiz code, so a test can compare options by value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Hashable
from typing import Any

from hypothesis import strategies as st

from charter.policy import Policy, load_policy_text

HOURS = [[], ["09:00-17:00"], ["08:00-20:00"], ["09:00-13:00", "14:00-17:00"],
         ["22:00-02:00"], ["00:00-24:00"], ["10:00-16:00"], ["09:00-17:00"]]  # fmt: skip
DURATIONS = ["5m", "30m", "1h", "60m", "90m", "2h", "4h", "8h", "1d", "24h", "2wd", "10wd"]
TEXTS = ["Greet the customer by name.", "greet the customer by name", "Say what happens next.",
         "Own it.", "Plain words, no jargon.", "Never blame a colleague.",
         "Watch the queue.", "Answer within the promised times."]  # fmt: skip
ROLE_NAMES = ["Agent", "Team lead", "Manager", "Agent", "Supervisor"]
CHANNELS = ["email", "phone", "chat", "web"]
DATES = st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """A random valid policy with every section a quiz asks about, some left out."""
    calendars = [_calendar(draw, n) for n in range(draw(st.integers(1, 3)))]
    clocks = [c["id"] for c in calendars] + ["24x7"]
    roles = [_role(draw, n) for n in range(draw(st.integers(0, 4)))]
    data: dict[str, Any] = {
        "organisation": {"name": "Acme", "mission": "Delight"},
        "calendars": calendars,
        "principles": [
            {"id": f"pr-{n}", "title": f"P{n}", "text": draw(st.sampled_from(TEXTS))}
            for n in range(draw(st.integers(0, 3)))
        ],
        "contact_points": [
            {
                "id": f"cp-{n}",
                "channel": draw(st.sampled_from(CHANNELS)),
                "address": f"https://acme.example/{n}",
                "calendar": draw(st.sampled_from(clocks)),
            }
            for n in range(draw(st.integers(0, 4)))
        ],  # fmt: skip
        "service_levels": {
            "rules": [_rule(draw, n, clocks) for n in range(draw(st.integers(0, 5)))]
        },
        "escalation": [_level(draw, n, roles) for n in range(draw(st.integers(0, 3)))],
        "delivery": [_delivery(draw, n) for n in range(draw(st.integers(0, 4)))],
        "staff": {
            "roles": roles,
            "courtesy": [
                {"id": f"co-{n}", "text": draw(st.sampled_from(TEXTS))}
                for n in range(draw(st.integers(0, 3)))
            ],
        },
    }
    if draw(st.booleans()):
        data["returns"] = {
            "window_days": draw(st.integers(0, 60)),
            "refund": {
                "method": draw(st.sampled_from(["original_payment", "store_credit", "exchange"])),
                "within": draw(st.sampled_from(DURATIONS)),
                "clock": draw(st.sampled_from(clocks)),
            },
        }
    if roles and draw(st.booleans()):
        owners = [role["id"] for role in roles]
        data["complaints"] = {"how_to_complain": "Tell us.", "stages": [
            {"id": f"st-{n}", "name": f"Stage {n}", "owner_role": draw(st.sampled_from(owners)),
             "within": draw(st.sampled_from(DURATIONS)), "clock": draw(st.sampled_from(clocks))}
            for n in range(draw(st.integers(1, 3)))
        ]}  # fmt: skip
    return load_policy_text(json.dumps(data)).policy


def _calendar(draw: st.DrawFn, n: int) -> dict[str, Any]:
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    weekly = {day: draw(st.sampled_from(HOURS)) for day in draw(st.sets(st.sampled_from(days)))}
    return {
        "id": f"cal-{n}",
        "name": draw(st.sampled_from([None, "Desk", f"Desk {n}"])),
        "timezone": draw(st.sampled_from(["Europe/London", "America/New_York", "UTC"])),
        "weekly": {day: hours for day, hours in weekly.items() if hours},
        "holidays": {
            "country": draw(st.sampled_from([None, None, "GB", "US"])),
            "dates": draw(st.lists(DATES, max_size=3, unique=True)),
        },
        "special": draw(st.dictionaries(DATES, st.sampled_from(HOURS), max_size=3)),
    }


def _role(draw: st.DrawFn, n: int) -> dict[str, Any]:
    return {
        "id": f"role-{n}",
        "name": draw(st.sampled_from(ROLE_NAMES)),
        "responsibilities": draw(st.lists(st.sampled_from(TEXTS), max_size=2, unique=True)),
    }


def _rule(draw: st.DrawFn, n: int, clocks: list[str]) -> dict[str, Any]:
    when: dict[str, Any] = {}
    for name, pool in (("channel", CHANNELS), ("priority", ["low", "normal", "high", "urgent"]),
                       ("segment", ["vip", "us"]), ("tags", ["refund", "late"])):  # fmt: skip
        if draw(st.integers(0, 3)) == 0:
            when[name] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
    metrics = draw(st.lists(st.sampled_from(["first_response", "next_response", "resolution"]),
                            min_size=1, max_size=3, unique=True))  # fmt: skip
    targets = {
        metric: {"within": draw(st.sampled_from(DURATIONS)), "clock": draw(st.sampled_from(clocks))}
        for metric in metrics
    }
    return {"id": f"sl-{n}", "when": when, "targets": targets}


def _level(draw: st.DrawFn, n: int, roles: list[dict[str, Any]]) -> dict[str, Any]:
    who = [r["id"] for r in roles] + ["ops@acme.example", "desk@acme.example"]
    return {
        "id": f"esc-{n}",
        "metric": draw(st.sampled_from(["first_response", "resolution"])),
        "level": draw(st.integers(1, 3)),
        "at": draw(st.sampled_from(["50%", "75%", "breach", "breach + 2h", "breach + 4h"])),
        "notify": draw(st.lists(st.sampled_from(who), min_size=1, max_size=3, unique=True)),
    }


def _delivery(draw: st.DrawFn, n: int) -> dict[str, Any]:
    def days() -> dict[str, int]:
        low = draw(st.integers(0, 3))
        return {"min": low, "max": low + draw(st.integers(0, 3))}

    return {
        "id": f"dl-{n}",
        "region": draw(st.sampled_from(["UK", "EU", "US"])),
        "method": draw(st.sampled_from(["standard", "express"])),
        "handling_days": days(),
        "transit_days": days(),
    }


_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_DURATION = re.compile(
    r"^(\d+(?:\.\d+)?) (business )?(minute|hour|day|working day)s? "
    r"(?:on calendar (\S+)|around the clock \(24x7\))$"
)
_INTERVAL = re.compile(r"^(\d\d:\d\d)–(\d\d:\d\d)$")
_RANGE = re.compile(r"^(\d+)(?:–(\d+))? business days?$")
_THRESHOLD = re.compile(
    r"^at (\d+(?:\.\d+)?)% of the target time$|^at breach$|^(\w+) after breach$"
)
METHODS = {"original payment", "store credit", "exchange", "customer choice"}


def option_value(kind: str, text: str) -> Hashable:
    """What an option of ``kind`` means, read from its words; AssertionError when the
    words are not of that kind."""
    if kind == "duration":
        found = _DURATION.match(text)
        assert found, f"{text!r} is not a duration"
        amount, business, unit, clock = found.groups()
        clock = clock or "24x7"
        assert (business is not None) == (clock != "24x7" and unit != "working day"), text
        if unit == "working day":
            return ("wd", int(amount), clock)
        return ("s", round(float(amount) * _UNITS[unit]), clock)
    if kind == "opening hours":
        if text == "closed":
            return ()
        parts = [_INTERVAL.match(part) for part in text.split(" and ")]
        assert all(parts), f"{text!r} is not opening hours"
        return tuple(p.groups() for p in parts if p)
    if kind == "day range":
        found = _RANGE.match(text)
        assert found, f"{text!r} is not a day range"
        low = int(found.group(1))
        high = int(found.group(2) or low)
        assert low < high or found.group(2) is None, text
        return (low, high)
    if kind == "threshold":
        found = _THRESHOLD.match(text)
        assert found, f"{text!r} is not a threshold"
        return found.groups()
    if kind == "refund method":
        assert text in METHODS, text
        return text
    if kind == "recipients":
        return frozenset(re.split(r", | and ", text))
    assert kind in ("role", "text"), kind
    return " ".join(text.casefold().split()).rstrip(".")
