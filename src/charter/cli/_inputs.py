"""Options and loading shared by the commands that read a policy and tickets."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Annotated

import typer

from charter.cli._output import DataFormat
from charter.errors import UsageError
from charter.policy import LoadedPolicy, load_policy
from charter.tickets.dataset import TicketData, read_dataset

TicketsOption = Annotated[
    Path,
    typer.Option(
        "--tickets", "-t", help="Dataset folder (charter import/synth) or tickets .parquet/.csv."
    ),
]
EventsOption = Annotated[
    Path | None, typer.Option("--events", help="Events .parquet/.csv when --tickets is a file.")
]
ReportOption = Annotated[
    Path | None, typer.Option("--report", help="Also write a self-contained HTML report.")
]
DataFormatOption = Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")]
NowOption = Annotated[
    str | None,
    typer.Option("--now", help="Evaluate as of this instant (ISO 8601; default: end of data)."),
]


def load_inputs(
    policy: Path, tickets: Path, events: Path | None
) -> tuple[LoadedPolicy, TicketData]:
    """The policy and the tickets (at least one); errors name the file and what is wrong."""
    loaded = load_policy(policy)
    data = read_dataset(tickets, events)
    if data.tickets.height == 0:
        raise UsageError(f"{tickets}: no tickets to work on")
    return loaded, data


def parse_now(text: str | None) -> dt.datetime | None:
    """``--now``: an ISO 8601 instant; without an offset it is UTC."""
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--now: {text!r} is not an ISO 8601 date and time") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def check_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--timezone: {name!r} is not an IANA timezone") from None
    return name
