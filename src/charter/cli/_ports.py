"""The listening socket of ``charter demo`` and ``charter serve``, bound before any work.

Binding first means a port another program holds is reported at once, in words that
name the option to choose another (not uvicorn's raw ``[Errno 98]``), and before the
demo spends a minute seeding. The bound socket is handed to uvicorn, so no other
program can take the port in between.
"""

from __future__ import annotations

import errno
import socket
from typing import Any

from charter.errors import UsageError

TRIED = 20  # ports after a busy one probed for a free one to suggest


def listening_socket(host: str, port: int, *, choose: str) -> socket.socket:
    """A socket bound to ``host:port``, or a :class:`UsageError` that says how to choose
    another port (``choose`` is a format string given ``port=`` a free port to suggest).

    >>> import contextlib
    >>> with contextlib.closing(listening_socket("127.0.0.1", 0, choose="--port")) as s:
    ...     s.getsockname()[1] > 0
    True
    """
    try:
        return _bind(host, port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            free = _free_after(host, port)
            how = choose.format(port=free if free is not None else port + 1)
            raise UsageError(
                f"port {port} on {host} is already in use (another Charter, or another "
                f"program, listens there); choose another: {how}"
            ) from None
        reason = error.strerror or str(error)
        raise UsageError(
            f"cannot listen on {host}:{port} ({reason}); choose another address or port: "
            + choose.format(port=port)
        ) from None


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _free_after(host: str, port: int) -> int | None:
    """The first port after ``port`` that binds now, if one of the next ``TRIED`` does."""
    for candidate in range(port + 1, min(port + 1 + TRIED, 65536)):
        try:
            _bind(host, candidate).close()
        except OSError:
            continue
        return candidate
    return None


def serve_on(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` with uvicorn on the already bound ``sock`` until stopped."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
