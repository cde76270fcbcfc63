"""What an escalation notice says, once, for every channel that carries it.

A notice names the ticket (id, subject, link), the promise it is about (the rule, the
metric and the target in words), the clause of the policy that makes the promise, the
escalation level, and how long is left before the due instant or how long it is
overdue. ``facts`` lists these in order; the e-mail's plain-text and HTML bodies and
the webhook's payload are all written from them, so no channel says something another
does not.

Durations read as everywhere else in Charter (``charter.figures``); time on a business
calendar never reads in days. A link is shown only when it is an ``http(s)`` address
(``charter.policy.links``); any other is written as text.

>>> from charter.policy.service_level import Target
>>> notice = Notice(ticket_id="4211", subject="Parcel lost", rule_id="sl-email",
...     metric="first_response", target=Target(within="4h", clock="uk-support"),
...     clause_id="service_levels.rules.sl-email", level=1, threshold="75%",
...     due_at=dt.datetime(2026, 3, 2, 13, 0, tzinfo=dt.UTC), left_seconds=3600)
>>> notice.promise
'first response within 4 business hours on calendar uk-support'
>>> notice.standing, notice.headline
('1 h left', 'Ticket 4211: first response due in 1 h (level 1, 75%)')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from charter.figures import duration, instant, share
from charter.policy.calendar import ALWAYS
from charter.policy.links import http_link_problem
from charter.policy.service_level import METRIC_WORDS, Target


@dataclass(frozen=True)
class Fact:
    """One line of a notice: a label, its value in words, and a link when there is one."""

    label: str
    text: str
    href: str | None = None


@dataclass(frozen=True)
class Notice:
    """One escalation level reached for one ticket's metric."""

    ticket_id: str
    rule_id: str
    metric: str
    target: Target
    clause_id: str
    level: int
    threshold: str  # as the policy writes it: "75%", "breach", "breach + 2h"
    due_at: dt.datetime  # the metric's due instant
    left_seconds: float  # time on the metric's clock until due_at; negative when overdue
    subject: str | None = None  # the ticket's subject
    ticket_url: str | None = None  # the ticket in the helpdesk or in Charter
    base_url: str | None = None  # Charter's address, for the clause's handbook link
    rule_name: str | None = None
    zone: dt.tzinfo | None = None  # the calendar's zone, for the due instant

    @property
    def business(self) -> bool:
        """Whether the target runs on a business calendar (durations never read in days)."""
        return self.target.clock != ALWAYS

    @property
    def metric_words(self) -> str:
        return METRIC_WORDS.get(self.metric, self.metric.replace("_", " "))

    @property
    def promise(self) -> str:
        """The target in words: ``first response within 4 business hours on calendar x``."""
        clock = f"on calendar {self.target.clock}" if self.business else "around the clock (24x7)"
        part = f"; {share(self.target.attainment)} of tickets" if self.target.attainment else ""
        return f"{self.metric_words} within {self.target.within.words(business=self.business)} " \
            f"{clock}{part}"  # fmt: skip

    @property
    def overdue(self) -> bool:
        return self.left_seconds < 0

    @property
    def _length(self) -> str | None:
        """How far the clock is from its due, or None when that rounds to nothing."""
        length = duration(abs(self.left_seconds), business=self.business)
        return None if length == duration(0) else length

    @property
    def standing(self) -> str:
        """``1 h 30 min left``, ``overdue by 2 h``, or ``due now``."""
        if self._length is None:
            return "due now"
        return f"overdue by {self._length}" if self.overdue else f"{self._length} left"

    @property
    def headline(self) -> str:
        """The e-mail's subject line: the ticket, the metric and where its clock stands."""
        if self._length is None:
            where = "due now"
        else:
            where = f"overdue by {self._length}" if self.overdue else f"due in {self._length}"
        return f"Ticket {self.ticket_id}: {self.metric_words} {where} " \
            f"(level {self.level}, {self.threshold})"  # fmt: skip

    def facts(self) -> list[Fact]:
        """Every line of the notice, in the order each channel shows them."""
        ticket = self.ticket_id + (f" — {self.subject}" if self.subject else "")
        rule = self.rule_id + (f" ({self.rule_name})" if self.rule_name else "")
        return [
            Fact("Ticket", ticket, self.ticket_href),
            Fact("Promise", self.promise),
            Fact("Rule", rule),
            Fact("Clause", self.clause_id, self.clause_url),
            Fact("Level", f"{self.level} ({self.threshold})"),
            Fact("Due", instant(self.due_at, self.zone)),
            Fact("Standing", self.standing),
        ]

    @property
    def ticket_href(self) -> str | None:
        """The ticket's address when it is ``http(s)``; any other is never sent."""
        return _http(self.ticket_url)

    @property
    def clause_url(self) -> str | None:
        """The clause in the staff handbook, when Charter's own address is known."""
        if self.base_url is None:
            return None
        return _http(f"{self.base_url.rstrip('/')}/handbook#{quote(self.clause_id, safe='.-_')}")


def _http(url: str | None) -> str | None:
    """``url`` when it is an ``http(s)`` address safe to link, else None."""
    return url if url is not None and http_link_problem(url) is None else None
