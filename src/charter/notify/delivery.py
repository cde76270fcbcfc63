"""What one delivery attempt came to: delivered, or failed with the reason.

A failure says whether trying again may help (``retry``): a refused connection, a
time-out, an SMTP ``4xx`` reply or an HTTP ``408``, ``429`` or ``5xx`` answer may pass
on a later try; a refused login, an SMTP ``5xx`` reply or another HTTP ``4xx`` answer
will not until someone changes the settings or the receiver, so the outbox sends such
a message to the dead-letter list at once. ``retry_after`` carries a receiver's
``Retry-After`` in seconds, when it gave one.

>>> Delivery.ok("250 queued").delivered
True
>>> failed = Delivery.failed("HTTP 503 Service Unavailable", status=503, retry=True)
>>> failed.delivered, failed.retry, str(failed)
(False, True, 'failed: HTTP 503 Service Unavailable')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Delivery:
    """The outcome of one attempt to deliver one message."""

    delivered: bool
    reason: str  # the receiver's reply, or the error, in words
    status: int | None = None  # the SMTP reply code or HTTP status, when there was one
    retry: bool = False  # a failure a later try may get past
    retry_after: float | None = None  # seconds the receiver asked us to wait

    @classmethod
    def ok(cls, reason: str, status: int | None = None) -> Delivery:
        """A delivered message and what the receiver answered."""
        return cls(True, reason, status)

    @classmethod
    def failed(
        cls,
        reason: str,
        *,
        status: int | None = None,
        retry: bool,
        retry_after: float | None = None,
    ) -> Delivery:
        """A failed attempt: why, and whether a later try may get past it."""
        return cls(False, reason, status, retry, retry_after)

    def __str__(self) -> str:
        return f"{'delivered' if self.delivered else 'failed'}: {self.reason}"
