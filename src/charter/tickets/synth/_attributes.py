"""What a synthetic ticket is about: channel, priority, segment, team, category,
tags and assignee, drawn as integer codes for a whole chunk at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from charter.tickets.schema import PRIORITIES

Codes = NDArray[np.int8]
Flags = NDArray[np.bool_]

CHANNELS: Final = ("email", "chat", "phone", "web")
CHANNEL_SHARE: Final = (0.45, 0.25, 0.20, 0.10)
PRIORITY_SHARE: Final = (0.20, 0.55, 0.18, 0.07)  # in the order of PRIORITIES
SEGMENTS: Final = ("consumer", "business", "us")
UK_SEGMENT_SHARE: Final = (0.75 / 0.90, 0.15 / 0.90)  # the UK desk's consumers and businesses
US_SHARE: Final = 0.10  # tickets of segment `us`, answered by the US desk
CATEGORIES: Final = ("delivery", "returns", "billing", "product", "account")
CATEGORY_SHARE: Final = (0.32, 0.25, 0.15, 0.18, 0.10)
TEAMS: Final = ("tier-1", "tier-2", "billing", "resolutions")
TAGS: Final = ("vip", "refund", "damaged", "complaint")
# Agents: per desk, per team, the first agent number and how many agents.
AGENTS: Final = (
    ((1, 36), (37, 12), (49, 8), (57, 4)),  # UK desk
    ((61, 8), (69, 3), (72, 2), (74, 1)),  # US desk
)
AGENT_COUNT: Final = 74

EMAIL, CHAT, PHONE, WEB = range(4)
URGENT = PRIORITIES.index("urgent")
BUSINESS, US = 1, 2
BILLING_CATEGORY = CATEGORIES.index("billing")
TIER_1, TIER_2, BILLING_TEAM, RESOLUTIONS = range(4)


@dataclass(frozen=True)
class Attributes:
    """Codes into the tuples above, one entry per ticket; ``agent`` is 1-based."""

    channel: Codes
    priority: Codes
    segment: Codes
    category: Codes
    team: Codes
    agent: NDArray[np.int16]
    tags: dict[str, Flags]


def draw_attributes(desk: Codes, rng: np.random.Generator) -> Attributes:
    """Attributes for tickets answered by ``desk`` (0 UK, 1 US)."""
    n = desk.size
    channel = choose(rng, CHANNEL_SHARE, n)
    priority = choose(rng, PRIORITY_SHARE, n)
    segment = np.where(desk == 1, US, choose(rng, UK_SEGMENT_SHARE, n)).astype(np.int8)
    category = choose(rng, CATEGORY_SHARE, n)
    tags = _draw_tags(segment, category, rng)
    team = _draw_team(priority, category, tags["complaint"], rng)
    first = np.array([[a for a, _ in row] for row in AGENTS], dtype=np.int16)[desk, team]
    size = np.array([[k for _, k in row] for row in AGENTS], dtype=np.int16)[desk, team]
    agent = (first + np.floor(rng.random(n) * size)).astype(np.int16)
    return Attributes(channel, priority, segment, category, team, agent, tags)


def choose(rng: np.random.Generator, shares: tuple[float, ...], n: int) -> Codes:
    cumulative = np.cumsum(shares) / sum(shares)
    codes: Codes = np.searchsorted(cumulative, rng.random(n), side="right").astype(np.int8)
    return codes


def _draw_tags(segment: Codes, category: Codes, rng: np.random.Generator) -> dict[str, Flags]:
    u = rng.random((4, segment.size))
    vip_rate = np.where(segment == BUSINESS, 0.15, 0.03)
    refund_rate = np.array([0.05, 0.50, 0.30, 0.10, 0.02])[category]
    damaged_rate = np.array([0.12, 0.25, 0.0, 0.08, 0.0])[category]
    return {
        "vip": u[0] < vip_rate,
        "refund": u[1] < refund_rate,
        "damaged": u[2] < damaged_rate,
        "complaint": u[3] < 0.03,
    }


def _draw_team(
    priority: Codes, category: Codes, complaint: Flags, rng: np.random.Generator
) -> Codes:
    """Billing questions go to billing, complaints to resolutions; tier 2 takes a share
    of the rest, more of the high and urgent ones."""
    tier_2_rate = np.where(priority >= PRIORITIES.index("high"), 0.30, 0.10)
    team = np.where(rng.random(priority.size) < tier_2_rate, TIER_2, TIER_1)
    team = np.where(category == BILLING_CATEGORY, BILLING_TEAM, team)
    return np.where(complaint, RESOLUTIONS, team).astype(np.int8)
