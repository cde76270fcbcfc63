"""The live what-if's hand-counted store, used by the service's and the pages' tests.

The policy promises a first response within 2 h on the 24x7 clock for 80 % of
tickets. The clock stands at Mon 7 Dec 2026 10:30 UTC, so the window is the tickets
created from 1 Jan 2026 to now. Six tickets in November (created 09:00 UTC on
Mon 2 Nov) and one still open from this morning:

| ticket | reply after | under 2h  | under 4h  |
| ------ | ----------- | --------- | --------- |
| t1     | 1 h         | met       | met       |
| t2     | 1 h 30      | met       | met       |
| t3     | 2 h 30      | breached  | met       |
| t4     | 3 h         | breached  | met       |
| t5     | 5 h         | breached  | breached  |
| t6     | none, 2 h 30 running (08:00 to 10:30) | breached (due 10:00) | running: not decided |

2 h: 2 met of 6 decided = 33.3 %. 4 h: 4 met of 5 decided = 80 %: +46.7 points, and
80 % is a promise of 80 % kept. A seventh ticket, created 30 Nov 2025, lies before
the window and counts nowhere (it was answered in 1 h: counted, it would raise both).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from charter.tickets.dataset import TicketData, empty_events
from charter.tickets.schema import TICKET_SCHEMA, conform

POLICY = """\
organisation: {name: Acme, mission: Help}
service_levels:
  rules:
    - id: all
      name: Every ticket
      targets:
        first_response: {within: 2h, clock: 24x7, attainment: 80%}
"""
NOW = dt.datetime(2026, 12, 7, 10, 30, tzinfo=dt.UTC)
NOVEMBER = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def tickets(*rows: tuple[str, dt.datetime, dt.datetime | None]) -> TicketData:
    frame = pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "created_at": [r[1] for r in rows],
            "channel": ["email"] * len(rows),
            "priority": ["normal"] * len(rows),
            "status": ["open" if r[2] is None else "solved" for r in rows],
            "first_response_at": [r[2] for r in rows],
        },
        schema_overrides={"first_response_at": pl.Datetime("us", "UTC")},
    )
    return TicketData(conform(frame, TICKET_SCHEMA), empty_events())


STORY = tickets(
    ("t1", NOVEMBER, NOVEMBER + H),
    ("t2", NOVEMBER, NOVEMBER + 1.5 * H),
    ("t3", NOVEMBER, NOVEMBER + 2.5 * H),
    ("t4", NOVEMBER, NOVEMBER + 3 * H),
    ("t5", NOVEMBER, NOVEMBER + 5 * H),
    ("t6", dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC), None),
    ("old", dt.datetime(2025, 11, 30, 9, 0, tzinfo=dt.UTC), dt.datetime(2025, 11, 30, 10, 0,
                                                                        tzinfo=dt.UTC)),
)  # fmt: skip
