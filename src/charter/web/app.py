"""The app factory: everything the web app needs comes from ``settings``.

>>> import tempfile, pathlib
>>> from charter.config import Settings
>>> from charter.store import Database
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> Database(f"sqlite:///{folder / 'charter.db'}").upgrade()
>>> app = create_app(Settings(environment="development", data_dir=folder))
>>> app.openapi_url
'/api/openapi.json'
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp

from charter import __version__
from charter.config import Settings
from charter.services.tickets import recover_imports
from charter.store import Database
from charter.web import errors
from charter.web.api import ROUTERS
from charter.web.headers import SecurityHeaders
from charter.web.inputs import refuse_nul
from charter.web.limits import BodyLimit
from charter.web.pages import PAGES
from charter.web.security import SESSION_COOKIE

STATIC = Path(__file__).parent / "static"  # the pages' own stylesheets and scripts


class CharterApp(FastAPI):
    """FastAPI with the security headers outside every other layer.

    ``add_middleware`` would put them inside Starlette's error middleware, which
    answers a 500 straight to the server; wrapped here, the 500 page has them too.
    """

    def build_middleware_stack(self) -> ASGIApp:
        settings: Settings = self.state.settings
        return SecurityHeaders(super().build_middleware_stack(), https=settings.https)


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """The web app for ``settings``; refuses unsafe settings and an un-migrated database."""
    settings.check_safe()
    store = database or Database(settings.resolved_database_url)
    store.check_migrated()
    recover_imports(store)  # runs a killed import left "running" are marked failed

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if database is None:
            store.dispose()

    app = CharterApp(
        title="Charter",
        version=__version__,
        summary="Customer service policy as data: its lifecycle, tickets, KPIs and backtests.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN; none here
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(refuse_nul)],
    )
    app.state.settings = settings
    app.state.database = store
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.cookies_secure,
    )
    app.add_middleware(
        BodyLimit,
        default=settings.max_body_bytes,
        paths={"/api/tickets/import": settings.max_upload_bytes},
    )
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix="/api")
    for page in PAGES:
        app.include_router(page)
    # the stylesheets the exported site and PDF use too are publish's (charter.publish.templating)
    shared: list[str | tuple[str, str]] = [("charter.publish", "static")]
    app.mount("/static", StaticFiles(directory=STATIC, packages=shared), name="static")
    return app
