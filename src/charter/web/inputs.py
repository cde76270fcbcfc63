"""No request carries the NUL character into the app: it is refused where it was sent.

PostgreSQL's text cannot hold NUL (``\\x00``), so a key, name or search with one in it
would end as a database error (a 500) on PostgreSQL, and as a stored oddity on SQLite.
This dependency, run before every route, answers 422 naming the place instead: the
path, the query parameter, or the JSON body's field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

NUL = "\x00"
PROBLEM = "must not contain the NUL character (\\x00)"


async def refuse_nul(request: Request) -> None:
    """Refuse a request whose path, query or JSON body holds NUL, naming where."""
    places: list[tuple[str | int, ...]] = []
    if NUL in request.url.path:
        places.append(("path",))
    places += [("query", name) for name, value in request.query_params.multi_items()
               if NUL in name or NUL in value]  # fmt: skip
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()  # bounded by BodyLimit; FastAPI keeps it for the route
        if b"\\u0000" in body:
            places += [("body", *where) for where in _nul_fields(body)]
    if places:
        raise RequestValidationError(
            [{"loc": place, "msg": PROBLEM, "type": "value_error"} for place in places]
        )


def _nul_fields(body: bytes) -> list[tuple[str | int, ...]]:
    try:
        document = json.loads(body)
    except ValueError:
        return []  # not JSON: the route's own parsing says so
    return list(_walk(document, ()))


def _walk(value: Any, where: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if NUL in value:
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*where, key)
            yield from _walk(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*where, index))
