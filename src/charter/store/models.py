"""The database tables, as SQLAlchemy 2 models.

The models are the store's own: services turn them into domain values and the
web layer has its own schemas (``XCreate / XUpdate / XPublic``); a table is
never an API schema. Every change here needs an Alembic migration
(``charter.store.migrations``); a test checks that the two agree.

Instants are stored in UTC. PostgreSQL keeps them as ``timestamptz``; SQLite
as text, which :class:`UtcDateTime` turns back into aware UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from charter import clock
from charter.policy.lifecycle import STATUSES as VERSION_STATUSES
from charter.policy.service_level import METRICS

ROLES = ("admin", "manager", "agent")
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on the way in and out, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store instants as aware UTC")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw text written by a bulk path
            value = dt.datetime.fromisoformat(value)
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class JsonText(TypeDecorator[Any]):
    """A JSON value in Python, kept as plain text: PostgreSQL's ``json`` type parses and
    checks every value written, which cost a tenth of a ticket import's ``COPY``; the
    bulk paths write JSON Polars made, and nothing queries inside these values. SQLite
    keeps the ``JSON`` declaration it always had (its JSON is text anyway)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(JSON())
        return super().load_dialect_impl(dialect)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "sqlite":  # SQLite's JSON type encodes it
            return value
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "sqlite":
            return value
        return json.loads(value)


def _bytewise(length: int) -> Any:
    """A string column compared byte by byte on PostgreSQL (``COLLATE "C"``)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> dt.datetime:
    return clock.now()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Goes up when the password changes or the account is disabled: a sign-in cookie
    # issued under an older number is refused (migration 0006).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class LoginAttempt(Base):
    """Failed sign-ins, counted per key (an account tried from an address, or an
    address) over a window."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class SignIn(Base):
    """A browser's sign-in, live until it is ended, expires or its account's sign-in
    generation moves on. The cookie holds a random id; only its SHA-256 is kept here."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    epoch: Mapped[int] = mapped_column(Integer)  # the account's session_epoch at sign-in
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    user_agent: Mapped[str] = mapped_column(String(200), default="", server_default="")


class PolicyRecord(Base):
    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PolicyVersion(Base):
    __tablename__ = "policy_versions"
    __table_args__ = (
        UniqueConstraint("policy_id", "number", name="uq_policy_versions_number"),
        CheckConstraint(_in("status", VERSION_STATUSES), name="status"),
        # One published version per policy, enforced by the database itself.
        Index(
            "uq_policy_versions_published",
            "policy_id",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    change_summary: Mapped[str] = mapped_column(Text, default="")
    based_on: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    piloted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # When the version comes into force: its publish instant or a later, scheduled one;
    # null while it never was (docs/lifecycle.md). In force from here to ``retired_at``.
    effective_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # A pilot's group (``pilot_kind``: team, segment, channel, customer or agent, and
    # its ``pilot_values``) and period (``pilot_starts_at`` up to ``pilot_ends_at``):
    # the group's tickets created then are judged under this version. ``pilot_outcome``
    # is null while it runs, then ``published`` or ``abandoned`` (docs/lifecycle.md).
    pilot_kind: Mapped[str | None] = mapped_column(String(16))
    pilot_values: Mapped[list[str] | None] = mapped_column(JsonText)
    pilot_starts_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    pilot_ends_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    pilot_outcome: Mapped[str | None] = mapped_column(String(16))


class VersionEvent(Base):
    """The audit trail of a version: who moved it from which status to which, when."""

    __tablename__ = "version_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class VersionComment(Base):
    __tablename__ = "version_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    clause: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class Ticket(Base):
    """A helpdesk ticket in the canonical columns, keyed by where it came from, with its
    events in one column (see ``EVENTS_FORMAT``)."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_tickets_source_id"),
        Index("ix_tickets_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # Compared byte by byte on PostgreSQL: the unique key every imported row is checked
    # against stays out of the database's locale (SQLite compares bytes anyway).
    source: Mapped[str] = mapped_column(_bytewise(32))
    source_id: Mapped[str] = mapped_column(_bytewise(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    channel: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[str | None] = mapped_column(String(16))
    segment: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64))
    assignee: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list[str] | None] = mapped_column(JsonText)
    status: Mapped[str | None] = mapped_column(String(16))
    first_response_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    solved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    csat: Mapped[int | None] = mapped_column(SmallInteger)
    nps: Mapped[int | None] = mapped_column(SmallInteger)
    # Who asked, where the helpdesk names them (the survey after a solve goes there),
    # and the comment the helpdesk's own satisfaction survey carried.
    requester_email: Mapped[str | None] = mapped_column(String(320))
    csat_comment: Mapped[str | None] = mapped_column(Text)
    # The ticket's events in their order, as parallel lists
    # ``{"at_us": [...], "kind": [...], "status": [...]}`` (instants in integer
    # microseconds since 1970-01-01 UTC); null when
    # it has none. Kept with the ticket rather than a row per event: written, replaced
    # and read with it, which is a fifth of the rows (docs/benchmarks.md).
    events: Mapped[dict[str, list[Any]] | None] = mapped_column(JsonText)
    # Hash of the ticket's columns and events: a re-import of an unchanged ticket
    # writes nothing.
    content_hash: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


# Per metric, what ``sla_states`` keeps: ``{metric}_{field}``.
METRIC_FIELDS = ("status", "due_at", "elapsed_seconds", "target_seconds")


def _metric_columns() -> list[Column[Any]]:
    columns: list[Column[Any]] = []
    for metric in METRICS:
        columns += [
            Column(f"{metric}_status", String(16)),
            Column(f"{metric}_due_at", UtcDateTime()),
            Column(f"{metric}_elapsed_seconds", Double()),
            Column(f"{metric}_target_seconds", Double()),
        ]
    return columns


class SlaState(Base):
    """Each stored ticket's SLA state under the version that judged it (``version_id``:
    the version in force when the ticket was created): one row per ticket, four columns
    per metric (``{metric}_status``, ``_due_at``,
    ``_elapsed_seconds``, ``_target_seconds``; all null where its rule sets no target
    for the metric). ``settles_at`` is when the state stops changing with time (null
    while a clock runs): a scheduled recompute evaluates only tickets not yet settled.
    No foreign key: checked row by row it doubled a bulk write (docs/benchmarks.md)."""

    __table__ = Table(
        "sla_states",
        Base.metadata,
        Column("ticket_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("version_id", Integer, nullable=False),
        Column("rule_id", String(100)),
        Column("settles_at", UtcDateTime()),
        Column("computed_at", UtcDateTime(), nullable=False),
        *_metric_columns(),
    )


class ImportRun(Base):
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    batches: Mapped[int] = mapped_column(Integer, default=0)


class SyncCursor(Base):
    """Where a helpdesk sync stopped: the cursor of the next page to read, written in
    the same transaction as the tickets of the page before it."""

    __tablename__ = "sync_cursors"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[str] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class BacktestRun(Base):
    __tablename__ = "backtest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    versions: Mapped[list[int]] = mapped_column(JSON)  # version numbers, newest draft first
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    tickets: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


# What the handbook's PostgreSQL full-text index covers; searches use the same
# expression so the index serves them (migration 0002 creates it). Punctuation is
# made a space first, so ``sl-email-high`` or ``help@example.com`` are words, as they
# are to SQLite's tokenizer; written as PostgreSQL prints it back, for the model check.
_HANDBOOK_WORDS = (
    "to_tsvector('english'::regconfig, "
    "regexp_replace({}, '[^[:alnum:]]+'::text, ' '::text, 'g'::text))"
)
HANDBOOK_TSVECTOR = (
    f"(setweight({_HANDBOOK_WORDS.format('heading')}, 'A'::\"char\") || "
    f"setweight({_HANDBOOK_WORDS.format('clause_id::text')}, 'A'::\"char\")) || "
    f"setweight({_HANDBOOK_WORDS.format('body')}, 'B'::\"char\")"
)


class HandbookClause(Base):
    """One clause of an indexed policy version, for the handbook's full-text search.

    SQLite searches it through the FTS5 table ``handbook_search`` (migration 0002,
    kept in step by triggers; not a model, as SQLAlchemy has no virtual tables);
    PostgreSQL through a GIN index on :data:`HANDBOOK_TSVECTOR`.
    """

    __tablename__ = "handbook_clauses"
    __table_args__ = (
        UniqueConstraint("version_id", "clause_id", name="uq_handbook_clauses_clause"),
        Index(
            "ix_handbook_clauses_search", text(f"({HANDBOOK_TSVECTOR})"), postgresql_using="gin"
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id", ondelete="CASCADE"))
    clause_id: Mapped[str] = mapped_column(String(300))
    section: Mapped[str] = mapped_column(String(100))
    heading: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


# The dashboard's precomputed aggregates (charter.services.dashboard, docs/dashboard.md):
# replaced whole after each SLA recompute, so a page reads a few thousand rows, not the
# tickets. A missing channel, priority or team is kept as "" (part of the primary key).
DAILY_COUNTS = (
    "created", "solved", "resolved", "open", "open_breached", "open_at_risk",
    "csat_answers", "csat_positive", "csat_solved", "nps_answers", "nps_promoters",
    "nps_detractors", "first_contact", "with_events",
)  # fmt: skip
DAILY_STATUSES = ("met", "breached", "pending", "at_risk")
DAILY_KEYS = ("day", "channel", "priority", "team")


def _daily_keys() -> list[Column[Any]]:
    return [
        Column("day", Date(), primary_key=True),
        Column("channel", String(64), primary_key=True),
        Column("priority", String(16), primary_key=True),
        Column("team", String(64), primary_key=True),
    ]


class TicketDaily(Base):
    """Per created day (UTC), channel, priority and team: ticket counts, each SLA
    metric's clocks by status, survey answers, and the open tickets as of ``as_of``
    (the recompute). ``solved`` counts tickets by the day they were solved."""

    __table__ = Table(
        "ticket_daily",
        Base.metadata,
        *_daily_keys(),
        *(Column(name, Integer, nullable=False) for name in DAILY_COUNTS),
        *(
            Column(f"{metric}_{status}", Integer, nullable=False)
            for metric in METRICS
            for status in DAILY_STATUSES
        ),
        Column("as_of", UtcDateTime(), nullable=False),
    )


# Which of a ticket's groups a ``ticket_daily_times`` row is split by; a group it is not
# split by is "" and the row sums every value of it.
SPLIT_BITS = {"channel": 1, "priority": 2, "team": 4}


class TicketDailyTime(Base):
    """How long first responses and resolutions took, per created day: the tickets and
    their seconds in each histogram ``bucket`` of a ``measure``
    (``first_response_time.business`` ...), for medians and p90 without the tickets.

    Kept at every level a dashboard filter asks for: ``split`` says which groups a row
    is split by (``SPLIT_BITS`` added up: 0 is every ticket, 7 one channel, priority and
    team), so any filter reads its own rows in key order and sums nothing."""

    __table__ = Table(
        "ticket_daily_times",
        Base.metadata,
        Column("split", SmallInteger, nullable=False),
        Column("channel", String(64), nullable=False),
        Column("priority", String(16), nullable=False),
        Column("team", String(64), nullable=False),
        Column("day", Date(), nullable=False),
        Column("measure", String(32), nullable=False),
        Column("bucket", SmallInteger, nullable=False),
        Column("tickets", Integer, nullable=False),
        Column("seconds", Double(), nullable=False),
        PrimaryKeyConstraint(
            "split",
            "channel",
            "priority",
            "team",
            "day",
            "measure",
            "bucket",
            name="pk_ticket_daily_times",
        ),  # fmt: skip
    )


class EscalationPlan(Base):
    """The escalation levels each open ticket still has to reach: one row per ticket,
    metric and level, under the version that judges the ticket, with the instant the
    level falls due and the instant it is delivered (``deliver_at``; null while the
    metric's clock is paused with no due instant). Derived data, replaced whenever the
    ticket is judged again; a row leaves when its level fires or is withdrawn."""

    __table__ = Table(
        "escalation_plans",
        Base.metadata,
        Column("ticket_id", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
        Column("metric", String(32), nullable=False),
        Column("level_id", String(100), nullable=False),
        Column("version_id", Integer, nullable=False),
        Column("rule_id", String(100)),
        Column("level", Integer, nullable=False),
        Column("due_at", UtcDateTime()),
        Column("deliver_at", UtcDateTime()),
        PrimaryKeyConstraint("ticket_id", "metric", "level_id", name="pk_escalation_plans"),
        Index("ix_escalation_plans_deliver_at", "deliver_at"),
    )


class EscalationFiring(Base):
    """A level that fired: the key (ticket, metric, level, version) is written once, in
    the same transaction as the messages it sends, so a level never fires twice."""

    __table__ = Table(
        "escalation_firings",
        Base.metadata,
        Column("ticket_id", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
        Column("metric", String(32), nullable=False),
        Column("level_id", String(100), nullable=False),
        Column("version_id", Integer, nullable=False),
        Column("fired_at", UtcDateTime(), nullable=False),
        Column("due_at", UtcDateTime()),
        Column("deliver_at", UtcDateTime()),
        Column("worker", String(200), nullable=False),
        PrimaryKeyConstraint(
            "ticket_id", "metric", "level_id", "version_id", name="pk_escalation_firings"
        ),
    )


OUTBOX_STATES = ("pending", "sent", "dead", "withdrawn")


class OutboxMessage(Base):
    """One message a fired level sends: an e-mail to one address, a signed webhook, or
    an action in the helpdesk. ``pending`` until delivered (``sent``), dead-lettered after
    its last try (``dead``), or ``withdrawn`` when its level was switched off first."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(f"state IN {OUTBOX_STATES!r}", name="state"),
        Index("ix_outbox_state_next_try_at", "state", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A fired level's message names its ticket; a training message (purpose
    # ``training``) names none: its metric is ``training``, its level the reminder's kind.
    ticket_id: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), index=True
    )
    metric: Mapped[str] = mapped_column(String(32))
    level_id: Mapped[str] = mapped_column(String(100))
    version_id: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))  # email, webhook, action
    purpose: Mapped[str] = mapped_column(
        String(16), default="escalation", server_default="escalation"
    )
    recipient: Mapped[str] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class TicketAuditEvent(Base):
    """What happened to a ticket's escalations and messages, in order: a level planned,
    fired or withdrawn; a message sent, failed, retried or dead-lettered."""

    __tablename__ = "ticket_audit"
    __table_args__ = (
        # The receipts of accepted tries: a sent message's row, found by its message.
        Index(
            "ix_ticket_audit_outbox_id",
            "outbox_id",
            sqlite_where=text("outbox_id IS NOT NULL"),
            postgresql_where=text("outbox_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(  # none for a training message's tries
        BigInteger().with_variant(Integer, "sqlite"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(32))
    metric: Mapped[str | None] = mapped_column(String(32))
    level_id: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")
    outbox_id: Mapped[int | None] = mapped_column(Integer)  # a message's try: its message


class WorkerTick(Base):
    """Each worker's last tick: when it ran, how long it took, and what failed."""

    __tablename__ = "worker_ticks"

    worker: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_tick_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    tick_seconds: Mapped[float] = mapped_column(Double)
    ticks: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncRequest(Base):
    """A ticket sync a helpdesk webhook asked for, waiting for the worker: one row per
    helpdesk and ticket, however many webhooks named it (each moves ``requested_at``)."""

    __tablename__ = "sync_requests"
    __table_args__ = (Index("ix_sync_requests_source_requested_at", "source", "requested_at"),)

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    requested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class WebhookSignature(Base):
    """An accepted webhook's signature and when it was seen: the same signature inside
    the time window is a replay. Rows older than the window are pruned."""

    __tablename__ = "webhook_signatures"
    __table_args__ = (Index("ix_webhook_signatures_seen_at", "seen_at"),)

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    signature: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class StaffProfile(Base):
    """What training needs to know about an account: the policy's staff role it works
    in, the channels it answers, its team and manager, and when it started."""

    __tablename__ = "staff_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    policy_role: Mapped[str | None] = mapped_column(String(80))
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    team: Mapped[str | None] = mapped_column(String(100))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_on: Mapped[dt.date | None] = mapped_column(Date)


class Acknowledgment(Base):
    """A person's acknowledgment of a policy version, with the text's hash they saw."""

    __tablename__ = "acknowledgments"
    __table_args__ = (UniqueConstraint("user_id", "version_id", name="uq_acknowledgments"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class QuizAttempt(Base):
    """One try at a version's quiz: its questions in order, and once every one is
    answered, the score and whether it passed."""

    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="CASCADE"), index=True
    )
    questions: Mapped[list[str]] = mapped_column(JSON)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    score: Mapped[float | None] = mapped_column(Double)
    passed: Mapped[bool | None] = mapped_column(Boolean)


class QuizAnswer(Base):
    """One answer given in an attempt (or to a refresher question: no attempt)."""

    __tablename__ = "quiz_answers"
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id", name="uq_quiz_answers"),
        Index("ix_quiz_answers_clause_id", "clause_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE")
    )
    version_id: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(300))
    clause_id: Mapped[str] = mapped_column(String(300))
    prompt: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(String(500))
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class RefresherCard(Base):
    """A question a person got wrong, coming back on a growing schedule."""

    __tablename__ = "refresher_cards"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    step: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class TrainingSend(Base):
    """The key that makes each training message go once: a reminder, an overdue notice
    to the manager or a "what changed" notice, per person and version. Written in the
    transaction that writes its outbox message."""

    __tablename__ = "training_sends"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    version_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class SectionRead(Base):
    """A handbook section a person marked as read, for one version (onboarding)."""

    __tablename__ = "section_reads"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    version_id: Mapped[int] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="CASCADE"), primary_key=True
    )
    section: Mapped[str] = mapped_column(String(80), primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PolicyFeedback(Base):
    """A visitor's rating of a section of the public charter: clear? fair? and an
    optional comment, anonymous (the address only as a keyed hash, for rate limits)."""

    __tablename__ = "policy_feedback"
    __table_args__ = (
        Index("ix_policy_feedback_address_created_at", "address_hash", "created_at"),
        Index("ix_policy_feedback_version_section", "version_id", "section"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(80))
    clear: Mapped[bool | None] = mapped_column(Boolean)
    fair: Mapped[bool | None] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    address_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PolicyReview(Base):
    """A review of the policy, recorded: when, by whom, its outcome (``no_change``, or
    ``new_draft`` with the draft's number) and the next review date it set."""

    __tablename__ = "policy_reviews"
    __table_args__ = (
        CheckConstraint("outcome IN ('no_change', 'new_draft')", name="outcome"),
        Index("ix_policy_reviews_policy_id", "policy_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id", ondelete="CASCADE"))
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    reviewed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(16))
    draft_number: Mapped[int | None] = mapped_column(Integer)
    next_review: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class ReviewReminder(Base):
    """The key that sends each review reminder once: per policy, review date and day."""

    __tablename__ = "review_reminders"

    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True
    )
    next_review: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ThemeName(Base):
    """A feedback theme's name as a manager gave it, kept against the theme's key (its
    top three terms) so it survives the themes being found again."""

    __tablename__ = "feedback_theme_names"

    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True
    )
    theme_key: Mapped[str] = mapped_column(String(400), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    named_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    named_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ThemeMerge(Base):
    """A feedback theme merged into another, both by key: ``theme_key``'s comments join
    ``into_key``'s theme whenever the themes are found again."""

    __tablename__ = "feedback_theme_merges"

    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True
    )
    theme_key: Mapped[str] = mapped_column(String(400), primary_key=True)
    into_key: Mapped[str] = mapped_column(String(400))
    merged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ThemePin(Base):
    """A keyword query pinned to a clause: comments matching it belong to that clause's
    theme, whatever the grouping says. Who pinned it and when."""

    __tablename__ = "feedback_pins"
    __table_args__ = (Index("ix_feedback_pins_policy_id", "policy_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    clause_id: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(String(200))
    pinned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pinned_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


SURVEY_STATES = ("scheduled", "sent", "answered", "withdrawn", "expired")


class SurveyInvitation(Base):
    """The survey after a ticket's solve: at most one per ticket. ``scheduled`` until
    ``due_at`` (the solve plus the policy's delay), ``sent`` once its e-mail is queued
    (``outbox_id``), ``answered`` with the customer's score, ``withdrawn`` when the
    ticket was reopened before it went, ``expired`` when its link ran out unanswered."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        CheckConstraint(f"state IN {SURVEY_STATES!r}", name="state"),
        CheckConstraint("kind IN ('csat', 'nps', 'ces')", name="kind"),
        Index("ix_survey_invitations_state_due_at", "state", "due_at"),
        Index("ix_survey_invitations_answered_at", "answered_at"),
        Index("ix_survey_invitations_address_hash_answered_at", "address_hash", "answered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), unique=True
    )
    version_id: Mapped[int] = mapped_column(Integer)  # whose ``surveys:`` section it follows
    kind: Mapped[str] = mapped_column(String(8))
    email: Mapped[str] = mapped_column(String(320))
    solved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)  # the solve it follows
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # set when sent
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="scheduled")
    score: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    reasons: Mapped[list[str] | None] = mapped_column(JsonText)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Who answered, only as a keyed hash of their network address (for rate limits).
    address_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


DECISION_KINDS = ("return", "delivery")


class Decision(Base):
    """A question asked of the policy and its answer, as it was given: who asked (the
    account, its name then, and how: page, API token or command), the inputs, the
    outcome and the figures of the answer, the version it was decided under (its id,
    label and content hash, and whether it was the one in force at the order instant
    or the one in force when asked), the ticket and order it was for, and for a return
    the refund's instants (docs/eligibility.md, "Every decision is recorded"). The
    clauses that decided it are ``decision_clauses``."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(_in("kind", DECISION_KINDS), name="kind"),
        CheckConstraint("version_basis IN ('order', 'current')", name="version_basis"),
        Index("ix_decisions_asked_at", "asked_at"),
        Index("ix_decisions_ticket_ref", "ticket_ref"),
        Index("ix_decisions_refund_due_at", "refund_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    asked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    asked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    asked_by_name: Mapped[str] = mapped_column(String(200))
    asked_via: Mapped[str] = mapped_column(String(8))
    inputs: Mapped[dict[str, Any]] = mapped_column(JsonText)
    outcome: Mapped[str] = mapped_column(String(32))
    answer: Mapped[dict[str, Any]] = mapped_column(JsonText)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="SET NULL")
    )
    version_label: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    version_basis: Mapped[str] = mapped_column(String(8))
    ticket_ref: Mapped[str | None] = mapped_column(String(100))
    order_ref: Mapped[str | None] = mapped_column(String(100))
    ordered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    received_back_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    evidence_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refund_due_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refund_paid_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class DecisionClause(Base):
    """A clause that decided a decision, in the order the answer cites them, with its
    text as the version said it."""

    __tablename__ = "decision_clauses"
    __table_args__ = (Index("ix_decision_clauses_clause_id", "clause_id"),)

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    clause_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


COMPLAINT_STATES = ("open", "closed")
COMPLAINT_DEADLINES = ("acknowledgment", "response")
COMPLAINT_NOTICES = ("reminder", "overdue")


class ComplaintCase(Base):
    """A complaint opened from a ticket (one case per ticket), by the worker (a tag or
    category the policy names) or by hand: when it was received, the policy version
    in force then (whose stages it follows), the position of its current stage, and
    whether it is open or closed (docs/complaints.md, "Cases")."""

    __tablename__ = "complaint_cases"
    __table_args__ = (
        CheckConstraint(_in("state", COMPLAINT_STATES), name="state"),
        Index("ix_complaint_cases_state", "state"),
        Index("ix_complaint_cases_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), unique=True
    )
    version_id: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    stage: Mapped[int] = mapped_column(SmallInteger, default=1)  # position, from 1
    state: Mapped[str] = mapped_column(String(8), default="open")
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_because: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ComplaintStageRecord(Base):
    """One stage a case reached: the policy's stage id, when it was received (the
    complaint's receipt, or its escalation), acknowledged and responded to, by whom,
    its handler, and its deadlines as last computed (UTC; for lists and KPIs)."""

    __tablename__ = "complaint_stages"
    __table_args__ = (
        UniqueConstraint("case_id", "position"),
        Index("ix_complaint_stages_acknowledge_due_at", "acknowledge_due_at"),
        Index("ix_complaint_stages_respond_due_at", "respond_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_cases.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(SmallInteger)
    stage_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    responded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    responded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledge_due_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    respond_due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ComplaintExtension(Base):
    """An extension of one of a stage's deadlines: by how many working days, the written
    reason, who granted it and when."""

    __tablename__ = "complaint_extensions"
    __table_args__ = (CheckConstraint(_in("deadline", COMPLAINT_DEADLINES), name="deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage_row_id: Mapped[int] = mapped_column(
        ForeignKey("complaint_stages.id", ondelete="CASCADE"), index=True
    )
    deadline: Mapped[str] = mapped_column(String(16))
    days: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ComplaintNotice(Base):
    """A reminder or overdue notice written to the outbox for one deadline of one stage,
    at most once per deadline instant: an extended deadline is reminded of again."""

    __tablename__ = "complaint_notices"
    __table_args__ = (
        CheckConstraint(_in("deadline", COMPLAINT_DEADLINES), name="deadline"),
        CheckConstraint(_in("kind", COMPLAINT_NOTICES), name="kind"),
    )

    stage_row_id: Mapped[int] = mapped_column(
        ForeignKey("complaint_stages.id", ondelete="CASCADE"), primary_key=True
    )
    deadline: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, primary_key=True)
    written_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


# The ticket list's search by helpdesk id looks ``source_id`` up alone (the unique key
# leads with ``source``, so it cannot serve that); its default order reads the unsolved
# tickets (``solved_at`` null) apart from the others.
Index("ix_tickets_source_id", Ticket.source_id)
Index("ix_tickets_solved_at", Ticket.solved_at)
# The values its filters offer, read from this index alone rather than from every
# ticket's (wide) row.
Index("ix_tickets_choices", Ticket.channel, Ticket.priority, Ticket.team, Ticket.assignee)


class SavedTicketView(Base):
    """A ticket list a person saved by name (``query``: the list's URL query, as the
    page writes it), theirs alone; one name per person (docs/tickets-view.md)."""

    __tablename__ = "saved_ticket_views"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    query: Mapped[str] = mapped_column(String(1000))
    saved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class RenderedDocument(Base):
    """A PDF rendered from one version and kept, so a download sends it at once
    (docs/exports.md): ``kind`` is ``charter`` or ``handbook`` (charter and handbook),
    ``renderer`` the version of the code that rendered it; a version's text (its
    ``content_hash``) or a new renderer gives a new row."""

    __tablename__ = "rendered_documents"
    __table_args__ = (CheckConstraint(_in("kind", ("charter", "handbook")), name="kind"),)

    version_id: Mapped[int] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    renderer: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[bytes] = mapped_column()
    rendered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


PUBLISH_JOB_STATES = ("queued", "running", "done", "failed")


class PublishJob(Base):
    """A request to publish one version, run by the worker (docs/policy-editor.md):
    ``queued`` until a worker takes it, ``running`` while it publishes and re-judges the
    tickets (``progress`` 0–100, ``step`` in words), then ``done`` or ``failed`` (``error``
    says why). One queued or running job per version: a second request gets the first."""

    __tablename__ = "publish_jobs"
    __table_args__ = (
        CheckConstraint(_in("state", PUBLISH_JOB_STATES), name="state"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
        Index(
            "ix_publish_jobs_one_active",
            "version_id",
            unique=True,
            sqlite_where=text("state IN ('queued', 'running')"),
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
        Index("ix_publish_jobs_state_requested_at", "state", "requested_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    effective_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # None: when it runs
    note: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[str] = mapped_column(String(200), default="waiting for the worker")
    error: Mapped[str | None] = mapped_column(Text)
