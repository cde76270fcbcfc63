"""``charter hours``: ask a policy's calendar a business-time question."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from charter import figures
from charter.cli._output import Format, out, print_json, reporting
from charter.errors import UsageError
from charter.hours import OpeningHours
from charter.policy import Policy, load_policy
from charter.policy.calendar import ALWAYS
from charter.policy.clock import opening_hours
from charter.policy.units import Duration

TIME_HELP = "YYYY-MM-DD HH:MM in the calendar's timezone, or with an offset (Z, +01:00)."


def register(app: typer.Typer) -> None:
    app.command("hours")(hours)


def hours(
    policy: Annotated[Path, typer.Argument(help="Policy YAML file.", show_default=False)],
    calendar: Annotated[
        str | None,
        typer.Option("--calendar", "-c", help="Calendar id, or 24x7 (default: the only one)."),
    ] = None,
    add: Annotated[
        str | None, typer.Option("--add", help="Business time to add, e.g. 8h or 90m.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help=f"Start of --add. {TIME_HELP}")
    ] = None,
    between: Annotated[
        tuple[str, str] | None,
        typer.Option("--between", help=f"Business time between two instants. {TIME_HELP}"),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help=f"Is it open at this instant? {TIME_HELP}")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Due times, business time between two instants, and open-or-closed.

    charter hours policy.yaml --calendar uk-support --add 8h --from "2026-12-24 16:00"
    """
    with reporting(fmt):
        loaded = load_policy(policy)
        clock = opening_hours(loaded.policy, _calendar_id(loaded.policy, calendar))
        if sum(x is not None for x in (add, between, at)) > 1:
            raise UsageError("ask one question at a time: --add, --between or --at")
        if add is not None:
            answer = _due(clock, add, start)
        elif start is not None:
            raise UsageError("--from goes with --add, e.g. --add 8h --from '2026-12-24 16:00'")
        elif between is not None:
            answer = _between(clock, *between)
        else:
            answer = _open(clock, at)
    if fmt is Format.json:
        print_json(answer)
    else:
        out.print(escape(answer["text"]))


def _calendar_id(policy: Policy, chosen: str | None) -> str:
    if chosen is not None:
        return chosen
    if len(policy.calendars) == 1:
        return policy.calendars[0].id
    known = ", ".join([*(c.id for c in policy.calendars), ALWAYS])
    raise UsageError(f"say which calendar with --calendar; this policy has: {known}")


def _instant(text: str, zone: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{text!r} is not a date and time; write {TIME_HELP}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    return value.astimezone(dt.UTC)


def _shown(instant: dt.datetime, zone: str) -> str:
    return figures.instant(instant, zoneinfo.ZoneInfo(zone))


def _due(clock: OpeningHours, amount: str, start: str | None) -> dict[str, Any]:
    try:
        duration = Duration.parse(amount)
    except ValueError as error:
        raise UsageError(f"--add: {error}") from None
    if duration.working_days:
        raise UsageError("--add takes hours or minutes (e.g. 8h); working days are not supported")
    begin = _instant(start, clock.timezone) if start else dt.datetime.now(dt.UTC)
    due = clock.add(begin, duration.seconds)
    words = duration.words(business=not clock.is_24x7)
    text = (
        f"{words} from {_shown(begin, clock.timezone)} on {clock.name}: "
        f"due {_shown(due, clock.timezone)} ({figures.instant(due, dt.UTC)})"
    )
    return {"calendar": clock.name, "from": begin.isoformat(), "add_seconds": duration.seconds,
            "due": due.isoformat(), "text": text}  # fmt: skip


def _between(clock: OpeningHours, first: str, second: str) -> dict[str, Any]:
    a, b = _instant(first, clock.timezone), _instant(second, clock.timezone)
    seconds = clock.elapsed(a, b)
    sign, size = ("-" if seconds < 0 else ""), abs(round(seconds))
    amount = str(Duration(seconds=size)) if size else "0m"
    kind = "time" if clock.is_24x7 else "business time"
    text = (
        f"{kind} on {clock.name} from {_shown(a, clock.timezone)} to {_shown(b, clock.timezone)}:"
        f" {sign}{amount} ({seconds:g} s)"
    )
    return {"calendar": clock.name, "from": a.isoformat(), "to": b.isoformat(),
            "seconds": seconds, "text": text}  # fmt: skip


def _open(clock: OpeningHours, at: str | None) -> dict[str, Any]:
    moment = _instant(at, clock.timezone) if at else dt.datetime.now(dt.UTC)
    is_open = bool(clock.is_open(moment))
    opens = moment if is_open else clock.next_open(moment)
    state = "open" if is_open else f"closed; opens {_shown(opens, clock.timezone)}"
    text = f"{clock.name} at {_shown(moment, clock.timezone)}: {state}"
    return {"calendar": clock.name, "at": moment.isoformat(), "open": is_open,
            "next_open": opens.isoformat(), "text": text}  # fmt: skip
