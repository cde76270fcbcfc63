"""A labelled set of customer comments about the example policy (Larkfield, example.yaml),
written for the themes tests: five known groups, each about one part of the policy.

Each comment carries the group it was written for and the clause it is about. A
``clause`` ending in ``.*`` names a section whose items all fit (any delivery method,
any courtesy standard); otherwise it is one clause id.

=========  ===============================================  ===============================
group      what the customers say                           clause
=========  ===============================================  ===============================
refunds    a refund that takes too long; the returns window  ``returns``
delivery   a parcel late; the courier                       ``delivery.*``
chat       waiting on live chat for an answer               ``service_levels.rules.sl-chat``
courtesy   rude or helpful staff, names, blame, next steps  ``staff.courtesy.*``
saturday   phone lines closed on Saturday afternoon         ``calendars.uk-support``
=========  ===============================================  ===============================

Dates run from September to November 2026 (UTC), so each group's size by month is known
by counting: :data:`MONTHS` holds the counts per group, written out by hand below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter.feedback.themes import Comment

GROUPS = ("refunds", "delivery", "chat", "courtesy", "saturday")
CLAUSE = {
    "refunds": "returns",
    "delivery": "delivery.*",
    "chat": "service_levels.rules.sl-chat",
    "courtesy": "staff.courtesy.*",
    "saturday": "calendars.uk-support",
}


@dataclass(frozen=True)
class Labelled:
    comment: Comment
    group: str

    @property
    def clause(self) -> str:
        return CLAUSE[self.group]


REFUNDS = (
    "My refund has still not arrived three weeks after I sent the return back.",
    "Returned a lamp a month ago and I am still waiting for the refund.",
    "The refund took far too long, over two weeks for a simple return.",
    "Why does a refund take so long? The return was received ten days ago.",
    "Still no refund for the rug I returned, nobody can tell me when it comes.",
    "Refund to my card took eighteen days, you promise five working days.",
    "The returns window of 30 days is too short when you are away on holiday.",
    "I missed the returns window by two days and the return was refused.",
    "Please make the return window longer, 30 days goes quickly at Christmas.",
    "Easy return in store but the refund to my original payment never came.",
    "Waiting weeks for a refund is not acceptable, the return was free and quick.",
    "Refund finally arrived but only after I chased the return three times.",
    "Return by mail was simple, the refund was slow and took almost a month.",
    "Sent the cushions back for a refund and heard nothing for weeks about the return.",
    "The refund for my returned curtains is late, it has been twelve working days.",
    "Great that returns are free, but the refund should not take this long.",
    "Still waiting on a refund, my return was signed for by the warehouse.",
    "A refund should be quick, mine took over a month after the return.",
)
DELIVERY = (
    "My parcel arrived a week late, the courier kept changing the delivery day.",
    "Standard delivery took eight days, not the two to three days you promise.",
    "Paid for express delivery and the parcel came three days late.",
    "The courier left my parcel at the wrong house and delivery was marked done.",
    "Delivery was late again, the courier never turned up on the promised day.",
    "Express delivery is supposed to be next day, my order took four days.",
    "The parcel was stuck at the courier depot for a week, very late delivery.",
    "Ordered before the cutoff but the parcel was not dispatched for three days.",
    "Courier said the delivery failed but nobody came to the door.",
    "My delivery to the United States took over two weeks, far longer than stated.",
    "Late delivery and no tracking updates from the courier for days.",
    "The parcel turned up damaged and late, the courier just threw it over the gate.",
    "Delivery came a day early, the courier was friendly, very happy.",
    "Express delivery cost extra and still arrived late, I want the delivery cost back.",
    "Second late delivery this month, the courier keeps missing the slot.",
    "The delivery date moved three times and the parcel is still not here.",
    "Standard delivery to Scotland was very late, over a week for a small parcel.",
    "Delivery was quick and the courier called ahead, thank you.",
)
CHAT = (
    "Waited forty minutes on live chat before anyone answered.",
    "The live chat said a few minutes but I waited half an hour for an answer.",
    "Live chat is too slow, I gave up after twenty minutes in the queue.",
    "I sat in the chat queue for ages before a first response.",
    "Chat wait times are terrible, over thirty minutes every time.",
    "Live chat answered in under five minutes, great service.",
    "Your chat promises a reply in minutes but it took an hour.",
    "Waited in live chat for twenty five minutes just to ask about an order.",
    "The chat kept me waiting and then closed before anyone answered.",
    "Quick answer on live chat, only two minutes to wait.",
    "Live chat queue was number fifteen and it took forty minutes to get through.",
    "Nobody answered the chat for ten minutes, so I phoned instead.",
    "Chat response was slow, long wait for a first reply.",
    "Long wait on live chat again, the first response took over half an hour.",
    "Live chat says five minutes, it was more like fifty minutes.",
    "The chat waiting time is far longer than the minutes you promise.",
    "Love the live chat, answered within a minute and sorted my order.",
)
COURTESY = (
    "The agent was rude and never gave their name.",
    "Very rude staff member who blamed the courier instead of helping.",
    "The person I spoke to was helpful and polite and told me what happens next.",
    "Staff were rude and blamed a colleague for the mistake.",
    "Lovely helpful agent, greeted me by name and explained the next step.",
    "The agent was dismissive and rude, did not tell me what happens next.",
    "Helpful and friendly staff, they gave their name and followed up.",
    "Rude reply by e-mail blaming me for the problem.",
    "The staff member was so helpful, polite and kind.",
    "Nobody told me what happens next or when, the agent just ended the call.",
    "The agent blamed the warehouse and was rude when I asked for a name.",
    "Staff were patient and helpful, a pleasure to deal with.",
    "The reply never said what would happen next, staff seemed not to care.",
    "Polite agent who used my name and said exactly what happens next.",
    "One agent was rude, the next one was helpful and polite.",
    "Staff on the phone were rude and impatient with my mother.",
    "The helpful agent gave me her name and a clear next step.",
)
SATURDAY = (
    "Phone lines close on Saturday afternoon, which is when I can call.",
    "Tried to phone on Saturday afternoon and the line was closed.",
    "Why are the phone lines closed after five on Saturday?",
    "I work all week, please open the phone lines longer on Saturday.",
    "Called at half past five on Saturday and the lines were already closed.",
    "Phone lines closed on Sunday and Saturday afternoon, very hard to reach you.",
    "The opening hours on Saturday are too short, the phone closes at five.",
    "Could not call on Saturday afternoon because the lines were closed.",
    "Saturday phone opening hours should go on into the evening.",
    "Your phone lines shut for lunch on Saturday and then close at five.",
    "Please keep the phone lines open on Saturday afternoon.",
    "Phoned on Saturday at lunchtime and the line was closed for an hour.",
    "Opening hours are too short at the weekend, Saturday phone lines close early.",
    "Lines closed when I phoned on Saturday afternoon, had to wait until Monday.",
    "Saturday opening hours are fine, got through on the phone in the morning.",
    "The phone lines being closed on Saturday afternoon is frustrating.",
)

TEXTS = {
    "refunds": REFUNDS,
    "delivery": DELIVERY,
    "chat": CHAT,
    "courtesy": COURTESY,
    "saturday": SATURDAY,
}
SOURCES = ("survey", "policy", "import")
# The n-th comment of a group (from 0) is dated in month MONTH_OF[n % 3] (September,
# October, November 2026), on day 1 + n, at 10:00 UTC.
MONTH_OF = (9, 10, 11)


def _at(n: int) -> dt.datetime:
    return dt.datetime(2026, MONTH_OF[n % 3], 1 + n, 10, 0, tzinfo=dt.UTC)


def labelled() -> list[Labelled]:
    """Every comment with its group, in group order; ids ``<group>-<n>`` from 1."""
    return [
        Labelled(Comment(f"{group}-{n + 1:02d}", text, _at(n), SOURCES[n % 3]), group)
        for group, texts in TEXTS.items()
        for n, text in enumerate(texts)
    ]


def comments() -> list[Comment]:
    return [item.comment for item in labelled()]


# Sizes by month, counted by hand from MONTH_OF: a group of 18 has 6 comments in each of
# September, October and November; 17 has 6, 6, 5; 16 has 6, 5, 5.
MONTHS = {
    "refunds": {"2026-09": 6, "2026-10": 6, "2026-11": 6},
    "delivery": {"2026-09": 6, "2026-10": 6, "2026-11": 6},
    "chat": {"2026-09": 6, "2026-10": 6, "2026-11": 5},
    "courtesy": {"2026-09": 6, "2026-10": 6, "2026-11": 5},
    "saturday": {"2026-09": 6, "2026-10": 5, "2026-11": 5},
}
