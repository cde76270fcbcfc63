"""GET with retries: a 429 waits its ``Retry-After``, a 5xx answer or a lost
connection waits ``backoff`` seconds, then twice that, and so on, for ``tries``
tries in all; after the last, a :class:`~charter.errors.HelpdeskError` says what
kept failing. A 401 or 403 is not retried: it names the settings to check.
A :class:`Fetcher` may be shared by threads (its client is; its count is locked).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx

from charter.errors import HelpdeskError
from charter.excerpt import excerpt

Sleep = Callable[[float], None]
RETRIED = frozenset({429, 500, 502, 503, 504})
LONGEST_WAIT = 300.0  # seconds; a Retry-After beyond this is waited only this long


@dataclass
class Fetcher:
    """Reads JSON from one helpdesk's API, retrying what is worth retrying.

    ``vendor`` names the helpdesk and ``credentials`` the settings a refusal points
    to, so that every error says what to fix.
    """

    client: httpx.Client
    vendor: str
    credentials: str
    tries: int = 5
    backoff: float = 1.0
    sleep: Sleep = time.sleep
    requests: int = field(default=0, init=False)
    _count: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def get(
        self, url: str, params: dict[str, str] | None = None, *, absent: Collection[int] = (404,)
    ) -> Any:
        """The JSON body of ``GET url``; None for an ``absent`` status (by default 404: the
        record is gone; a caller that can do without the answer adds 403)."""
        failure = ""
        for attempt in range(self.tries):
            response, failure = self._try(url, params)
            if response is not None and response.status_code in absent:
                return None
            if response is not None and response.status_code not in RETRIED:
                return self._body(response, url)
            if attempt + 1 < self.tries:
                self.sleep(self._wait(response, attempt))
        raise HelpdeskError(
            f"{self.vendor} kept failing on GET {_path(url)}: {failure} ({self.tries} tries, "
            "the last one just now); try again later, or raise CHARTER_SYNC_TRIES"
        )

    def _try(self, url: str, params: dict[str, str] | None) -> tuple[httpx.Response | None, str]:
        with self._count:
            self.requests += 1
        try:
            response = self.client.get(url, params=params)
        except httpx.TransportError as error:
            return None, f"no answer ({type(error).__name__}: {excerpt(str(error), 120)})"
        return response, f"it answered {response.status_code}"

    def _wait(self, response: httpx.Response | None, attempt: int) -> float:
        if response is not None and response.status_code == 429:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                return min(asked, LONGEST_WAIT)
        return float(min(self.backoff * 2**attempt, LONGEST_WAIT))

    def _body(self, response: httpx.Response, url: str) -> Any:
        status = response.status_code
        if status in (401, 403):
            raise HelpdeskError(
                f"{self.vendor} refused the credentials ({status} on GET {_path(url)}); "
                f"check {self.credentials}"
            )
        if status >= 400:
            raise HelpdeskError(
                f"{self.vendor} refused GET {_path(url)} with {status}: "
                f"{excerpt(response.text.strip(), 200)}"
            )
        try:
            return response.json()
        except ValueError:
            raise HelpdeskError(
                f"{self.vendor} answered GET {_path(url)} with something that is not JSON: "
                f"{excerpt(response.text.strip(), 120)}"
            ) from None


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` in seconds (only the delta-seconds form the helpdesks send)."""
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _path(url: str) -> str:
    return httpx.URL(url).path
