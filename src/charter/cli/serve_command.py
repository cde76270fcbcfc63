"""``charter serve``: run the web app with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from charter.cli._output import err, reporting
from charter.cli._ports import listening_socket, serve_on
from charter.cli._store import settings as load
from charter.web.app import create_app


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default CHARTER_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default CHARTER_PORT).")
    ] = None,
) -> None:
    """Serve the web app and the JSON API (/api, schema at /api/openapi.json).

    charter serve --port 8000

    Refuses to start on a database that needs `charter db upgrade`, and outside
    CHARTER_ENVIRONMENT=development without a real CHARTER_SECRET_KEY.
    """
    with reporting():
        settings = load()
        app = create_app(settings)
        address, chosen = host or settings.host, port or settings.port
        sock = listening_socket(address, chosen, choose="--port {port} (or CHARTER_PORT)")
    err.print(f"Charter is serving on http://{address}:{chosen}/ (Ctrl+C stops it)")
    serve_on(app, sock)
