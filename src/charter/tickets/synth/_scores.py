"""Survey answers of synthetic tickets: CSAT 1-5 and NPS 0-10, worse after long waits.

A customer's *mood* falls with the log of the hours they waited for agents (and
with a complaint). Each score is an ordered-logit draw: mood plus logistic
noise, cut at fixed thresholds. Only solved tickets are surveyed, and only a
share of customers answer.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from charter.tickets.synth._arrivals import F64, I64, US_PER_HOUR
from charter.tickets.synth._attributes import Flags

CSAT_RESPONSE: Final = 0.30
NPS_RESPONSE: Final = 0.15
MOOD_BASE: Final = 3.1
MOOD_PER_LOG_HOUR: Final = 0.55
COMPLAINT_MOOD: Final = -1.0
CSAT_CUTS: Final = np.array([-1.5, -0.5, 0.5, 2.0])  # above the k-th cut: score k + 2
NPS_CUTS: Final = np.array([-3.5, -2.8, -2.2, -1.6, -1.0, -0.4, 0.3, 1.0, 1.8, 2.6])


def mood(wait_us: I64, complaint: Flags) -> F64:
    """How well the contact went for the customer, on the logit scale.

    >>> mood(np.array([0, 9 * 3600 * 10**6]), np.array([False, True])).round(3)
    array([3.1  , 0.834])
    """
    hours = wait_us / US_PER_HOUR
    feeling: F64 = MOOD_BASE - MOOD_PER_LOG_HOUR * np.log1p(hours)
    return feeling + np.where(complaint, COMPLAINT_MOOD, 0.0)


def draw_scores(
    wait_us: I64, complaint: Flags, surveyed: Flags, rng: np.random.Generator
) -> tuple[F64, F64]:
    """CSAT and NPS per ticket, NaN where no answer came (never for unsurveyed ones)."""
    feeling = mood(wait_us, complaint)
    n = wait_us.size
    csat = 1.0 + np.searchsorted(CSAT_CUTS, feeling + rng.logistic(size=n))
    nps = np.searchsorted(NPS_CUTS, feeling + rng.logistic(size=n)).astype(np.float64)
    csat_answered = surveyed & (rng.random(n) < CSAT_RESPONSE)
    nps_answered = surveyed & (rng.random(n) < NPS_RESPONSE)
    return np.where(csat_answered, csat, np.nan), np.where(nps_answered, nps, np.nan)
