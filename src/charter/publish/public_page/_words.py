"""Promises in plain words, generated from the typed values of the policy.

Each channel has its own verb: a call or a chat is answered, an e-mail or a message
is replied to. Times read as people say them: ``5 minutes``, ``2 working hours``,
``1 working day`` (``charter.figures.spoken``).

>>> from charter.policy.service_level import Conditions, Target
>>> from charter.policy.units import Duration
>>> email = subject(Conditions(channel=["email"], priority=["high"]))
>>> email.one, email.many, email.verb
('high-priority e-mail', 'high-priority e-mails', 'reply to')
>>> promise("first_response", Target(within=Duration(4 * 3600), clock="desk"), email)
'We reply to every high-priority e-mail within 4 working hours.'
>>> promise("first_response", Target(within=Duration(7200), clock="desk"),
...         channel_nouns("phone"))
'We answer every call within 2 working hours.'
>>> promise("resolution", Target(within=Duration(86400), clock="24x7", attainment=0.85), email)
'We resolve 85 % of high-priority e-mails within 1 day.'
>>> said = promise("resolution", Target(within=Duration(86400), clock="24x7"), email,
...                paused=["pending", "on_hold"])
>>> for part in said.split("; "):
...     print(part)
We resolve every high-priority e-mail within 1 day
the clock stops while we wait for your reply or while your request is on hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from charter import figures
from charter.policy.calendar import ALWAYS
from charter.policy.service_level import Conditions, Target
from charter.policy.units import Duration
from charter.publish.public_page._time import MONTHS


class Nouns(NamedTuple):
    """What a customer sends on a channel, and what we do with it."""

    one: str
    many: str
    verb: str = "answer"  # we answer a call; we reply to an e-mail
    done: str = "answered"


ANSWER = ("answer", "answered")
REPLY = ("reply to", "replied to")
RESPOND = ("respond to", "responded to")  # several channels with different verbs
CHANNELS: dict[str, tuple[str, Nouns]] = {
    "email": ("E-mail", Nouns("e-mail", "e-mails", *REPLY)),
    "phone": ("Phone", Nouns("call", "calls", *ANSWER)),
    "chat": ("Live chat", Nouns("live chat", "live chats", *ANSWER)),
    "sms": ("Text message", Nouns("text message", "text messages", *REPLY)),
    "social": ("Social media", Nouns("social media message", "social media messages", *REPLY)),
    "web": ("Web form", Nouns("web form message", "web form messages", *REPLY)),
    "form": ("Web form", Nouns("web form message", "web form messages", *REPLY)),
    "letter": ("Letter", Nouns("letter", "letters", *REPLY)),
    "post": ("Post", Nouns("letter", "letters", *REPLY)),
}
# How the "expect an answer by" line opens for a channel; others are written to.
OPENERS = {"phone": ("If you call us now", "an answer"),
           "chat": ("If you start a chat now", "an answer")}  # fmt: skip
PRIORITIES = {"urgent": "urgent", "high": "high-priority", "normal": "normal-priority",
              "low": "low-priority"}  # fmt: skip
REQUESTS = Nouns("request", "requests", *ANSWER)
# Each metric's promise: {share} is "every <one>" or "85 % of <many>".
PROMISES = {
    "first_response": "We {verb} {share} within {time}.",
    "next_response": "After our first answer, we reply to each further message within {time}"
    " on {share}.",
    "periodic_update": "While it is open, we update you at least every {time} on {share}.",
    "requester_wait": "We keep you waiting no longer than {time} in all on {share}.",
    "agent_work": "We need no more than {time} of work to handle {share}.",
    "resolution": "We resolve {share} within {time}.",
}
DONE = {"resolution": "resolved"}  # first_response: the subject's own verb
# While a ticket is in each status, a clock that pauses in it stops: said to a customer.
STOPS = {"pending": "while we wait for your reply", "on_hold": "while your request is on hold",
         "new": "until we first pick it up", "open": "while we work on it",
         "solved": "once it is solved", "closed": "once it is closed"}  # fmt: skip


def channel_label(channel: str) -> str:
    """How a channel is named as a heading: ``E-mail``, ``Live chat``, ``Fax``."""
    known = CHANNELS.get(channel)
    return known[0] if known else _words(channel).capitalize()


def channel_nouns(channel: str) -> Nouns:
    """What a customer sends on a channel, and our verb: an e-mail is replied to, a call
    answered; an unknown channel's are messages, replied to.

    >>> channel_nouns("phone")
    Nouns(one='call', many='calls', verb='answer', done='answered')
    >>> channel_nouns("fax").many, channel_nouns("fax").verb
    ('fax messages', 'reply to')
    """
    known = CHANNELS.get(channel)
    if known:
        return known[1]
    words = _words(channel)
    return Nouns(f"{words} message", f"{words} messages", *REPLY)


def expecting(channel: str) -> tuple[str, str]:
    """How the "expect an answer by" line opens for a channel, and what to expect.

    >>> expecting("phone"), expecting("email")
    (('If you call us now', 'an answer'), ('If you write to us now', 'a reply'))
    """
    if channel in OPENERS:
        return OPENERS[channel]
    return "If you write to us now", "a reply"


def subject(when: Conditions) -> Nouns:
    """Who a rule's promise is made to, from its channel and priority conditions.

    Segments, categories and tags are the business's own words; the rule's name
    says them, so the subject stays ``requests``.
    """
    nouns = [channel_nouns(c) for c in when.channel or []] or [REQUESTS]
    one = " or ".join(n.one for n in nouns)
    many = " or ".join(n.many for n in nouns)
    verbs = {(n.verb, n.done) for n in nouns}
    verb, done = verbs.pop() if len(verbs) == 1 else RESPOND
    if when.priority:
        adjective = " or ".join(PRIORITIES[p] for p in when.priority)
        one, many = f"{adjective} {one}", f"{adjective} {many}"
    return Nouns(one, many, verb, done)


def duration(target: Target) -> str:
    """``4 working hours``, ``10 working days``, ``1 day``: the target's time on its clock."""
    return within(target.within, target.clock)


def within(time: Duration, clock: str) -> str:
    """A time on a clock as people say it: ``2 working hours``, ``1 working day``, ``3
    days``; minutes of business time are ``during opening hours``.

    >>> within(Duration(300), "desk"), within(Duration(7200), "desk"), within(Duration(300), ALWAYS)
    ('5 minutes during opening hours', '2 working hours', '5 minutes')
    >>> within(Duration(working_days=1), "desk"), within(Duration(604800, weeks=1), "desk")
    ('1 working day', '1 week')
    """
    if time.weeks:
        return figures.plural(time.weeks, "week")
    if time.working_days:
        return figures.plural(time.working_days, "working day")
    business = clock != ALWAYS
    said = figures.spoken(time.seconds, working=business)
    if business and time.seconds < 3600 and time.seconds % 60 == 0:
        return f"{said} during opening hours"
    return said


def share_of(attainment: float | None, nouns: Nouns) -> str:
    """``every e-mail`` when every one is promised, else ``85 % of e-mails``."""
    if attainment is None:
        return f"every {nouns.one}"
    return f"{figures.share(attainment)} of {nouns.many}"


def promise(
    metric: str, target: Target, nouns: Nouns, paused: Sequence[str] = (), *,
    never_stops: bool = False,
) -> str:  # fmt: skip
    """The promise for ``metric`` in one sentence, with when its clock stops: in the
    ``paused`` statuses, or never when a target says so against the policy's pauses."""
    template = PROMISES.get(metric, "We meet the {metric} promise of {time} on {share}.")
    sentence = template.format(
        share=share_of(target.attainment, nouns),
        time=duration(target),
        metric=metric,
        verb=nouns.verb,
    )
    return sentence.removesuffix(".") + clock_stops(paused, never_stops=never_stops) + "."


def clock_stops(paused: Sequence[str], *, never_stops: bool = False) -> str:
    """``; the clock stops while we wait for your reply``: the pauses in a customer's words.

    >>> clock_stops([]), clock_stops([], never_stops=True)
    ('', '; the clock never stops')
    """
    if not paused:
        return "; the clock never stops" if never_stops else ""
    said = [STOPS.get(status, f"while it is {_words(status)}") for status in paused]
    return f"; the clock stops {' or '.join(said)}"


def result(
    metric: str, target: Target, nouns: Nouns, period: str, met: int, breached: int
) -> str | None:
    """``In October 2026 we replied to 93 % of e-mails within 4 working hours (93 of 100).``

    ``period`` opens the sentence: ``In October 2026``, ``From 6 to 31 October 2026``.
    """
    measured = met + breached
    if measured == 0:
        return None
    share, counted = figures.share(met / measured), f"({met} of {measured})"
    verb = nouns.done if metric == "first_response" else DONE.get(metric)
    if verb is not None:
        return f"{period} we {verb} {share} of {nouns.many} within {duration(target)} {counted}."
    return f"{period} we kept this promise on {share} of {nouns.many} {counted}."


def new_since(since: dt.date) -> str:
    """A promise with no results yet: ``New since 6 December; first results in January.``

    Results are for a full month before the page's, so the first ones show in the month
    after the one the promise began in (over the tickets it governed that month).

    >>> new_since(dt.date(2026, 12, 6))
    'New since 6 December; first results in January.'
    """
    following = (since.replace(day=1) + dt.timedelta(days=31)).replace(day=1)
    return (
        f"New since {since.day} {MONTHS[since.month - 1]}; "
        f"first results in {MONTHS[following.month - 1]}."
    )


def kept(target: Target, met: int, breached: int) -> bool | None:
    """Whether the measured share reaches the promised one (all, when none is given)."""
    measured = met + breached
    if measured == 0:
        return None
    return met / measured >= (target.attainment if target.attainment is not None else 1.0)


def listing(items: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _words(identifier: str) -> str:
    return identifier.replace("-", " ").replace("_", " ").replace(".", " ")
