"""Schemas of accounts: what an admin sends to create or change one, and what is shown."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from charter.services.accounts import Role

PASSWORD_LENGTH = 1024  # long passphrases are welcome; megabytes are not


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254, description="Sign-in address; unique.")
    name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str = Field(
        min_length=1, max_length=PASSWORD_LENGTH, description="At least 10 characters."
    )


class UserUpdate(BaseModel):
    """Fields left out (or null) stay as they are.

    Only an admin may change ``role`` and ``active``. Changing one's own password
    needs ``current_password``.
    """

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    role: Role | None = None
    active: bool | None = Field(None, description="false disables the account at once.")
    password: str | None = Field(
        None, min_length=1, max_length=PASSWORD_LENGTH, description="At least 10 characters."
    )
    current_password: str | None = Field(
        None, max_length=PASSWORD_LENGTH, description="Needed to change your own password."
    )


class UserPublic(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None
