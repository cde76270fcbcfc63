"""Request bodies are bounded: a pure ASGI middleware counts what each request sends.

Every body has a cap (``CHARTER_MAX_BODY_BYTES``); a path can have its own, larger
one (the ticket import takes ``CHARTER_MAX_UPLOAD_BYTES``). Nothing is read ahead:
the middleware only watches what the app itself asks for, so a route that checks
the sign-in first (the import does) answers 401 or 403 without reading a byte.

When the app asks for the body, a ``Content-Length`` over the cap is refused at
once, before anything is received; a body that has no length, or lies about it,
is refused as soon as the bytes received pass the cap, and the chunk that passed
it is never handed on. Either way the app sees :class:`BodyTooLarge` (a 413), which
the error handlers answer with the API's error body or an HTML page.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})


class BodyTooLarge(HTTPException):
    """A request body over its cap; answered 413."""

    def __init__(self, limit: int, setting: str) -> None:
        super().__init__(
            413,
            f"the request body is larger than the {limit:,} bytes this address accepts "
            f"(setting {setting}); send less, e.g. split an export into several uploads",
        )


class BodyLimit:
    """Caps every request body at ``default`` bytes, or at ``paths[path]`` bytes.

    ``setting`` and ``path_setting`` name the settings in the 413 message.
    """

    def __init__(
        self,
        app: ASGIApp,
        default: int,
        paths: Mapping[str, int],
        setting: str = "CHARTER_MAX_BODY_BYTES",
        path_setting: str = "CHARTER_MAX_UPLOAD_BYTES",
    ) -> None:
        self.app = app
        self.default = default
        self.paths = dict(paths)
        self.setting = setting
        self.path_setting = path_setting

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in BODILESS:
            # No route reads a GET's body; its receive is left alone so that a streamed
            # download can still listen for the client going away.
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.paths.get(path, self.default)
        setting = self.path_setting if path in self.paths else self.setting
        await self.app(scope, _bounded(receive, limit, setting, _declared(scope)), send)


def _declared(scope: Scope) -> int | None:
    """The request's ``Content-Length``, or None when it has none (chunked)."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _bounded(receive: Receive, limit: int, setting: str, declared: int | None) -> Receive:
    received = 0

    async def bounded() -> Message:
        nonlocal received
        if declared is not None and declared > limit:
            raise BodyTooLarge(limit, setting)
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit, setting)
        return message

    return bounded
