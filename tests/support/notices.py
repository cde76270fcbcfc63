"""Escalation notices for the delivery tests: ``make_notice(**overrides)``.

The default is ticket 4211 ("Parcel lost in Zürich") under rule ``sl-email-high``:
first response within 4 business hours on calendar ``uk-support``, level 1 at 75%,
due Mon 02 Mar 2026 13:00 UTC with 1 h 30 min of business time left.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from charter.notify import Notice
from charter.policy.service_level import Target

DUE = dt.datetime(2026, 3, 2, 13, 0, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")


def make_notice(**overrides: Any) -> Notice:
    values: dict[str, Any] = {
        "ticket_id": "4211",
        "subject": "Parcel lost in Zürich",
        "ticket_url": "https://acme.zendesk.example/agent/tickets/4211",
        "base_url": "https://charter.acme.example/",
        "rule_id": "sl-email-high",
        "rule_name": "E-mail, high priority",
        "metric": "first_response",
        "target": Target(within="4h", clock="uk-support"),
        "clause_id": "service_levels.rules.sl-email-high",
        "level": 1,
        "threshold": "75%",
        "due_at": DUE,
        "left_seconds": 5400,
        "zone": LONDON,
    }
    return Notice(**{**values, **overrides})
