"""The life of each synthetic ticket as events, built round by round for a whole chunk.

Every ticket opens with the customer's message. The first agent reply moves it
from ``new`` to ``open``. Then come zero or more *rounds*, each ending in an
agent reply:

- follow-up: the customer writes again (a next-reply chain);
- pending: the agent's last reply asked something (status ``pending``), the
  customer answers later (status back to ``open``);
- on hold: the agent's last reply put the ticket ``on_hold`` (waiting on the
  warehouse or a carrier) until it is taken up again (status ``open``).

The last reply solves the ticket, unless the customer never answers a final
question: then it stays ``pending`` until an automation solves it four days
later. Some solved tickets are ``closed`` days afterwards. The loop runs over
rounds (at most ``MAX_ROUNDS``), never over tickets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from charter.tickets.schema import EVENT_KINDS, STATUSES
from charter.tickets.synth._arrivals import F64, I64, US_PER_S
from charter.tickets.synth._attributes import Attributes, Codes, choose
from charter.tickets.synth._desk import Desk

CUSTOMER, AGENT, STATUS = range(len(EVENT_KINDS))
NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED = range(len(STATUSES))
NO_STATUS: Final = -1
DAY_US: Final = 86_400 * US_PER_S

# Agent reply: median business seconds with an empty-ish queue, per channel
# (email, chat, phone, web), lognormal spread, and a factor per priority.
AGENT_DELAY_S: Final = np.array([4500.0, 150.0, 1500.0, 3600.0])
AGENT_SIGMA: Final = np.array([0.8, 0.7, 0.8, 0.8])
PRIORITY_SPEED: Final = np.array([1.4, 1.0, 0.55, 0.25])  # low, normal, high, urgent
# Customer's next message: median calendar seconds per channel, lognormal spread.
CUSTOMER_DELAY_S: Final = np.array([6 * 3600.0, 120.0, 8 * 3600.0, 6 * 3600.0])
CUSTOMER_SIGMA: Final = 1.1
HOLD_MEDIAN_S: Final = 1.5 * 86_400
HOLD_SIGMA: Final = 0.6
# Extra rounds: Poisson rate per channel, doubled for complaints.
ROUND_RATE: Final = np.array([0.34, 0.14, 0.20, 0.30])
MAX_ROUNDS: Final = 6
FOLLOW_UP, ASKED, HELD = range(3)
ROUND_SHARE: Final = (0.50, 0.38, 0.12)
ABANDON_SHARE: Final = 0.05
AUTO_SOLVE_US: Final = 4 * DAY_US
CLOSED_SHARE: Final = 0.35


@dataclass(frozen=True)
class Conversation:
    """Events sorted by ticket (chunk positions) then time, and per-ticket instants:
    the first agent reply, the solve, and the customer's total wait for agents."""

    ticket: I64
    at: I64
    kind: Codes
    status: Codes
    first_reply: I64
    solved: I64
    wait_us: I64


class _EventLog:
    """Events appended in time order per ticket; a stable sort by ticket keeps it."""

    def __init__(self) -> None:
        self._parts: list[tuple[I64, I64, Codes, Codes]] = []

    def add(self, ticket: I64, at: I64, kind: int, status: int | Codes = NO_STATUS) -> None:
        statuses = np.broadcast_to(np.asarray(status, dtype=np.int8), ticket.shape)
        kinds = np.full(ticket.shape, kind, dtype=np.int8)
        # A copy: callers go on to update their arrays of latest instants in place.
        self._parts.append((ticket, at.copy(), kinds, statuses))

    def sorted(self) -> tuple[I64, I64, Codes, Codes]:
        ticket, at, kind, status = (
            np.concatenate(column) for column in zip(*self._parts, strict=True)
        )
        order = np.argsort(ticket, kind="stable")
        return ticket[order], at[order], kind[order], status[order]


@dataclass(frozen=True)
class _Chunk:
    """What a round needs to know about the tickets of a chunk."""

    desk: Codes
    attributes: Attributes
    desks: tuple[Desk, ...]
    rng: np.random.Generator

    def replies(self, idx: I64, t_us: I64) -> I64:
        """Agent replies to messages of tickets ``idx`` at ``t_us``, each by its desk."""
        a = self.attributes
        spread = self.rng.lognormal(0.0, AGENT_SIGMA[a.channel[idx]])
        delay = AGENT_DELAY_S[a.channel[idx]] * PRIORITY_SPEED[a.priority[idx]] * spread
        out = np.empty_like(t_us)
        for code, desk in enumerate(self.desks):
            mine = self.desk[idx] == code
            if mine.any():
                out[mine] = desk.reply(t_us[mine], delay[mine])
        return out


def converse(
    created: I64,
    desk: Codes,
    attributes: Attributes,
    desks: tuple[Desk, ...],
    rng: np.random.Generator,
) -> Conversation:
    """Every event of the chunk's tickets, created at ``created`` and answered by ``desk``."""
    chunk, log = _Chunk(desk, attributes, desks, rng), _EventLog()
    everyone = np.arange(created.size, dtype=np.int64)
    log.add(everyone, created, CUSTOMER)
    last = chunk.replies(everyone, created)
    log.add(everyone, last, AGENT)
    log.add(everyone, last, STATUS, OPEN)
    first_reply, wait = last.copy(), last - created
    rounds = _rounds(attributes, rng)
    for j in range(int(rounds.max(initial=0))):
        idx = np.flatnonzero(rounds > j)
        last[idx], waited = _round(chunk, log, idx, last[idx])
        wait[idx] += waited
    solved = _finish(log, everyone, last, rng)
    return Conversation(*log.sorted(), first_reply, solved, wait)


def _rounds(attributes: Attributes, rng: np.random.Generator) -> I64:
    rate = ROUND_RATE[attributes.channel] * np.where(attributes.tags["complaint"], 2.0, 1.0)
    rounds: I64 = np.minimum(rng.poisson(rate), MAX_ROUNDS).astype(np.int64)
    return rounds


def _round(chunk: _Chunk, log: _EventLog, idx: I64, last: I64) -> tuple[I64, I64]:
    """One more exchange for tickets ``idx`` whose latest agent reply was at ``last``:
    the reply ending it, and how long the customer waited for that reply."""
    rng = chunk.rng
    kind = choose(rng, ROUND_SHARE, idx.size)
    paused, writes = kind != FOLLOW_UP, kind != HELD
    log.add(idx[paused], last[paused], STATUS, np.where(kind == ASKED, PENDING, ON_HOLD)[paused])
    customer = CUSTOMER_DELAY_S[chunk.attributes.channel[idx]]
    gap_s: F64 = np.where(
        writes,
        rng.lognormal(np.log(customer), CUSTOMER_SIGMA),
        rng.lognormal(np.log(HOLD_MEDIAN_S), HOLD_SIGMA, idx.size),
    )
    resume = last + np.rint(gap_s).astype(np.int64) * US_PER_S
    log.add(idx[writes], resume[writes], CUSTOMER)
    log.add(idx[paused], resume[paused], STATUS, OPEN)
    reply = chunk.replies(idx, resume)
    log.add(idx, reply, AGENT)
    return reply, reply - np.where(writes, resume, last)


def _finish(log: _EventLog, idx: I64, last: I64, rng: np.random.Generator) -> I64:
    """Solve every ticket, some after an unanswered question; close some of them."""
    abandoned = rng.random(idx.size) < ABANDON_SHARE
    log.add(idx[abandoned], last[abandoned], STATUS, PENDING)
    solved = np.where(abandoned, last + AUTO_SOLVE_US, last)
    log.add(idx, solved, STATUS, SOLVED)
    closes = rng.random(idx.size) < CLOSED_SHARE
    closed = solved + rng.integers(3, 11, idx.size) * DAY_US
    log.add(idx[closes], closed[closes], STATUS, CLOSED)
    return solved
