"""What every HTML page shares: the templates, who is signed in, and role checks.

Pages are server-rendered with Jinja2 from ``charter/web/templates`` and, for what
the exports render too (the public charter, the handbook document), from publish's
templates, in the environment ``charter.publish.templating`` builds; each extends
``_base.html`` (landmarks, navigation for the signed-in role, the stylesheet served
from ``/static``). A staff page declares who may see it with ``staff_page(...)``:
an anonymous visitor is sent to the sign-in form and back, someone without the
role gets a 403 page saying who may.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from charter.errors import Forbidden
from charter.publish.templating import environment
from charter.services.accounts import Principal, Role
from charter.services.landing import site_name
from charter.web.deps import DatabaseDep
from charter.web.security import csrf_token, session_principal

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(
    env=environment(jinja2.FileSystemLoader(TEMPLATES), layout="_base.html")
)
STAFF = (Role.admin, Role.manager, Role.agent)
MANAGERS = (Role.admin, Role.manager)


class SignInNeeded(Exception):
    """A staff page was asked for without a sign-in; answered with a redirect."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path

    @property
    def location(self) -> str:
        return f"/login?next={quote(self.path, safe='/')}"


def signed_in(request: Request, database: DatabaseDep) -> Principal | None:
    """Whoever the session cookie names, if anyone (pages take no API tokens)."""
    return session_principal(request, database)


def staff_page(*roles: Role) -> Callable[..., Principal]:
    """A dependency for a page only ``roles`` may see."""
    allowed = roles or STAFF

    def check(request: Request, database: DatabaseDep) -> Principal:
        who = signed_in(request, database)
        if who is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInNeeded(target)
        if who.role not in allowed:
            names = " or ".join(r.value for r in allowed)
            raise Forbidden(f"this page is for {names} accounts; you are signed in as "
                            f"{who.role.value}")  # fmt: skip
        return who

    return check


def page_user(*roles: Role) -> Any:
    """``Depends`` on ``staff_page(*roles)``, for a route's signature."""
    return Depends(staff_page(*roles))


# The signed-in account of a page any staff may see, or only admins and managers.
StaffUser = Annotated[Principal, Depends(staff_page())]
ManagerUser = Annotated[Principal, Depends(staff_page(*MANAGERS))]


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    user: Principal | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Template ``name`` with ``context``, plus what ``_base.html`` needs."""
    shared = {"user": user, "csrf_token": csrf_token(request) if user else "",
              "path": request.url.path,
              "brand": site_name(request.app.state.database)}  # fmt: skip
    return templates.TemplateResponse(
        request, name, {**shared, **context}, status_code=status, headers=headers
    )
