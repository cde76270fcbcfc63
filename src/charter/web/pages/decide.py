"""The agents' page: ``GET /decide`` asks the policy; ``POST /decide/return`` decides
whether an item may be returned and ``POST /decide/delivery`` an order's delivery
promise, each recorded (docs/eligibility.md, "The agents' page").

A server-rendered form, no script needed. Instants are typed in the business's
timezone (the policy's, as the public page shows it). After a decision the page comes
back as ``/decide?decision=N`` (so reloading does not record it twice) with the answer
above the form: the outcome in words, the window's end and the refund (or the
delivery dates), the deciding clause's id with its text, and the version's label and
content hash. A bad field comes back as the form,
filled in as it was sent, with the message naming the field (422).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter.errors import CharterError, InvalidInput, NotFound
from charter.services import decisions
from charter.services.accounts import Principal
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages._decision_view import shared
from charter.web.pages._policy_view import effective_instant
from charter.web.rendering import StaffUser, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
TEMPLATE = "decisions/decide.html"
LONGEST = 200  # characters kept of any field echoed back into the page


def _page(
    request: Request, database: Database, who: Principal, *, answer: Any = None,
    problem: str = "", sent: dict[str, str] | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    form = decisions.ask_form(database)
    context = {**shared(form, answer), "form": form, "problem": problem,
               "sent": sent or {}}  # fmt: skip
    if form is None and not problem:
        context["problem"] = "No policy version is in force: publish one to decide by it."
    return render(request, TEMPLATE, context, user=who, status=status)


@router.get("/decide", response_class=HTMLResponse)
def decide_page(request: Request, database: DatabaseDep, who: StaffUser) -> Response:
    """The forms; with ``?decision=N``, that decision's answer above them."""
    asked = request.query_params.get("decision", "")
    if not asked:
        return _page(request, database, who)
    if not asked.isdigit() or len(asked) > 9:
        problem = f"decision: {asked[:20]!r} is not a decision number"
        return _page(request, database, who, problem=problem, status=422)
    try:
        answer = decisions.decision(database, int(asked))
    except NotFound as error:
        return _page(request, database, who, problem=str(error), status=404)
    return _page(request, database, who, answer=answer)


@router.post("/decide/delivery", response_class=HTMLResponse)
def decide_delivery(
    request: Request,
    database: DatabaseDep,
    who: StaffUser,
    ordered: FormText = "",
    promise: FormText = "",
    delivered: FormText = "",
    ticket_ref: FormText = "",
    order_ref: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Decide the delivery promise of an order and record it."""
    check_csrf(request, csrf_token)
    sent = {"kind": "delivery", "ordered": ordered, "promise": promise, "delivered": delivered,
            "ticket_ref": ticket_ref, "order_ref": order_ref}  # fmt: skip
    sent = {name: value[:LONGEST] for name, value in sent.items()}
    try:
        form = decisions.ask_form(database)
        zone = form.timezone if form else "UTC"
        region, _, method = promise.rpartition("|")
        if not ordered.strip():
            raise InvalidInput("ordered: give the instant the order was placed",
                               [{"field": "ordered"}])  # fmt: skip
        if not region:
            raise InvalidInput("promise: choose the region and method of the delivery",
                               [{"field": "promise"}])  # fmt: skip
        made = decisions.decide_delivery(
            database, who, ordered_at=effective_instant(ordered, zone, "ordered"),
            region=region, method=method,
            delivered_at=effective_instant(delivered, zone, "delivered")
            if delivered.strip() else None,
            ticket_ref=ticket_ref, order_ref=order_ref,
        )  # fmt: skip
    except CharterError as error:
        return _page(request, database, who, problem=str(error), sent=sent,
                     status=status_of(error))  # fmt: skip
    return RedirectResponse(f"/decide?decision={made.id}#answer", status_code=303)


@router.post("/decide/return", response_class=HTMLResponse)
async def decide_return(request: Request, database: DatabaseDep, who: StaffUser) -> Response:
    """Decide whether an item may be returned, and on what terms, and record it."""
    form = await request.form()
    fields = ("ordered", "delivered", "category", "reason", "price", "ticket_ref", "order_ref",
              "informed", "csrf_token")  # fmt: skip
    sent = {name: str(form.get(name, ""))[:LONGEST] for name in fields}
    unmet = tuple(str(v)[:LONGEST] for v in form.getlist("unmet")[:20])
    check_csrf(request, sent["csrf_token"])
    sent |= {"kind": "return", "unmet": " ".join(unmet)}
    try:
        made = _decide_return(database, who, sent, unmet)
    except CharterError as error:
        return _page(request, database, who, problem=str(error), sent=sent,
                     status=status_of(error))  # fmt: skip
    return RedirectResponse(f"/decide?decision={made.id}#answer", status_code=303)


def _decide_return(
    database: Database, who: Principal, sent: dict[str, str], unmet: tuple[str, ...]
) -> decisions.Recorded:
    ask = decisions.ask_form(database)
    zone = ask.timezone if ask else "UTC"
    if not sent["ordered"].strip():
        raise InvalidInput("ordered: give the instant the order was placed",
                           [{"field": "ordered"}])  # fmt: skip
    delivered = sent["delivered"].strip()
    return decisions.decide_return(
        database, who, ordered_at=effective_instant(sent["ordered"], zone, "ordered"),
        delivered_at=effective_instant(delivered, zone, "delivered") if delivered else None,
        category=sent["category"], reason=sent["reason"], price=_price(sent["price"]),
        informed_of_right=sent["informed"] != "no", unmet_conditions=unmet,
        ticket_ref=sent["ticket_ref"], order_ref=sent["order_ref"],
    )  # fmt: skip


def _price(text: str) -> Decimal | None:
    text = text.strip().lstrip("£$€").replace(",", "")
    if not text:
        return None
    try:
        price = Decimal(text)
    except InvalidOperation:
        price = Decimal(-1)
    if not price.is_finite() or price < 0 or price >= 10**10 or price != round(price, 2):
        raise InvalidInput(f"price: {text[:20]!r} is not an amount of money; give e.g. 19.99",
                           [{"field": "price"}])  # fmt: skip
    return price
