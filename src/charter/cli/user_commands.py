"""``charter user`` and ``charter token``: accounts and API tokens from the command line.

Whoever can run these commands on the server's database is trusted as an admin:
this is how the first admin account is made (``charter user add EMAIL --name NAME
--role admin``) and how a locked-out installation is repaired.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from charter import figures
from charter.cli._output import USAGE, Format, err, fail, out, print_json, reporting
from charter.cli._store import opened_store
from charter.services.accounts import (
    Account,
    Principal,
    Role,
    create_user,
    find_user,
    list_users,
    update_user,
)
from charter.services.tokens import Token, create_token, list_tokens, revoke_token

user = typer.Typer(help="Manage accounts: add, list, disable, enable, change roles.")
token = typer.Typer(help="Manage API tokens for integrations: create, list, revoke.")

# The command line acts with an admin's rights; it is no account of its own.
CLI_ACTOR = Principal(id=0, email="", name="command line", role=Role.admin, via="cli")

Email = Annotated[str, typer.Argument(help="The account's e-mail address.", show_default=False)]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def register(app: typer.Typer) -> None:
    app.add_typer(user, name="user", no_args_is_help=True)
    app.add_typer(token, name="token", no_args_is_help=True)


def _interactive() -> bool:
    """Whether a person is at the keyboard to type a password."""
    return sys.stdin.isatty()


def _read_password(password_file: Path | None) -> str:
    if password_file is None:
        if not _interactive():
            fail(
                "no terminal to type a password in: pass --password-file FILE "
                "(or --password-file - to read it from standard input)",
                USAGE,
            )
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    try:
        text = sys.stdin.read() if str(password_file) == "-" else password_file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read the password from {password_file}: {error}", USAGE)
    return text.split("\n", 1)[0].removesuffix("\r")  # the first line, without its end


def _when(moment: dt.datetime | None) -> str:
    return figures.instant(moment)


def _account_json(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "email": account.email,
        "name": account.name,
        "role": account.role.value,
        "active": account.active,
        "created_at": account.created_at.isoformat(),
        "last_login_at": account.last_login_at.isoformat() if account.last_login_at else None,
    }


@user.command("add")
def add(
    email: Email,
    name: Annotated[str, typer.Option("--name", help="The person's name.", show_default=False)],
    role: Annotated[Role, typer.Option("--role", help="What the account may do.")] = Role.agent,
    password_file: Annotated[
        Path | None,
        typer.Option(
            "--password-file",
            help="Read the password from the first line of this file ('-': standard "
            "input). Without it, the password is asked for twice, hidden.",
        ),
    ] = None,
) -> None:
    """Add an account.

    charter user add ada@example.com --name "Ada Lovelace" --role admin
    """
    password = _read_password(password_file)
    with reporting(), opened_store() as database:
        account = create_user(database, email=email, name=name, role=role.value, password=password)
    out.print(f"Added {escape(account.email)} ({account.role.value}), id {account.id}.")


@user.command("list")
def list_command(fmt: FormatOption = Format.text) -> None:
    """List every account, with its role and whether it is active."""
    with reporting(fmt), opened_store() as database:
        accounts = list_users(database)
    if fmt is Format.json:
        print_json([_account_json(account) for account in accounts])
        return
    if not accounts:
        out.print(
            "No accounts yet. Add an admin: `charter user add EMAIL --name NAME --role admin`."
        )
        return
    table = Table(title="Accounts", title_justify="left")
    for heading in ("id", "e-mail", "name", "role", "state", "last sign-in (UTC)"):
        table.add_column(heading, overflow="fold")
    for a in accounts:
        state = "active" if a.active else "disabled"
        row = (str(a.id), a.email, a.name, a.role.value, state, _when(a.last_login_at))
        table.add_row(*(escape(cell) for cell in row))
    out.print(table)


def _change(email: str, **changes: Any) -> Account:
    with reporting(), opened_store() as database:
        changed = update_user(database, find_user(database, email).id, **changes)
    return changed


@user.command("disable")
def disable(email: Email) -> None:
    """Disable an account: its sign-ins and API tokens stop working at once."""
    account = _change(email, active=False)
    out.print(f"Disabled {escape(account.email)}.")


@user.command("enable")
def enable(email: Email) -> None:
    """Enable a disabled account again."""
    account = _change(email, active=True)
    out.print(f"Enabled {escape(account.email)}.")


@user.command("role")
def role_command(
    email: Email,
    role: Annotated[Role, typer.Argument(help="The new role.", show_default=False)],
) -> None:
    """Give an account another role (the last active admin keeps theirs)."""
    account = _change(email, role=role.value)
    out.print(f"{escape(account.email)} is now {account.role.value}.")


@token.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The account the token speaks for.")],
    name: Annotated[str, typer.Argument(help="What uses the token, e.g. 'zendesk sync'.")],
    fmt: FormatOption = Format.text,
) -> None:
    """Create an API token and print its secret, once.

    charter token create ada@example.com "nightly import"
    """
    with reporting(fmt), opened_store() as database:
        owner = find_user(database, email)
        created = create_token(database, owner.id, name)
    err.print(
        f"Token {created.token.id} ({escape(created.token.name)}) for {escape(owner.email)}. "
        "[bold]Copy it now: it is stored only as a hash and will not be shown again.[/bold]"
    )
    if fmt is Format.json:
        print_json({"id": created.token.id, "name": created.token.name, "secret": created.secret})
    else:
        typer.echo(created.secret)


def _token_json(row: Token, owners: dict[int, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "user": owners.get(row.user_id),
        "name": row.name,
        "prefix": row.prefix,
        "created_at": row.created_at.isoformat(),
        "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }


@token.command("list")
def list_token_command(fmt: FormatOption = Format.text) -> None:
    """List every API token (never the secrets), revoked ones included."""
    with reporting(fmt), opened_store() as database:
        tokens = list_tokens(database)
        owners = {account.id: account.email for account in list_users(database)}
    if fmt is Format.json:
        print_json([_token_json(row, owners) for row in tokens])
        return
    if not tokens:
        out.print("No API tokens. Create one with `charter token create EMAIL NAME`.")
        return
    table = Table(title="API tokens", title_justify="left")
    for heading in ("id", "account", "name", "starts with", "created", "last used", "state"):
        table.add_column(heading, overflow="fold")
    for t in tokens:
        state = f"revoked {_when(t.revoked_at)}" if t.revoked_at else "active"
        cells = (str(t.id), owners.get(t.user_id, "?"), t.name, t.prefix, _when(t.created_at))
        table.add_row(*(escape(cell) for cell in (*cells, _when(t.last_used_at), state)))
    out.print(table)


@token.command("revoke")
def revoke(
    token_id: Annotated[
        int, typer.Argument(help="The token's id (charter token list).", min=1, max=2**31 - 1)
    ],
) -> None:
    """Revoke an API token; requests with it are refused at once."""
    with reporting(), opened_store() as database:
        revoked = revoke_token(database, token_id, CLI_ACTOR)
    out.print(f"Revoked token {revoked.id} ({escape(revoked.name)}).")
