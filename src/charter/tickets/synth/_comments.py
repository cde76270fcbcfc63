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


def _joined(starts: tuple[str, ...], ends: tuple[str, ...]) -> tuple[str, ...]:
    """Every start with every end: texts as varied as people write them."""
    return tuple(f"{start} {end}".strip() for start in starts for end in ends)


BAD: Final[dict[str, tuple[str, ...]]] = {
    "delivery": _joined(
        ("My delivery is late", "The parcel came three days late",
         "Still waiting for my delivery", "Late delivery again"),
        ("and the tracking never updated.", "and nobody told me why.",
         "after the promised date.", ""),
    ),
    "returns": _joined(
        ("My refund is late", "Still no refund for my return", "The refund took weeks",
         "Had to chase my refund twice"),
        ("and nobody told me why.", "after I sent the item back.", "to reach my card.", ""),
    ),
    "billing": _joined(
        ("Charged twice", "A wrong charge on my card", "The invoice was wrong"),
        ("and nobody explained it.", "and it took days to fix.", ""),
    ),
    "product": _joined(
        ("The item arrived damaged", "My damaged item", "The product broke"),
        ("and the replacement is late.", "is still not replaced.",
         "and nobody answered my question."),
    ),
    "account": _joined(
        ("Locked out of my account", "Could not reset my password", "My account was locked"),
        ("for days.", "and nobody helped.", "and nobody called back."),
    ),
}  # fmt: skip
BAD_WAIT: Final = _joined(
    ("I waited hours for a reply", "Far too long to wait for an answer", "Slow reply",
     "Waited on chat for an hour"),
    ("to my email.", "before anyone replied.", "and had to ask again.", ""),
)  # fmt: skip
LUKEWARM: Final = _joined(
    ("Fine in the end,", "Sorted eventually,", "OK,"),
    ("but it took a while.", "though the reply was slow.", "but I had to explain it twice."),
)
GOOD: Final = _joined(
    ("Quick and friendly answer.", "Sorted in minutes.", "Helpful agent.",
     "Clear answer first time.", "Polite and quick."),
    ("Thank you!", "Great service.", "Very happy.", "Would recommend.", ""),
)  # fmt: skip


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
