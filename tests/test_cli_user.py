"""``charter user`` and ``charter token`` on the test databases, through CliRunner."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from argon2 import PasswordHasher
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from charter.cli import user_commands
from charter.errors import AuthError
from charter.services import _passwords
from charter.services.signin import sign_in
from charter.services.tokens import principal_for_token
from charter.store import Database
from charter.store.models import ApiToken
from support.web import PASSWORD, make_user

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    user_commands.register(app)
    return app


APP = _app()


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost: the rules under test do not depend on the cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(_passwords, "_hasher", cheap)


@pytest.fixture
def charter(database_url: str) -> Any:
    """Run a command against the test database, as `charter ARGS` would."""

    def run(*args: str, stdin: str | None = None) -> Result:
        env = {"CHARTER_DATABASE_URL": database_url}
        return runner.invoke(APP, list(args), env=env, input=stdin)

    return run


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def accounts(charter: Any) -> dict[str, dict[str, Any]]:
    result = charter("user", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["email"]: row for row in json.loads(result.stdout)}


def assert_clean_failure(result: Result, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_account_added_with_a_password_file_can_sign_in(
    charter: Any, database: Database, password_file: Path
) -> None:
    args = ["Ada@Example.com", "--name", "Ada", "--role", "admin"]
    result = charter("user", "add", *args, "--password-file", str(password_file))
    assert result.exit_code == 0, result.output
    assert "ada@example.com" in result.stdout
    listed = accounts(charter)["ada@example.com"]
    assert (listed["name"], listed["role"], listed["active"]) == ("Ada", "admin", True)
    assert sign_in(database, "ada@example.com", PASSWORD, address="192.0.2.1").role == "admin"


def test_the_password_can_come_from_standard_input(charter: Any, database: Database) -> None:
    args = ["bo@example.com", "--name", "Bo", "--password-file", "-"]
    result = charter("user", "add", *args, stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert sign_in(database, "bo@example.com", PASSWORD, address="192.0.2.2").role == "agent"


def test_without_a_terminal_or_a_password_file_add_refuses(charter: Any) -> None:
    result = charter("user", "add", "bo@example.com", "--name", "Bo")
    assert_clean_failure(result, 2, "--password-file")
    assert "bo@example.com" not in accounts(charter)


def test_at_a_terminal_the_password_is_asked_twice(
    charter: Any, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(user_commands, "_interactive", lambda: True)
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    result = charter("user", "add", "cy@example.com", "--name", "Cy", stdin=typed)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert sign_in(database, "cy@example.com", PASSWORD, address="192.0.2.3").role == "agent"


@pytest.mark.parametrize(
    "email, extra, code, message",
    [
        ("bo@example.com", ["--role", "owner"], 2, "Invalid value for '--role'"),
        ("not-an-address", [], 1, "not an e-mail address"),
        ("bo@example.com", ["--name", " "], 1, "name: must not be empty"),
    ],
)
def test_a_bad_account_is_refused_with_a_clear_message(
    charter: Any, password_file: Path, email: str, extra: list[str], code: int, message: str
) -> None:
    args = ["user", "add", email, "--name", "Bo", "--password-file", str(password_file)]
    assert_clean_failure(charter(*args, *extra), code, message)
    assert accounts(charter) == {}


def test_a_short_password_is_refused(charter: Any, tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("tiny\n", encoding="utf-8")
    result = charter("user", "add", "bo@example.com", "--name", "Bo", "--password-file", str(short))
    assert_clean_failure(result, 1, "too short")


def test_an_existing_e_mail_is_refused(
    charter: Any, database: Database, password_file: Path
) -> None:
    make_user(database, "agent", email="bo@example.com")
    result = charter(
        "user", "add", "BO@example.com", "--name", "Bo", "--password-file", str(password_file)
    )
    assert_clean_failure(result, 1, "already exists")


def test_disable_and_enable_switch_sign_in_off_and_on(charter: Any, database: Database) -> None:
    make_user(database, "admin")
    bo = make_user(database, "agent")
    assert charter("user", "disable", bo.email).exit_code == 0
    assert accounts(charter)[bo.email]["active"] is False
    with pytest.raises(AuthError):
        sign_in(database, bo.email, PASSWORD, address="192.0.2.4")
    assert charter("user", "enable", bo.email).exit_code == 0
    assert sign_in(database, bo.email, PASSWORD, address="192.0.2.5").id == bo.id


def test_role_changes_an_accounts_role(charter: Any, database: Database) -> None:
    bo = make_user(database, "agent")
    result = charter("user", "role", bo.email, "manager")
    assert result.exit_code == 0, result.output
    assert accounts(charter)[bo.email]["role"] == "manager"
    assert_clean_failure(charter("user", "role", bo.email, "owner"), 2, "Invalid value")


@pytest.mark.parametrize("command", [["disable"], ["enable"], ["role"]])
def test_an_unknown_account_is_a_clear_error(charter: Any, command: list[str]) -> None:
    args = [*command, "nobody@example.com", *(["agent"] if command == ["role"] else [])]
    assert_clean_failure(charter("user", *args), 1, "no account for 'nobody@example.com'")


@pytest.mark.parametrize("command", [["disable"], ["role", "agent"]])
def test_the_last_admin_is_kept(charter: Any, database: Database, command: list[str]) -> None:
    admin = make_user(database, "admin")
    result = charter("user", command[0], admin.email, *command[1:])
    assert_clean_failure(result, 1, "last active admin")
    assert accounts(charter)[admin.email]["role"] == "admin"


def test_user_list_on_an_unmigrated_database_says_to_upgrade(tmp_path: Path) -> None:
    env = {"CHARTER_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    result = runner.invoke(APP, ["user", "list"], env=env)
    assert_clean_failure(result, 1, "charter db upgrade")


def test_a_token_secret_is_printed_once_with_a_warning(charter: Any, database: Database) -> None:
    bo = make_user(database, "agent")
    result = charter("token", "create", bo.email, "nightly import")
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert "\n" not in secret and secret.startswith("chr_")
    assert "not be shown again" in result.stderr
    assert principal_for_token(database, secret).id == bo.id
    with database.reading() as session:
        stored = session.scalars(select(ApiToken.token_hash)).one()
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    listed = charter("token", "list", "--format", "json")
    assert secret not in listed.output
    assert [(t["user"], t["name"]) for t in json.loads(listed.stdout)] == [
        (bo.email, "nightly import")
    ]


def test_a_revoked_token_is_refused(charter: Any, database: Database) -> None:
    bo = make_user(database, "agent")
    secret = charter("token", "create", bo.email, "ci").stdout.strip()
    token_id = json.loads(charter("token", "list", "-f", "json").stdout)[0]["id"]
    result = charter("token", "revoke", str(token_id))
    assert result.exit_code == 0, result.output
    with pytest.raises(AuthError):
        principal_for_token(database, secret)
    assert json.loads(charter("token", "list", "-f", "json").stdout)[0]["revoked_at"]


@pytest.mark.parametrize(
    "token_id, code, message", [("4000", 1, "no API token with id 4000"), ("abc", 2, "Invalid")]
)
def test_revoking_a_missing_token_is_a_clear_error(
    charter: Any, token_id: str, code: int, message: str
) -> None:
    assert_clean_failure(charter("token", "revoke", token_id), code, message)
