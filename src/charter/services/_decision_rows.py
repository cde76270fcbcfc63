"""What the decisions service returns and reads: the recorded decision as a frozen
value, the outcome words, the listing's filter read from text, and the CSV lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from charter.errors import InvalidInput
from charter.excerpt import excerpt
from charter.publish.spreadsheet import as_text
from charter.store import decisions as store

EXPORT_LIMIT = 100_000  # rows in one CSV export; narrow the dates for more
REF_LENGTH = 100
OUTCOMES: dict[str, tuple[str, ...]] = {
    "delivery": ("promised", "on_time", "late"),
    "return": ("allowed", "refused", "needs_approval"),
}
OUTCOME_WORDS = {
    "promised": "promised", "on_time": "delivered on time", "late": "delivered late",
    "allowed": "return allowed", "refused": "return refused",
    "needs_approval": "return needs approval",
}  # fmt: skip
OUTCOME_WORDS_KEYS = tuple(OUTCOME_WORDS)
REFUND_WORDS = {"on_time": "paid on time", "late": "paid late", "overdue": "due and unpaid"}
CSV_COLUMNS = ("id", "kind", "asked_at", "asked_by", "asked_via", "outcome", "clause_ids",
               "clause_texts", "version_label", "content_hash", "version_basis",
               "ticket_ref", "order_ref", "ordered_at", "refund_due_at", "refund_paid_at",
               "inputs")  # fmt: skip


@dataclass(frozen=True)
class CitedClause:
    id: str
    text: str


@dataclass(frozen=True)
class Recorded:
    """A decision as it was recorded."""

    id: int
    kind: str
    asked_at: dt.datetime
    asked_by: int | None
    asked_by_name: str
    asked_via: str
    inputs: dict[str, Any]
    outcome: str
    answer: dict[str, Any]
    clauses: tuple[CitedClause, ...]
    version_id: int | None
    version_label: str
    content_hash: str
    version_basis: str
    ticket_ref: str | None
    order_ref: str | None
    ordered_at: dt.datetime | None
    received_back_at: dt.datetime | None
    evidence_at: dt.datetime | None
    refund_due_at: dt.datetime | None
    refund_paid_at: dt.datetime | None

    @property
    def outcome_words(self) -> str:
        return OUTCOME_WORDS.get(self.outcome, self.outcome)

    @property
    def basis_words(self) -> str:
        """Which version decided, in words."""
        if self.version_basis == "order":
            return "the version in force when the order was placed"
        return "the version in force when asked (none was in force at the order)"

    def refund_state(self, at: dt.datetime) -> str | None:
        """``on_time``, ``late`` or ``overdue`` at ``at`` (store.REFUND_STATES); None
        while not due yet or without a due instant."""
        due, paid = self.refund_due_at, self.refund_paid_at
        if due is None:
            return None
        if paid is not None:
            return "on_time" if paid <= due else "late"
        return "overdue" if due < at else None


def recorded(row: store.Decision, clauses: Iterable[store.DecisionClause]) -> Recorded:
    return Recorded(
        id=row.id, kind=row.kind, asked_at=row.asked_at, asked_by=row.asked_by,
        asked_by_name=row.asked_by_name, asked_via=row.asked_via, inputs=dict(row.inputs),
        outcome=row.outcome, answer=dict(row.answer),
        clauses=tuple(CitedClause(c.clause_id, c.text) for c in clauses),
        version_id=row.version_id, version_label=row.version_label,
        content_hash=row.content_hash, version_basis=row.version_basis,
        ticket_ref=row.ticket_ref, order_ref=row.order_ref, ordered_at=row.ordered_at,
        received_back_at=row.received_back_at, evidence_at=row.evidence_at,
        refund_due_at=row.refund_due_at, refund_paid_at=row.refund_paid_at,
    )  # fmt: skip


def check_ref(field: str, value: str | None) -> str | None:
    """A ticket or order reference: trimmed, at most ``REF_LENGTH`` printable characters;
    None when empty."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > REF_LENGTH or not text.isprintable():
        raise InvalidInput(
            f"{field}: {excerpt(text)!r} is not a reference; give at most {REF_LENGTH} "
            "printable characters",
            [{"field": field, "problem": "not a reference"}],
        )
    return text


def read_filter(
    at: dt.datetime, *, kind: str = "", outcome: str = "", clause: str = "",
    asked_by: str = "", since: str = "", until: str = "", ticket_ref: str = "",
    refund: str = "",
) -> store.Filter:  # fmt: skip
    """The listing's filter from its text fields (empty keeps all); ``since`` and
    ``until`` are UTC dates, both included; ``refund`` is judged at ``at``."""
    kind, outcome, refund = kind.strip(), outcome.strip(), refund.strip()
    _one_of("kind", kind, tuple(OUTCOMES))
    _one_of("outcome", outcome, OUTCOME_WORDS_KEYS)
    _one_of("refund", refund, store.REFUND_STATES)
    start, end = _date("since", since), _date("until", until)
    return store.Filter(
        kind=kind or None, outcome=outcome or None,
        clause=check_ref("clause", clause[:400]), asked_by=_account(asked_by),
        since=start, until=end + dt.timedelta(days=1) if end else None,
        ticket_ref=check_ref("ticket_ref", ticket_ref), refund=refund or None, at=at,
    )  # fmt: skip


def _one_of(field: str, value: str, choices: tuple[str, ...]) -> None:
    if value and value not in choices:
        raise InvalidInput(
            f"{field}: {excerpt(value)!r} is not one of {', '.join(choices)}",
            [{"field": field, "choices": list(choices)}],
        )


def _date(field: str, text: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(
            f"{field}: {excerpt(text)!r} is not a date; write it as 2026-12-07",
            [{"field": field, "problem": "not a date"}],
        )
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _account(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput(
            f"asked_by: {excerpt(text)!r} is not an account id; give a number such as 3",
            [{"field": "asked_by", "problem": "not an account id"}],
        )
    return int(text)


def csv_lines(batches: Iterable[list[Recorded]]) -> Iterator[str]:
    """The header, then one CSV line per decision; instants in UTC, ISO 8601. A cell a
    spreadsheet would run as a formula is written as text."""
    yield _line(CSV_COLUMNS)
    for batch in batches:
        for d in batch:
            yield _line([
                d.id, d.kind, d.asked_at, d.asked_by_name, d.asked_via, d.outcome,
                " ".join(c.id for c in d.clauses), " | ".join(c.text for c in d.clauses),
                d.version_label, d.content_hash, d.version_basis, d.ticket_ref, d.order_ref,
                d.ordered_at, d.refund_due_at, d.refund_paid_at,
                json.dumps(d.inputs, ensure_ascii=False, sort_keys=True),
            ])  # fmt: skip


def _line(values: Iterable[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return as_text(str(value))  # a cell a spreadsheet would run is written as text
