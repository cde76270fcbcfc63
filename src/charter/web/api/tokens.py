"""``/api/tokens``: API tokens for integrations, shown once, revocable at once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from charter.services.account_access import visible_tokens
from charter.services.tokens import Token, create_token, revoke_token
from charter.web.deps import CurrentUser, DatabaseDep
from charter.web.schemas.tokens import TokenCreate, TokenCreated, TokenPublic

router = APIRouter(prefix="/tokens", tags=["tokens"])
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The token's id.")]

DENIED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in."},
    403: {"description": "The role or ownership does not allow it."},
}


def _public(token: Token) -> TokenPublic:
    return TokenPublic(**asdict(token))


@router.get("", responses=DENIED)
def read_tokens(
    database: DatabaseDep,
    user: CurrentUser,
    everyone: Annotated[
        bool, Query(alias="all", description="Every account's tokens (admin only).")
    ] = False,
) -> list[TokenPublic]:
    """Your tokens, revoked ones included; an admin may ask for everyone's."""
    return [_public(token) for token in visible_tokens(database, user, everyone=everyone)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        401: DENIED[401],
        422: {"description": "The name is empty or too long."},
    },
)
def create_own_token(
    body: TokenCreate, response: Response, database: DatabaseDep, user: CurrentUser
) -> TokenCreated:
    """A new token for yourself; its secret is in this response only."""
    created = create_token(database, user.id, body.name)
    response.headers["Cache-Control"] = "no-store"
    return TokenCreated(**asdict(created.token), secret=created.secret)


@router.delete(
    "/{token_id}",
    responses={
        401: DENIED[401],
        403: {"description": "Missing or wrong X-CSRF-Token header."},
        404: {
            "description": "No such token, or it is not yours: another account's token "
            "is answered as one that does not exist (an admin may revoke any)."
        },
    },
)
def revoke(token_id: TokenId, database: DatabaseDep, user: CurrentUser) -> TokenPublic:
    """Revoke a token (your own; an admin any); it stops working at once."""
    return _public(revoke_token(database, token_id, user))
