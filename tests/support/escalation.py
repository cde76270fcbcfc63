"""The worker's steps in tests, without the sync: judge, fire, deliver at a chosen
instant; settings for a loopback SMTP server; a ticket stored from a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from charter.config import Settings
from charter.services.escalations import deliver_due, fire_due
from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.store import Database
from support.sla import at, data, make_ticket
from support.ticket_store import result_of

WORKER = "test-worker"


def settings_for(port: int, tmp_path: Path) -> Settings:
    """Settings that send e-mail to a loopback SMTP server on ``port``, in the clear."""
    return Settings(
        data_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_tls="none",
        smtp_from_address="charter@acme.example",
    )


def step(database: Database, settings: Settings, now: dt.datetime | str) -> None:
    """One worker tick without the sync at ``now`` (a London wall time as text, or an
    instant): judge, fire, deliver."""
    moment = at(now) if isinstance(now, str) else now
    recompute_sla(database, now=moment)
    fire_due(database, settings, worker=WORKER, now=moment)
    deliver_due(database, settings, now=moment)


def store(database: Database, events: list[Any], **overrides: Any) -> None:
    """Store one ticket (``make_ticket(**overrides)``) with ``events`` from a file."""
    tickets = data([make_ticket(**overrides)], events)
    import_tickets(database, result_of(tickets), source="helpdesk", batch_size=10)
