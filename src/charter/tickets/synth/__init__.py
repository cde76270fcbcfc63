"""A realistic, reproducible synthetic ticket history for demos, tests and benchmarks.

``synthesize(tickets, days, seed)`` returns canonical ticket and event frames
for a shop with a UK desk and a US desk answering on the example policy's
calendars. The same arguments always give the same frames.

>>> data = synthesize(500, 28, seed=3)
>>> data.tickets.height, str(data.tickets["created_at"].max().date()) <= "2026-10-31"
(500, True)
>>> dict(data.tickets.schema) == TICKET_SCHEMA, dict(data.events.schema) == EVENT_SCHEMA
(True, True)

What is modelled (see docs/synth.md): arrivals by London hour of day and day of
week (US tickets by New York hours), a yearly swell and growth; channel,
priority, segment, category, team, tags and assignee; agent replies inside
opening hours after a business-time delay that grows with the queue at that
hour, shrinks with priority and depends on the channel; follow-ups, pending and
on-hold periods, solves and closes; CSAT and NPS falling with the wait, and a
comment with some CSAT answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Final

import numpy as np
import polars as pl

from charter.errors import UsageError
from charter.hours import OpeningHours
from charter.policy import Policy, load_policy_text
from charter.policy.clock import opening_hours
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform
from charter.tickets.synth._arrivals import Arrivals, Window, draw_arrivals, history_window
from charter.tickets.synth._attributes import US_SHARE, draw_attributes
from charter.tickets.synth._comments import draw_comments
from charter.tickets.synth._conversation import converse
from charter.tickets.synth._csv import write_csv as write_csv
from charter.tickets.synth._desk import Desk, build_desk
from charter.tickets.synth._frames import Chunk, chunk_frames
from charter.tickets.synth._scores import draw_scores

__all__ = [
    "CHUNK_TICKETS",
    "DESK_CALENDARS",
    "HISTORY_END",
    "check_arguments",
    "default_start",
    "example_policy",
    "synthesize",
]

HISTORY_END: Final = dt.date(2026, 11, 1)  # by default the history ends the day before
CHUNK_TICKETS: Final = 100_000
MAX_DAYS: Final = 36_600
FIRST_YEAR, LAST_YEAR = 1900, 2199
# The policy calendar each desk answers on, and its share of the tickets.
DESK_CALENDARS: Final = (("uk-support", 1 - US_SHARE), ("us-support", US_SHARE))


def default_start(days: int) -> dt.date:
    """The first day of a ``days``-long history ending on the day before ``HISTORY_END``.

    >>> default_start(365)
    datetime.date(2025, 11, 1)
    """
    return HISTORY_END - dt.timedelta(days=days)


def synthesize(
    tickets: int,
    days: int,
    seed: int,
    *,
    start: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    policy: Policy | None = None,
) -> TicketData:
    """``tickets`` tickets created over ``days`` days from ``start``, with their events.

    ``start`` defaults to ``default_start(days)``, a fixed date, never today, so the
    result depends only on the arguments. ``progress`` is called with the number of
    tickets done after each chunk of ``CHUNK_TICKETS``. ``policy`` supplies the
    calendars named in ``DESK_CALENDARS`` (default: the example policy). Raises
    ``UsageError`` for a count or seed that cannot be used.
    """
    check_arguments(tickets, days, seed, start)
    first = start if start is not None else default_start(days)
    window = history_window(first, days)
    clocks = _clocks(policy or example_policy(), first, days)
    shares = tuple(
        (clock.timezone, share) for clock, (_, share) in zip(clocks, DESK_CALENDARS, strict=True)
    )
    arrivals = draw_arrivals(tickets, window, shares, np.random.default_rng([seed, 0]))
    desks = tuple(map(build_desk, clocks, arrivals.per_bucket, [window] * len(clocks)))
    parts: list[tuple[pl.DataFrame, pl.DataFrame]] = []
    for index, lo in enumerate(range(0, tickets, CHUNK_TICKETS)):
        hi = min(lo + CHUNK_TICKETS, tickets)
        rng = np.random.default_rng([seed, index + 1])
        said = np.random.default_rng([seed, index + 1, 1])  # comments: a stream of their own
        parts.append(_chunk(arrivals, lo, hi, desks, window, (rng, said)))
        if progress is not None:
            progress(hi)
    return TicketData(
        conform(pl.concat([t for t, _ in parts]), TICKET_SCHEMA),
        conform(pl.concat([e for _, e in parts]), EVENT_SCHEMA),
    )


@cache
def example_policy() -> Policy:
    """The example policy shipped with Charter (``charter init`` writes it)."""
    text = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")
    return load_policy_text(text, "example.yaml").policy


def check_arguments(tickets: int, days: int, seed: int, start: dt.date | None = None) -> None:
    """Raise ``UsageError`` for arguments ``synthesize`` cannot use, before any work.

    >>> check_arguments(0, 365, 7)
    Traceback (most recent call last):
    charter.errors.UsageError: tickets must be at least 1, got 0; ask for 1 or more
    """
    if tickets < 1:
        raise UsageError(f"tickets must be at least 1, got {tickets}; ask for 1 or more")
    if days < 1:
        raise UsageError(f"days must be at least 1, got {days}; ask for 1 or more")
    if seed < 0:
        raise UsageError(f"seed must be 0 or more, got {seed}")
    if days > MAX_DAYS:
        raise UsageError(f"days must be at most {MAX_DAYS} (a century), got {days}")
    first = start if start is not None else default_start(days)
    beyond = dt.date(LAST_YEAR + 1, 1, 1).toordinal()
    if first.year < FIRST_YEAR or first.toordinal() + days > beyond:
        raise UsageError(
            f"a history of {days} days from {first} must lie within the years {FIRST_YEAR}-"
            f"{LAST_YEAR}; choose another start"
        )


def _clocks(policy: Policy, first: dt.date, days: int) -> tuple[OpeningHours, ...]:
    # Holidays for the history's years and two more, for replies after its end.
    last = first + dt.timedelta(days=days)
    years = range(first.year - 1, last.year + 3)
    return tuple(opening_hours(policy, name, years=years) for name, _ in DESK_CALENDARS)


def _chunk(
    arrivals: Arrivals,
    lo: int,
    hi: int,
    desks: tuple[Desk, ...],
    window: Window,
    streams: tuple[np.random.Generator, np.random.Generator],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng, said = streams
    created, desk = arrivals.created_us[lo:hi], arrivals.desk[lo:hi]
    attributes = draw_attributes(desk, rng)
    conversation = converse(created, desk, attributes, desks, rng)
    surveyed = conversation.solved < window.end_us
    csat, nps = draw_scores(conversation.wait_us, attributes.tags["complaint"], surveyed, rng)
    width = max(6, len(str(arrivals.created_us.size)))
    comments = draw_comments(csat, attributes.category, said)
    chunk = Chunk(lo, width, created, attributes, conversation, csat, nps, comments)
    return chunk_frames(chunk, window.end_us)
