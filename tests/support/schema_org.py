"""The part of schema.org's vocabulary the public page uses, written out from schema.org's
type pages, and a checker that walks a JSON-LD document against it."""

from __future__ import annotations

import re
from typing import Any

SCHEMA = "https://schema.org/"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ENUMERATIONS = {
    "DayOfWeek": {*DAYS, "PublicHolidays"},
    "MerchantReturnEnumeration": {"MerchantReturnFiniteReturnWindow", "MerchantReturnNotPermitted",
                                  "MerchantReturnUnlimitedWindow", "MerchantReturnUnspecified"},
    "ReturnMethodEnumeration": {"ReturnAtKiosk", "ReturnByMail", "ReturnInStore"},
    "ReturnFeesEnumeration": {"FreeReturn", "OriginalShippingFees", "RestockingFees",
                              "ReturnFeesCustomerResponsibility", "ReturnShippingFees"},
    "RefundTypeEnumeration": {"ExchangeRefund", "FullRefund", "StoreCreditRefund"},
}  # fmt: skip
THING = {"name": ["Text"], "description": ["Text"], "url": ["URL"]}
# type -> property -> expected types (schema.org "Values expected to be one of these types")
VOCABULARY: dict[str, dict[str, list[str]]] = {
    "Organization": {**THING, "contactPoint": ["ContactPoint"],
                     "hasMerchantReturnPolicy": ["MerchantReturnPolicy"],
                     "hasShippingService": ["ShippingService"]},
    "ContactPoint": {**THING, "contactType": ["Text"], "telephone": ["Text"], "email": ["Text"],
                     "availableLanguage": ["Language", "Text"],
                     "hoursAvailable": ["OpeningHoursSpecification"], "areaServed": ["Text"]},
    "OpeningHoursSpecification": {**THING, "dayOfWeek": ["DayOfWeek"], "opens": ["Time"],
                                  "closes": ["Time"], "validFrom": ["Date", "DateTime"],
                                  "validThrough": ["Date", "DateTime"]},
    "MerchantReturnPolicy": {**THING, "returnPolicyCategory": ["MerchantReturnEnumeration"],
                             "merchantReturnDays": ["Integer", "Date", "DateTime"],
                             "returnMethod": ["ReturnMethodEnumeration"],
                             "returnFees": ["ReturnFeesEnumeration"],
                             "refundType": ["RefundTypeEnumeration"],
                             "restockingFee": ["Number", "MonetaryAmount"],
                             "customerRemorseReturnFees": ["ReturnFeesEnumeration"],
                             "inStoreReturnsOffered": ["Boolean"],
                             "applicableCountry": ["Country", "Text"],
                             "returnPolicyCountry": ["Country", "Text"]},
    "ShippingService": {**THING, "handlingTime": ["ServicePeriod", "QuantitativeValue"],
                        "shippingConditions": ["ShippingConditions"]},
    "ShippingConditions": {**THING, "shippingDestination": ["DefinedRegion"],
                           "transitTime": ["ServicePeriod", "QuantitativeValue"]},
    "ServicePeriod": {**THING, "duration": ["QuantitativeValue", "Duration"],
                      "businessDays": ["OpeningHoursSpecification", "DayOfWeek"],
                      "cutoffTime": ["Time"]},
    "DefinedRegion": {**THING, "addressCountry": ["Text"]},
    "QuantitativeValue": {**THING, "minValue": ["Number"], "maxValue": ["Number"],
                          "unitCode": ["Text", "URL"]},
}  # fmt: skip
LITERALS = {
    "Text": lambda v: isinstance(v, str) and v != "",
    "URL": lambda v: isinstance(v, str) and re.match(r"^https?://\S+$", v) is not None,
    "Time": lambda v: isinstance(v, str) and re.match(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$", v),
    "Date": lambda v: isinstance(v, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", v) is not None,
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "Boolean": lambda v: isinstance(v, bool),
}


def problems(node: Any, expected: list[str], where: str = "$") -> list[str]:
    """Every place where ``node`` is not one of the ``expected`` schema.org types."""
    if isinstance(node, dict):
        kind = node.get("@type")
        if kind not in expected or kind not in VOCABULARY:
            return [f"{where}: @type {kind!r} where {expected} is expected"]
        found = []
        for key, value in node.items():
            if key in ("@context", "@type", "@id"):
                continue
            allowed = VOCABULARY[kind].get(key)
            if allowed is None:
                found.append(f"{where}.{key}: not a property of {kind}")
                continue
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                found += problems(item, allowed, f"{where}.{key}[{i}]")
        return found
    for name in expected:
        members = ENUMERATIONS.get(name)
        if members and isinstance(node, str) and node.removeprefix(SCHEMA) in members:
            return []
        check = LITERALS.get(name)
        if check is not None and check(node):
            return []
    return [f"{where}: {node!r} is none of {expected}"]


def weekly_hours(specs: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """Read weekday specifications back into ``HH:MM`` intervals per day, as schema.org
    defines them: no ``opens`` is closed, ``closes`` before ``opens`` runs past midnight,
    ``23:59:59`` after ``00:00`` is the whole day."""
    days: dict[str, list[tuple[str, str]]] = {}
    for spec in specs:
        if "dayOfWeek" not in spec:
            continue
        day = days.setdefault(spec["dayOfWeek"].removeprefix(SCHEMA), [])
        if "opens" not in spec:
            continue
        opens, closes = spec["opens"][:5], spec["closes"]
        if closes == "23:59:59" and opens == "00:00" or closes == "00:00:00":
            day.append((opens, "24:00"))
        else:
            day.append((opens, closes[:5]))
    return days
