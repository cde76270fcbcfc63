"""Schemas of API tokens: the secret appears in ``TokenCreated`` once, and never again."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="What uses the token.")


class TokenPublic(BaseModel):
    id: int
    user_id: int = Field(description="The account the token speaks for.")
    name: str
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None = Field(description="Updated at most once a minute.")
    revoked_at: dt.datetime | None


class TokenCreated(TokenPublic):
    secret: str = Field(
        description="Send as 'Authorization: Bearer <secret>'. Shown this once: it is "
        "stored only as a hash and cannot be shown again."
    )
