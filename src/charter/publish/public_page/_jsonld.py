"""schema.org JSON-LD for the public page: the organisation and what it promises.

``Organization`` with a ``ContactPoint`` per contact point (``hoursAvailable`` as
``OpeningHoursSpecification``), ``hasMerchantReturnPolicy`` and one
``ShippingService`` per delivery promise (``hasShippingService``, with handling
and transit times as ``ServicePeriod`` durations in days).

Opening hours are mapped without loss, using schema.org's own reading of
``OpeningHoursSpecification``: a specification without ``opens`` is a closed day;
``closes`` before ``opens`` runs past midnight; an interval ending at ``24:00``
closes at ``00:00:00`` (the next midnight), and a whole day ``00:00-24:00``
closes at ``23:59:59``, the one form schema.org gives for a day open throughout.
Holidays and special days of the coming year are dated specifications
(``validFrom`` = ``validThrough`` = the date). Times are wall-clock times of the
calendar's timezone, which the page names.

>>> spec("mon", ("22:00", "06:00"))["closes"], spec("sat", ("18:00", "24:00"))["closes"]
('06:00:00', '00:00:00')
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from charter.policy.calendar import ALWAYS, WEEKDAYS, Calendar, ContactPoint, Weekday
from charter.policy.commitments import DayRange, DeliveryPromise
from charter.policy.links import http_link_problem
from charter.policy.returns import Returns
from charter.policy.schema import Policy

SCHEMA = "https://schema.org/"
DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday"), strict=True))  # fmt: skip
RETURN_METHODS = {"by_mail": "ReturnByMail", "in_store": "ReturnInStore",
                  "kiosk": "ReturnAtKiosk", "pickup": "ReturnByMail"}  # fmt: skip
RETURN_FEES = {"free": "FreeReturn", "customer_pays": "ReturnFeesCustomerResponsibility",
               "restocking_fee": "RestockingFees"}  # fmt: skip
REFUND_TYPES = {
    "original_payment": ["FullRefund"],
    "store_credit": ["StoreCreditRefund"],
    "exchange": ["ExchangeRefund"],
    "customer_choice": ["FullRefund", "StoreCreditRefund", "ExchangeRefund"],
}
_PHONE = re.compile(r"^\+?[\d\s().-]{5,}$")
Node = dict[str, Any]


def organisation(policy: Policy, closed: dict[str, list[dt.date]], today: dt.date) -> Node:
    """The whole JSON-LD document; ``closed`` holds each calendar's holidays to list, and
    special days before ``today`` are left out."""
    org = policy.organisation
    node: Node = {"@context": "https://schema.org", "@type": "Organization",
                  "@id": f"#{org.id}", "name": org.name, "description": org.mission}  # fmt: skip
    if org.website and http_link_problem(org.website) is None:
        node["url"] = org.website
    points = [contact_point(policy, c, closed, today) for c in policy.contact_points]
    if points:
        node["contactPoint"] = points
    if policy.returns is not None:
        node["hasMerchantReturnPolicy"] = return_policy(policy.returns)
    if policy.delivery:
        node["hasShippingService"] = [shipping(policy, d) for d in policy.delivery]
    return node


def contact_point(
    policy: Policy, point: ContactPoint, closed: dict[str, list[dt.date]], today: dt.date
) -> Node:
    node: Node = {"@type": "ContactPoint", "@id": f"#contact_points.{point.id}",
                  "contactType": "customer service"}  # fmt: skip
    if point.name:
        node["name"] = point.name
    address = point.address.strip()
    kind = address_kind(address)
    if kind != "url" or http_link_problem(address) is None:
        node[kind] = address.removeprefix("mailto:") if kind == "email" else address
    if point.languages:
        node["availableLanguage"] = list(point.languages)
    if point.calendar == ALWAYS:
        node["hoursAvailable"] = [spec(day, ("00:00", "24:00")) for day in WEEKDAYS]
    elif point.calendar and (calendar := policy.calendar(point.calendar)) is not None:
        node["hoursAvailable"] = hours(calendar, closed.get(calendar.id, []), today)
    return node


def address_kind(address: str) -> str:
    """Which ``ContactPoint`` property an address is: ``email``, ``telephone`` or ``url``.

    >>> address_kind("help@acme.example"), address_kind("+44 20 7946 0321")
    ('email', 'telephone')
    """
    text = address.strip()
    if "@" in text and not text.startswith(("http://", "https://")):
        return "email"
    return "telephone" if _PHONE.match(text) else "url"


def hours(calendar: Calendar, closed: list[dt.date], today: dt.date) -> list[Node]:
    """The weekly hours (closed days included), then dated holidays and special days
    from ``today`` on."""
    specs = []
    for day in WEEKDAYS:
        intervals = calendar.weekly.get(day, [])
        specs += [spec(day, i) for i in intervals] or [spec(day, None)]
    for date in closed:
        specs.append(dated(date, None))
    for date, intervals in sorted(calendar.special.items()):
        if date < today:
            continue
        specs += [dated(date, i) for i in intervals] or [dated(date, None)]
    return specs


def spec(day: Weekday, interval: tuple[str, str] | None) -> Node:
    """One weekday's opening (or closed day) as an ``OpeningHoursSpecification``."""
    node: Node = {"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA + DAY_NAMES[day]}
    return node | _times(interval)


def dated(date: dt.date, interval: tuple[str, str] | None) -> Node:
    node: Node = {"@type": "OpeningHoursSpecification", "validFrom": date.isoformat(),
                  "validThrough": date.isoformat()}  # fmt: skip
    return node | _times(interval)


def _times(interval: tuple[str, str] | None) -> Node:
    if interval is None:
        return {}
    opens, closes = interval
    if closes == "24:00":
        closes = "23:59:59" if opens == "00:00" else "00:00"
    return {"opens": _time(opens), "closes": _time(closes)}


def _time(hhmm: str) -> str:
    return hhmm if hhmm.count(":") == 2 else f"{hhmm}:00"


def return_policy(returns: Returns) -> Node:
    node: Node = {
        "@type": "MerchantReturnPolicy",
        "@id": f"#{returns.id}",
        "returnPolicyCategory": SCHEMA + (
            "MerchantReturnFiniteReturnWindow" if returns.window_days
            else "MerchantReturnNotPermitted"),
        "returnFees": SCHEMA + RETURN_FEES[returns.fees],
        "refundType": [SCHEMA + kind for kind in REFUND_TYPES[returns.refund.method]],
    }  # fmt: skip
    if returns.window_days:
        # A window in working days is given as its count: fewer days than the calendar
        # span it covers, so a reader never believes in more time than there is.
        node["merchantReturnDays"] = returns.window_days
        node["returnMethod"] = sorted({SCHEMA + RETURN_METHODS[m] for m in returns.methods})
        node["inStoreReturnsOffered"] = "in_store" in returns.methods
        # The fees apply to every reason the policy lists, changing one's mind included.
        node["customerRemorseReturnFees"] = SCHEMA + RETURN_FEES[returns.fees]
    if returns.fees == "restocking_fee" and returns.restocking_fee is not None:
        node["restockingFee"] = round(returns.restocking_fee * 100, 4)  # a percentage
    if returns.countries:
        node["applicableCountry"] = list(returns.countries)
    if returns.return_country:
        node["returnPolicyCountry"] = returns.return_country
    return node


def shipping(policy: Policy, promise: DeliveryPromise) -> Node:
    handling: Node = {"@type": "ServicePeriod", "duration": _days(promise.handling_days)}
    calendar = policy.calendar(promise.calendar) if promise.calendar else None
    if calendar is not None:
        open_days = [SCHEMA + DAY_NAMES[d] for d in WEEKDAYS if calendar.weekly.get(d)]
        handling["businessDays"] = {"@type": "OpeningHoursSpecification", "dayOfWeek": open_days}
    if promise.cutoff:
        handling["cutoffTime"] = _time(promise.cutoff)
    node: Node = {
        "@type": "ShippingService",
        "@id": f"#delivery.{promise.id}",
        "name": f"{promise.region}, {promise.method}",
        "handlingTime": handling,
        "shippingConditions": {
            "@type": "ShippingConditions",
            "shippingDestination": {"@type": "DefinedRegion", "name": promise.region},
            "transitTime": {"@type": "ServicePeriod", "duration": _days(promise.transit_days)},
        },
    }
    if promise.cost:
        node["description"] = promise.cost
    return node


def _days(days: DayRange) -> Node:
    return {"@type": "QuantitativeValue", "minValue": days.min, "maxValue": days.max,
            "unitCode": "DAY"}  # fmt: skip


def script_text(document: Node) -> str:
    """The document as JSON that is safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
