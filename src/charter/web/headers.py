"""Security headers on every response: pages, API, static files and error pages.

``SecurityHeaders`` is a pure ASGI middleware: it adds the headers to the
``http.response.start`` message and leaves the body alone, so streamed answers and
the public page's in-memory fast path pass through untouched. The app installs it
outside Starlette's error middleware (see ``charter.web.app``), so even a 500 page
carries the headers. Headers a route set itself are replaced: one policy for all.

- ``Content-Security-Policy``: scripts, styles, images, fonts and requests only from
  this site; nothing inline (no ``<script>`` or ``<style>`` blocks, no ``style=``;
  the JSON-LD block is data, not script); no plugins, no ``<base>``; forms post
  only here; no site may frame a page.
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``.
- ``X-Content-Type-Options: nosniff``: a file is what its type says.
- ``Referrer-Policy: same-origin``: the full address is sent only to this site;
  links out (the business's website) get nothing, so a staff address such as a
  ticket or a search never leaves it.
- ``Strict-Transport-Security`` only with the ``https`` setting: a browser would
  refuse plain HTTP to the host for a year.

>>> dict(security_headers(https=True))["Strict-Transport-Security"]
'max-age=31536000; includeSubDomains'
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",  # scripts, styles, images, fonts, fetches: this site only
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(*, https: bool) -> list[tuple[str, str]]:
    """The headers every response carries; HSTS only when the site is served over HTTPS."""
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    return headers + ([("Strict-Transport-Security", HSTS)] if https else [])


class SecurityHeaders:
    """Adds ``security_headers`` to every HTTP response of ``app``."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        pairs = security_headers(https=https)
        self.raw = [(name.lower().encode(), value.encode()) for name, value in pairs]
        self.names = {name for name, _ in self.raw}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [h for h in message.get("headers", []) if h[0].lower() not in self.names]
                message["headers"] = kept + self.raw
            await send(message)

        await self.app(scope, receive, send_with_headers)
