"""Schemas of the sign-in session: credentials in, the user and a CSRF token out."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from charter.services.accounts import Role
from charter.web.schemas.users import PASSWORD_LENGTH


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=PASSWORD_LENGTH)


class PrincipalPublic(BaseModel):
    """Who is signed in, and how: a session cookie or an API token."""

    id: int
    email: str
    name: str
    role: Role
    via: Literal["session", "token", "cli"]


class SessionPublic(BaseModel):
    user: PrincipalPublic
    csrf_token: str | None = Field(
        description="Send it as the X-CSRF-Token header on every POST, PATCH, PUT and "
        "DELETE made with the session cookie. null when signed in with an API token, "
        "which needs none."
    )


class SignInsEnded(BaseModel):
    ended: int = Field(description="How many other live sign-ins of the account were ended.")
