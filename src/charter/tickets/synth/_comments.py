"""Comments written with synthetic CSAT answers: what a customer says beside the score.

Some customers who answer CSAT write a sentence too, the unhappy most often (70 % of
the 1s and 2s, 40 % of the 3s, 25 % of the 4s and 5s). What they write follows the
score (1-2 a complaint, 3 lukewarm, 4-5 thanks) and, for complaints, the
ticket's category (a late parcel, a slow refund, a wrong charge) or the wait itself, so
the themes found in them (docs/feedback.md) tie to the policy's delivery, returns and
response-time clauses. Drawn from their own random stream, so the tickets' other
columns are the same with or without them.

>>> import numpy as np
>>> said = draw_comments(np.array([1.0, 5.0, np.nan]), np.array([0, 1, 2], dtype=np.int8),
...                      np.random.default_rng(1), shares={"bad": 1, "good": 1})
>>> said[0] in BAD["delivery"] + BAD_WAIT, said[1] in GOOD, said[2] is None
(True, True, True)
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.tickets.synth._arrivals import F64
from charter.tickets.synth._attributes import CATEGORIES, Codes

# Of the CSAT answers that carry a comment, by score: the unhappy write most.
COMMENT_SHARE: Final = {"bad": 0.7, "lukewarm": 0.4, "good": 0.25}
WAIT_SHARE: Final = 0.3  # of complaints that are about the wait rather than the matter

BAD: Final[dict[str, tuple[str, ...]]] = {
    "delivery": (
        "My parcel arrived late and nobody told me why.",
        "Delivery was three days late and the tracking never updated.",
        "Still waiting for my delivery after two weeks.",
        "The courier missed the delivery slot twice.",
    ),
    "returns": (
        "The refund took weeks to reach my card.",
        "Still no refund for the item I sent back.",
        "The return label never came, so I could not send the item back.",
        "My refund was late and I had to chase it twice.",
    ),
    "billing": (
        "I was charged twice and it took ages to fix.",
        "The invoice was wrong and nobody explained the charge.",
        "Waited days for an answer about a wrong charge on my card.",
    ),
    "product": (
        "The item arrived damaged and the replacement is late.",
        "Nobody could answer my question about the product.",
        "The damaged item is still not replaced.",
    ),
    "account": (
        "I was locked out of my account for days.",
        "Could not reset my password and waited hours for help.",
        "My account details were changed and nobody called back.",
    ),
}
BAD_WAIT: Final = (
    "I waited hours for a reply on chat.",
    "It took far too long to get an answer to my email.",
    "The phone line was closed when I called and nobody called back.",
    "Two days before anyone replied to my message.",
)
LUKEWARM: Final = (
    "Fine in the end, but it took a while.",
    "The answer was fine but I had to explain it twice.",
    "Sorted, though the reply was slow.",
)
GOOD: Final = (
    "Quick and friendly answer, thank you.",
    "Sorted in minutes, great service.",
    "Helpful agent who explained the refund clearly.",
    "Fast reply and my parcel arrived the next day.",
    "Polite and quick, thank you for the help.",
)


def draw_comments(
    csat: F64,
    category: Codes,
    rng: np.random.Generator,
    *,
    shares: dict[str, float] = COMMENT_SHARE,
) -> pl.Series:
    """A comment per ticket, null where none was written: of the CSAT answers (``csat``
    NaN where none came) ``shares`` by score carry one, chosen by the score and
    ``category``."""
    n = csat.size
    share = np.select(
        [csat <= 2, csat == 3, csat >= 4],
        [shares.get("bad", 0.0), shares.get("lukewarm", 0.0), shares.get("good", 0.0)],
        0.0,
    )
    writes = ~np.isnan(csat) & (rng.random(n) < share)
    about_wait = rng.random(n) < WAIT_SHARE
    pick = rng.random(n)
    chosen = np.full(n, -1, dtype=np.int64)  # into ALL; -1: no comment
    pools: list[tuple[NDArray[np.bool_], tuple[str, ...]]] = [
        (writes & (csat >= 4), GOOD),
        (writes & (csat == 3), LUKEWARM),
        (writes & (csat <= 2) & about_wait, BAD_WAIT),
    ]
    for code, name in enumerate(CATEGORIES):
        pools.append((writes & (csat <= 2) & ~about_wait & (category == code), BAD[name]))
    for these, phrases in pools:
        chosen[these] = _FIRST[phrases] + (pick[these] * len(phrases)).astype(np.int64)
    return _ALL.gather(pl.Series(chosen).set(pl.Series(chosen < 0), None))


_POOLS: Final = (GOOD, LUKEWARM, BAD_WAIT, *BAD.values())
_ALL: Final = pl.Series([phrase for pool in _POOLS for phrase in pool], dtype=pl.String)
_FIRST: Final = {pool: sum(len(p) for p in _POOLS[:k]) for k, pool in enumerate(_POOLS)}
