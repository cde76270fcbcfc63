"""Raw ASGI uploads: a ``receive`` that counts the bytes the app pulls, so a test can
tell "refused having read nothing" from "read it all, then refused"."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

BOUNDARY = "charter-test-boundary"
PART = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="source"\r\n\r\ncsv\r\n'
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="t.csv"\r\n'
    "Content-Type: text/csv\r\n\r\n"
).encode()
CHUNK = 64 * 1024


@dataclass
class Answer:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    pulled: int = 0  # body bytes the app asked for


def call(app: FastAPI, path: str, headers: dict[str, str], chunks: Iterator[bytes]) -> Answer:
    """POST ``chunks`` to ``path`` as a raw ASGI request; what came back and what was read."""
    answer = Answer()
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "headers": raw, "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80), "app": app,
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        answer.pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return answer


def upload_chunks(total: int) -> Iterator[bytes]:
    """A multipart import whose file part runs to ``total`` bytes, a chunk at a time."""
    yield PART
    sent = len(PART)
    while sent < total:
        chunk = b"x" * min(CHUNK, total - sent)
        sent += len(chunk)
        yield chunk


def multipart(length: int | None = None, **extra: str) -> dict[str, str]:
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}", **extra}
    if length is not None:
        headers["content-length"] = str(length)
    return headers
