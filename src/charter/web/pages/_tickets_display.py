"""How the tickets pages write instants, durations, statuses and events.

Every instant is shown in the business's timezone and in UTC (``Times``), with the
exact UTC instant in the ``datetime`` attribute of its ``<time>`` element.

>>> import datetime as dt
>>> times = Times("Europe/London")
>>> at = dt.datetime(2026, 10, 12, 13, 5, 30, tzinfo=dt.UTC)
>>> times.local(at), times.utc(at), times.iso(at)
('Mon 12 Oct 2026 14:05 BST', 'Mon 12 Oct 2026 13:05 UTC', '2026-10-12T13:05:30Z')
>>> times.local(at, seconds=True)
'Mon 12 Oct 2026 14:05:30 BST'
>>> duration(16 * 3600 + 300), duration(2700), duration(20), duration(None)
('16 h 5 min', '45 min', '20 s', '—')
>>> clock_words("at_risk", paused=True), clock_words("pending", paused=False)
('at risk (paused)', 'pending (running)')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from charter import figures
from charter.policy.service_level import METRIC_WORDS
from charter.sla.evaluate import STATUSES
from charter.tickets.schema import EVENT_KINDS

STATUS_WORDS = {"met": "met", "breached": "breached", "pending": "pending (running)",
                "at_risk": "at risk", "none": "not started"}  # fmt: skip
assert set(STATUS_WORDS) == set(STATUSES)
KIND_WORDS = {"customer_message": "Customer message", "agent_reply": "Agent reply",
              "status": "Status changed"}  # fmt: skip
assert set(KIND_WORDS) == set(EVENT_KINDS)


@dataclass(frozen=True)
class Times:
    """Instants as staff read them: in the business's timezone ``zone``, and in UTC."""

    zone: str

    @property
    def both(self) -> bool:
        """Whether the business's time differs from UTC, so both are worth showing."""
        return self.zone != "UTC"

    def local(self, at: dt.datetime | None, *, seconds: bool = False) -> str:
        return figures.instant(at, ZoneInfo(self.zone), seconds=seconds)

    def utc(self, at: dt.datetime | None, *, seconds: bool = False) -> str:
        return figures.instant(at, dt.UTC, seconds=seconds)

    def iso(self, at: dt.datetime) -> str:
        return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def duration(seconds: float | None) -> str:
    """A clock's time: business time on a calendar, real time on 24x7, both in hours."""
    return figures.duration(seconds, business=True)


def metric_words(metric: str) -> str:
    return METRIC_WORDS.get(metric, metric.replace("_", " "))


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def clock_words(status: str, paused: bool) -> str:
    """A clock's status as staff read it; a running clock paused with target left says
    so (``pending (paused)``): it has no due instant until it resumes."""
    if paused:
        return f"{STATUS_WORDS.get(status, status).split(' (')[0]} (paused)"
    return status_words(status)


def runs_words(metric: str, runs: int | None) -> str:
    """``one of 3 runs`` for a metric judged on one of several runs, else nothing."""
    return f"one of {runs} runs" if runs is not None and runs > 1 else ""


def event_words(kind: str, status: str | None) -> str:
    words = KIND_WORDS.get(kind, kind.replace("_", " "))
    return f"{words} to {status}" if kind == "status" and status else words


def narrowed_words(form: dict[str, str]) -> str:
    """The list's filters in words, for its summary (``""`` when it keeps every ticket).

    >>> narrowed_words({"status": "open", "worst": "at_risk", "mine": "1", "due_within": "4"})
    'open (not solved), whose worst SLA status is at risk, assigned to you, next due within 4 h'
    """
    words = []
    if form.get("q"):
        words.append(f"with id {form['q']}")
    if form.get("status"):
        words.append("open (not solved)" if form["status"] == "open" else "solved")
    if form.get("sla_status"):
        words.append(f"with a clock {STATUS_WORDS.get(form['sla_status'], form['sla_status'])}")
    if form.get("worst"):
        words.append(f"whose worst SLA status is {STATUS_WORDS.get(form['worst'], form['worst'])}")
    for field in ("priority", "channel", "team", "assignee"):
        if form.get(field):
            words.append(f"{field} {form[field]}")
    if form.get("mine"):
        words.append("assigned to you")
    if form.get("due_within"):
        words.append(f"next due within {form['due_within']} h")
    if form.get("period"):
        words.append(f"created in {form['period']} (whole UTC days)")
    return ", ".join(words)


HELPERS = {
    "duration": duration,
    "metric_words": metric_words,
    "status_words": status_words,
    "clock_words": clock_words,
    "runs_words": runs_words,
    "event_words": event_words,
    "share": figures.share,
    "missing": figures.MISSING,
}
