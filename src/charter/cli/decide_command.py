"""``charter decide``: decisions that cite the clause of the policy that decided them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from charter import figures
from charter.cli._output import Format, out, print_json, reporting
from charter.errors import InvalidInput, UsageError

decide = typer.Typer(
    help="Decide a case by the policy, citing the clause that decided it.",
    no_args_is_help=True,
    add_completion=False,
)

OPTION_OF = {"region": "--region", "method": "--method", "ordered": "--ordered",
             "delivered": "--delivered", "policy": "POLICY", "category": "--category",
             "reason": "--reason", "price": "--price", "asked": "--asked",
             "unmet": "--unmet"}  # fmt: skip
OUTCOME_STYLE = {"allowed": "green", "refused": "red", "needs_approval": "yellow"}

PolicyFile = Annotated[Path, typer.Argument(help="The policy file.", show_default=False)]
Ordered = Annotated[
    str,
    typer.Option(
        "--ordered", help="When the order was placed: ISO 8601 with its UTC offset.",
        show_default=False,
    ),
]  # fmt: skip
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def register(app: typer.Typer) -> None:
    app.add_typer(decide, name="decide")


@decide.command("delivery")
def delivery_command(
    policy: PolicyFile,
    ordered: Ordered,
    region: Annotated[
        str, typer.Option("--region", help="The delivery region (UK mainland).", show_default=False)
    ],
    method: Annotated[
        str, typer.Option("--method", help="The delivery method (standard).", show_default=False)
    ],
    delivered: Annotated[
        str | None,
        typer.Option("--delivered", help="When it was delivered, to judge it on time or late."),
    ] = None,
    json: AsJson = False,
) -> None:
    """The dispatch-by and delivered-by dates of an order, and whether a delivery was late.

    Days are the working days of the promise's calendar; an order at or after the
    cutoff, or on a non-working day, counts from the next working day.
    """
    from charter.decisions.delivery import delivery_dates, judge_delivery
    from charter.policy import load_policy

    fmt = Format.json if json else Format.text
    with reporting(fmt):
        ordered_at = _instant("--ordered", ordered)
        delivered_at = _instant("--delivered", delivered) if delivered is not None else None
        loaded = load_policy(policy)
        try:
            if delivered_at is None:
                dates = delivery_dates(loaded.policy, ordered_at, region, method)
                judgement = None
            else:
                judgement = judge_delivery(loaded.policy, ordered_at, region, method, delivered_at)
                dates = judgement.dates
        except InvalidInput as error:
            raise UsageError(f"{_option(error)}: {error}") from None
    data = _json(dates, judgement)
    if json:
        print_json(data)
        return
    _table(data)


@decide.command("return")
def return_command(
    policy: PolicyFile,
    ordered: Ordered,
    category: Annotated[
        str, typer.Option("--category", help="The item's product category.", show_default=False)
    ],
    reason: Annotated[
        str,
        typer.Option(
            "--reason", help="Why it is returned: one of the policy's reasons.", show_default=False
        ),
    ],
    delivered: Annotated[
        str | None,
        typer.Option(
            "--delivered", help="When it was delivered (a split order: its last delivery)."
        ),
    ] = None,
    price: Annotated[
        str | None, typer.Option("--price", help="The item's price, for the refund (19.99).")
    ] = None,
    asked: Annotated[
        str | None,
        typer.Option("--asked", help="When the customer asked to return it; default now."),
    ] = None,
    not_informed: Annotated[
        bool,
        typer.Option(
            "--not-informed", help="The customer was not told of the right to return (EU art. 10)."
        ),
    ] = False,
    unmet: Annotated[
        list[str] | None,
        typer.Option("--unmet", help="Id of a return condition not met; repeat for more."),
    ] = None,
    json: AsJson = False,
) -> None:
    """Whether an item may be returned, when its window ends, and what is refunded.

    The checks run in the policy's order (exclusions, window, conditions by default);
    the first that fails refuses the return and its clause is printed with its text.
    """  # fmt: skip
    from charter.decisions.returns import ReturnRequest, decide_return
    from charter.policy import load_policy

    fmt = Format.json if json else Format.text
    with reporting(fmt):
        request = ReturnRequest(
            ordered_at=_instant("--ordered", ordered),
            delivered_at=_instant("--delivered", delivered) if delivered is not None else None,
            category=category,
            reason=reason,
            price=_price(price) if price is not None else None,
            asked_at=_instant("--asked", asked) if asked is not None else None,
            informed_of_right=not not_informed,
            unmet_conditions=tuple(unmet or ()),
        )
        loaded = load_policy(policy)
        try:
            decision = decide_return(loaded.policy, request)
        except InvalidInput as error:
            raise UsageError(f"{_option(error)}: {error}") from None
    data = decision.as_dict()
    if json:
        print_json(data)
        return
    _return_table(data, decision.window_ends_local)


def _price(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().lstrip("£$€"))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise UsageError(f"--price: {text!r} is not an amount of money; write e.g. 19.99")
    return value


def _return_table(data: dict[str, Any], ends: dt.datetime | None) -> None:
    table = Table(title="Return", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    outcome = data["outcome"]
    table.add_row("Outcome", f"[{OUTCOME_STYLE[outcome]}]{outcome.replace('_', ' ')}[/]")
    # The local instant itself, not its ISO text, so the zone keeps its name (GMT, BST).
    shown = figures.instant(ends, seconds=True) if ends else "—"
    table.add_row("Window ends", escape(shown))
    refund = data["refund"]
    if refund is not None:
        amount = f"{refund['amount']}" if refund["amount"] is not None else "the price"
        fee = (
            f" after a {refund['fee']} restocking fee"
            if refund["fee"] not in (None, "0.00")
            else ""
        )
        table.add_row("Refund", escape(f"{amount}{fee}, {refund['method'].replace('_', ' ')}"))
        table.add_row("Refund due", escape(refund["due_by"]))
    for i, clause in enumerate(data["clauses"]):
        table.add_row("Decided by" if i == 0 else "Also cites", escape(clause["id"]))
        table.add_row("", escape(clause["text"]))
    out.print(table)


def _instant(option: str, text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option}: {text!r} is not an ISO 8601 date and time (2026-12-23T15:30+00:00)"
        ) from None
    if value.tzinfo is None:
        raise UsageError(f"{option}: {text!r} has no UTC offset; add one (2026-12-23T15:30+00:00)")
    return value


def _option(error: InvalidInput) -> str:
    for detail in error.details:
        name = OPTION_OF.get(str(detail.get("field")))
        if name:
            return name
    return "POLICY"


def _json(dates: Any, judgement: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ordered_at": dates.ordered_at.isoformat(),
        "timezone": dates.timezone,
        "counted_from": dates.day_zero.isoformat(),
        "dispatch_by": dates.dispatch_by.isoformat(),
        "earliest_delivery": dates.earliest.isoformat(),
        "delivered_by": dates.latest.isoformat(),
        "clause": {"id": dates.clause.id, "text": dates.clause.text},
        "notes": list(dates.notes),
    }
    if dates.clause.version is not None:
        data["clause"]["version"] = dates.clause.version
    if judgement is not None:
        data["delivered_at"] = judgement.delivered_at.isoformat()
        data["delivered_on"] = judgement.delivered_on.isoformat()
        data["on_time"] = judgement.on_time
        data["working_days_late"] = judgement.working_days_late
        data["verdict"] = judgement.verdict
        data["broke"] = judgement.broke.id if judgement.broke else None
    return data


def _day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day:%a} {day.day} {day:%b %Y}"


def _table(data: dict[str, Any]) -> None:
    table = Table(title="Delivery promise", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("Ordered", escape(data["ordered_at"]))
    table.add_row("Counted from", f"{_day(data['counted_from'])} ({data['timezone']})")
    table.add_row("Dispatch by", _day(data["dispatch_by"]))
    table.add_row("Earliest delivery", _day(data["earliest_delivery"]))
    table.add_row("Delivered by", _day(data["delivered_by"]))
    if "verdict" in data:
        colour = "green" if data["on_time"] else "red"
        table.add_row("Delivered", f"{_day(data['delivered_on'])}: [{colour}]{data['verdict']}[/]")
    broke = data.get("broke") is not None
    table.add_row("Broke" if broke else "Clause", escape(data["clause"]["id"]))
    table.add_row("", escape(data["clause"]["text"]))
    for note in data["notes"]:
        table.add_row("Note", escape(note))
    out.print(table)
