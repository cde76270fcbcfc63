"""``charter outbox``: the escalation messages waiting, dead-lettered or sent.

``charter outbox list`` shows the dead letters (messages that failed their last try,
or a failure no try gets past); ``--state pending`` the ones still to go, ``--state
sent`` the delivered. ``charter outbox retry ID ...`` (or ``--all``) puts dead
letters back in line: the worker tries each again at its next tick, with a fresh
set of tries, and the ticket's audit trail says it was retried from the command line.
"""

from __future__ import annotations

import datetime as dt
import getpass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from charter import figures
from charter.cli._output import USAGE, Format, err, fail, out, print_json, reporting
from charter.cli._store import open_store

if TYPE_CHECKING:
    from charter.services.outbox import Listing, Message, Retried

outbox = typer.Typer(help="Escalation messages: list the dead letters, retry them.")


class State(StrEnum):
    dead = "dead"
    pending = "pending"
    sent = "sent"


# What the "when" column means in each state.
WHEN = {"dead": "written", "pending": "next try", "sent": "sent"}


def register(app: typer.Typer) -> None:
    app.add_typer(outbox, name="outbox", no_args_is_help=True)


@outbox.command("list")
def list_messages(
    state: Annotated[State, typer.Option(help="Which messages to list.")] = State.dead,
    limit: Annotated[int, typer.Option(help="At most this many.", min=1, max=1000)] = 100,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """List the outbox's dead letters (or its pending or sent messages).

    charter outbox list --state dead --limit 20

    Dead letters are listed newest first, pending messages in the order they will be
    tried. Exit codes: 0 listed, 1 the database cannot be read.
    """
    from charter.services.outbox import messages

    with reporting(fmt):
        database = open_store()
        try:
            listing = messages(database, state.value, limit)
        finally:
            database.dispose()
    if fmt is Format.json:
        print_json({"state": listing.state, "total": listing.total,
                    "messages": [_json(m) for m in listing.messages]})  # fmt: skip
        return
    _table(listing)


def _table(listing: Listing) -> None:
    shown, total = len(listing.messages), listing.total
    if not total:
        out.print(f"No {listing.state} messages.")
        return
    title = f"{figures.count(total)} {listing.state} message{'s' if total != 1 else ''}"
    if shown < total:
        title += f" (the first {figures.count(shown)}; --limit shows more)"
    table = Table(title=title, title_justify="left")
    for heading in ("id", "ticket", "level", "channel", "recipient", "tries", "last error"):
        table.add_column(heading, overflow="fold")
    table.add_column(WHEN[listing.state])
    for m in listing.messages:
        table.add_row(
            str(m.id),
            escape(m.ticket),
            escape(_level(m)),
            m.channel,
            escape(m.recipient),
            str(m.tries),
            escape(m.last_error or figures.MISSING),
            figures.instant(_when(m, listing.state)),
        )
    out.print(table)


def _level(m: Message) -> str:
    return f"{m.level} ({m.level_id})" if m.level is not None else m.level_id


def _when(m: Message, state: str) -> dt.datetime | None:
    return {"dead": m.created_at, "pending": m.next_try_at, "sent": m.sent_at}[state]


def _json(m: Message) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, dt.datetime) else value
            for key, value in m.__dict__.items()}  # fmt: skip


@outbox.command("retry")
def retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Ids of dead letters to retry.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Retry every dead letter.")] = False,
) -> None:
    """Put dead letters back in line: the worker tries each again at its next tick.

    charter outbox retry 12 15      (or: charter outbox retry --all)

    Ids that are not dead letters are refused together, and nothing is retried. An
    e-mail to a role that had no address goes to the address the policy in force now
    gives the role; while it has none, it stays dead and is named.
    Exit codes: 0 retried, 1 refused or some kept dead, 2 bad usage.
    """
    from charter.services.outbox import retry_dead

    if bool(ids) == every:
        fail("name the dead letters to retry (charter outbox retry ID ...) or give --all, "
             "not both and not neither", USAGE)  # fmt: skip
    with reporting():
        database = open_store()
        try:
            done = retry_dead(database, None if every else ids, who=_who())
        finally:
            database.dispose()
    _report(done)


def _who() -> str:
    try:
        return f"{getpass.getuser()} on the command line"
    except (OSError, KeyError):  # no user name in the environment or the user database
        return "the command line"


def _report(done: Retried) -> None:
    count = len(done.retried)
    if count:
        ids = ", ".join(str(i) for i in done.retried)
        out.print(f"Retried {count} message{'s' if count != 1 else ''} ({ids}); "
                  "the worker tries them at its next tick.")  # fmt: skip
    elif not done.kept:
        out.print("No dead letters to retry.")
    for message_id, why in done.kept.items():
        err.print(f"[yellow]kept dead:[/yellow] message {message_id}: {escape(why)}")
    if done.kept:
        raise typer.Exit(1)
