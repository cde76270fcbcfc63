"""One error body for every error the web app returns.

    {"error": {"status": 404, "code": "not_found", "message": "...", "details": [...]}}

Charter's own errors map to statuses here (and only here); validation errors
list each bad field; anything unexpected is a plain 500 without internals. Outside
``/api`` the same errors are answered as an HTML page (``error.html``) with the
same status and message, and a staff page asked for without a sign-in redirects
to the sign-in form.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from charter.errors import (
    AuthError,
    CalendarError,
    CharterError,
    ConfigError,
    Conflict,
    Forbidden,
    HelpdeskError,
    InvalidInput,
    NotFound,
    NotMigrated,
    PolicyError,
    RateLimited,
    StoreError,
    TooManyRequests,
    UsageError,
)
from charter.excerpt import excerpt
from charter.web.rendering import SignInNeeded, render, signed_in

log = logging.getLogger("charter.web")
HEADINGS = {400: "Bad request", 401: "Sign-in needed", 403: "Not for this account",
            404: "Not found", 405: "Not allowed", 409: "Not possible now",
            422: "Something to fix", 429: "Too many attempts", 500: "Something went wrong",
            502: "The helpdesk did not answer", 503: "Unavailable"}  # fmt: skip

STATUS: list[tuple[type[CharterError], int, str]] = [
    (RateLimited, 429, "rate_limited"),
    (TooManyRequests, 429, "rate_limited"),
    (AuthError, 401, "unauthenticated"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (PolicyError, 422, "invalid_policy"),
    (InvalidInput, 422, "invalid_input"),
    (CalendarError, 422, "invalid_calendar"),
    (UsageError, 400, "bad_request"),
    (HelpdeskError, 502, "helpdesk_unavailable"),
    (ConfigError, 503, "not_configured"),
    (NotMigrated, 503, "not_migrated"),
    (StoreError, 503, "store_unavailable"),
]
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}


def error_body(status: int, code: str, message: str, details: list[Any] | None = None) -> Any:
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def error_response(
    status: int, code: str, message: str, details: list[Any] | None = None, **headers: str
) -> JSONResponse:
    body = jsonable_encoder(error_body(status, code, message, details))
    return JSONResponse(body, status_code=status, headers=headers or None)


def _answer(
    request: Request, status: int, code: str, message: str, details: list[Any] | None = None,
    **headers: str,
) -> Response:  # fmt: skip
    """The JSON error body under ``/api``; an HTML page with the same message elsewhere."""
    if request.url.path == "/api" or request.url.path.startswith("/api/"):
        return error_response(status, code, message, details, **headers)
    try:
        user = signed_in(request, request.app.state.database)
    except Exception:  # the database may be what failed; the page still renders
        user = None
    context = {"heading": HEADINGS.get(status, "Error"), "message": message}
    return render(request, "error.html", context, user=user, status=status, headers=headers)


def _sign_in(_request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInNeeded)
    return RedirectResponse(error.location, status_code=303)


def status_and_code(error: CharterError) -> tuple[int, str]:
    """The HTTP status and error code ``error`` is answered with, from ``STATUS``: the
    one table the API and the pages share."""
    return next(((s, c) for kind, s, c in STATUS if isinstance(error, kind)), (400, "bad_request"))


def status_of(error: CharterError) -> int:
    return status_and_code(error)[0]


def _charter(request: Request, error: Exception) -> Response:
    assert isinstance(error, CharterError)
    status, code = status_and_code(error)
    details: list[Any] = []
    if isinstance(error, PolicyError):
        details = [d.to_json() for d in error.diagnostics]
        message = str(error).splitlines()[0]
    else:
        message = str(error)
        details = list(getattr(error, "details", []))
    headers = (
        {"Retry-After": str(error.retry_after)}
        if isinstance(error, RateLimited | TooManyRequests)
        else {}
    )
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return _answer(request, status, code, message, details, **headers)


def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    code = CODES.get(error.status_code, "error")
    headers = dict(error.headers or {})
    return _answer(request, error.status_code, code, str(error.detail), None, **headers)


def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    details = [
        {
            "field": excerpt(".".join(str(part) for part in e["loc"])),
            "problem": excerpt(e["msg"], 200),
        }
        for e in error.errors()
    ]
    where = "; ".join(f"{d['field']}: {d['problem']}" for d in details[:5])
    return _answer(request, 422, "invalid_input", f"the request is not valid: {where}", details)


def _unexpected(request: Request, error: Exception) -> Response:
    log.exception("unexpected error", exc_info=error)
    return _answer(request, 500, "internal_error", "internal error; it has been logged")


def install(app: FastAPI) -> None:
    document(app)
    app.add_exception_handler(SignInNeeded, _sign_in)
    app.add_exception_handler(CharterError, _charter)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(Exception, _unexpected)


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list[Any]


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def document(app: FastAPI) -> None:
    """Make the OpenAPI schema say what errors really look like: ``ErrorBody``.

    FastAPI documents its own validation-error shape for 422; Charter answers every
    4xx and 5xx with one body instead, so the schema is rewritten to match.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        models = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(models.pop("$defs", {}))
        components["ErrorBody"] = models
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    if code[:1] in ("4", "5"):
                        response["content"] = reference
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
