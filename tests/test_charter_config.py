"""Settings come from CHARTER_* variables when asked, and unsafe ones refuse to start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from charter.cli.app import app as cli
from charter.config import Environment, Settings, load_settings
from charter.errors import ConfigError, NotMigrated
from charter.reference.settings import render
from charter.store import Database
from charter.web.app import create_app
from support.web import SECRET

DOC = Path(__file__).parent.parent / "docs" / "configuration.md"


def test_settings_are_read_from_charter_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTER_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("CHARTER_LOGIN_ATTEMPTS", "9")
    settings = load_settings()
    assert settings.resolved_database_url == "sqlite:///elsewhere.db"
    assert settings.login_attempts == 9


def test_the_default_database_is_an_sqlite_file_in_the_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    monkeypatch.setenv("CHARTER_DATA_DIR", str(tmp_path))
    assert load_settings().resolved_database_url == f"sqlite:///{tmp_path / 'charter.db'}"


@pytest.mark.parametrize(
    "variable, value, named",
    [
        ("CHARTER_LOGIN_ATTEMPTS", "many", "CHARTER_LOGIN_ATTEMPTS"),
        ("CHARTER_PORT", "70000", "CHARTER_PORT"),
        ("CHARTER_ENVIRONMENT", "staging", "CHARTER_ENVIRONMENT"),
    ],
)
def test_a_bad_variable_is_named_in_the_error(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=named):
        load_settings()


@pytest.mark.parametrize("environment", [Environment.production, Environment.test])
@pytest.mark.parametrize("secret", [None, "short"])
def test_outside_development_a_default_or_short_secret_refuses(
    environment: Environment, secret: str | None
) -> None:
    values = {"environment": environment} | ({"secret_key": secret} if secret else {})
    with pytest.raises(ConfigError, match="CHARTER_SECRET_KEY"):
        Settings(**values).check_safe()  # type: ignore[arg-type]


def test_development_accepts_the_default_secret() -> None:
    Settings(environment=Environment.development).check_safe()


def test_the_app_refuses_unsafe_settings_before_touching_the_database(tmp_path: Path) -> None:
    settings = Settings(environment=Environment.production, data_dir=tmp_path)
    with pytest.raises(ConfigError):
        create_app(settings)
    assert not (tmp_path / "charter.db").exists()


def test_the_app_refuses_an_unmigrated_database_and_names_the_fix(tmp_path: Path) -> None:
    settings = Settings(environment=Environment.test, secret_key=SECRET, data_dir=tmp_path)
    with pytest.raises(NotMigrated, match="charter db upgrade"):
        create_app(settings)


def test_serve_on_an_unmigrated_database_says_what_to_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHARTER_ENVIRONMENT", "development")
    monkeypatch.setenv("CHARTER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1, result.output
    assert "charter db upgrade" in result.output
    assert "Traceback" not in result.output


def test_serve_without_a_secret_in_production_refuses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHARTER_ENVIRONMENT", "production")
    monkeypatch.delenv("CHARTER_SECRET_KEY", raising=False)
    monkeypatch.setenv("CHARTER_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert "CHARTER_SECRET_KEY" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_runs_the_app_with_uvicorn(tmp_path: Path) -> None:
    Database(f"sqlite:///{tmp_path / 'charter.db'}").upgrade()
    port = _free_port()
    env = os.environ | {
        "CHARTER_ENVIRONMENT": "production",
        "CHARTER_SECRET_KEY": SECRET,
        "CHARTER_DATA_DIR": str(tmp_path),
    }
    env.pop("CHARTER_DATABASE_URL", None)
    command = [sys.executable, "-m", "charter.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        body = None
        for _ in range(100):
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert body is not None, "the server did not answer"
        assert body["status"] == "ok"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_committed_configuration_reference_lists_every_setting() -> None:
    assert DOC.read_text("utf-8") == render(), "docs/configuration.md is stale: run `make docs`"
    for name in Settings.model_fields:
        assert f"`CHARTER_{name.upper()}`" in render()
