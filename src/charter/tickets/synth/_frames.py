"""A chunk of synthetic tickets as canonical frames, cut at the end of the history.

Events after the end have not happened yet, so they are dropped; the ticket
columns are then read off the events that remain: the status is the last
status event (``new`` when there is none), ``first_response_at`` the first
agent reply, ``solved_at`` the solve, ``updated_at`` the last event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.tickets.schema import (
    EVENT_KINDS,
    PRIORITIES,
    STATUSES,
    UTC,
    EventKind,
    Priority,
    Status,
)
from charter.tickets.synth._arrivals import F64, I64
from charter.tickets.synth._attributes import (
    AGENT_COUNT,
    CATEGORIES,
    CHANNELS,
    SEGMENTS,
    TAGS,
    TEAMS,
    Attributes,
    Codes,
)
from charter.tickets.synth._conversation import NEW, STATUS, Conversation

_NAT = np.iinfo(np.int64).min
_TAG_SETS = pl.Series(
    [[tag for bit, tag in enumerate(TAGS) if code >> bit & 1] for code in range(1 << len(TAGS))],
    dtype=pl.List(pl.String()),
)
_AGENTS = pl.Series([f"agent-{k}" for k in range(AGENT_COUNT + 1)])


@dataclass(frozen=True)
class Chunk:
    """Tickets ``offset + 1`` … of one chunk: what they are and what happened to them."""

    offset: int
    id_width: int
    created: I64
    attributes: Attributes
    conversation: Conversation
    csat: F64
    nps: F64
    comments: pl.Series  # the CSAT answers' comments, null where none was written


def chunk_frames(chunk: Chunk, end_us: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The chunk's ticket and event frames as seen at ``end_us``."""
    c = chunk.conversation
    kept = c.at < end_us
    ticket, at, kind, status = c.ticket[kept], c.at[kept], c.kind[kept], c.status[kept]
    ids = (
        pl.int_range(chunk.offset + 1, chunk.offset + chunk.created.size + 1, eager=True)
        .cast(pl.String)
        .str.zfill(chunk.id_width)
    )
    events = pl.DataFrame(
        {
            "ticket_id": ids.gather(ticket),
            "at": _instants(at),
            "kind": pl.Series(EVENT_KINDS, dtype=EventKind).gather(kind),
            "status": pl.Series(STATUSES, dtype=Status).gather(_nullable(status)),
        }
    )
    updated = at[_last_per_ticket(ticket)]  # every ticket keeps its opening message
    statuses = _last_statuses(chunk.created.size, ticket[kind == STATUS], status[kind == STATUS])
    return _ticket_frame(chunk, ids, updated, statuses, end_us), events


def _last_per_ticket(ticket: I64) -> I64:
    """Positions of each ticket's last entry in an array sorted by ticket."""
    if ticket.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.append(ticket[1:] != ticket[:-1], True))


def _last_statuses(n: int, ticket: I64, status: Codes) -> Codes:
    """Each ticket's last status, ``new`` for tickets without a status event."""
    last = _last_per_ticket(ticket)
    result = np.full(n, NEW, dtype=np.int8)
    result[ticket[last]] = status[last]
    return result


def _ticket_frame(
    chunk: Chunk, ids: pl.Series, updated: I64, status: Codes, end_us: int
) -> pl.DataFrame:
    a, c = chunk.attributes, chunk.conversation
    answered = c.first_reply < end_us
    tag_code = sum(a.tags[tag].astype(np.int64) << bit for bit, tag in enumerate(TAGS))
    return pl.DataFrame(
        {
            "id": ids,
            "created_at": _instants(chunk.created),
            "updated_at": _instants(updated),
            "channel": pl.Series(CHANNELS).gather(a.channel),
            "priority": pl.Series(PRIORITIES, dtype=Priority).gather(a.priority),
            "segment": pl.Series(SEGMENTS).gather(a.segment),
            "team": pl.Series(TEAMS).gather(a.team),
            "assignee": _AGENTS.gather(_nullable(np.where(answered, a.agent, -1))),
            "category": pl.Series(CATEGORIES).gather(a.category),
            "tags": _TAG_SETS.gather(tag_code),
            "status": pl.Series(STATUSES, dtype=Status).gather(status),
            "first_response_at": _instants(np.where(answered, c.first_reply, _NAT)),
            "solved_at": _instants(np.where(c.solved < end_us, c.solved, _NAT)),
            "csat": pl.Series(chunk.csat, nan_to_null=True).cast(pl.Int8),
            "nps": pl.Series(chunk.nps, nan_to_null=True).cast(pl.Int8),
            "csat_comment": chunk.comments,
        }
    )


def _instants(us: I64) -> pl.Series:
    """UTC timestamps; the smallest int64 (numpy's NaT) becomes null."""
    return pl.Series(us.view("datetime64[us]")).cast(UTC)


def _nullable(codes: NDArray[np.int8] | NDArray[np.int16]) -> pl.Series:
    """Indices to gather, with null where the code is negative."""
    return pl.Series(np.where(codes < 0, np.nan, codes), nan_to_null=True).cast(pl.Int64)
