"""The ``CHARTER_SMTP_*`` settings become the SMTP delivery's settings, and a setting
that cannot work is refused naming it."""

from __future__ import annotations

import pytest

from charter.config import load_settings
from charter.errors import ConfigError
from charter.notify import TlsMode, smtp_settings


def test_without_a_host_no_email_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHARTER_SMTP_HOST", raising=False)
    assert smtp_settings(load_settings()) is None


def test_the_smtp_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"HOST": "mail.acme.example", "TLS": "tls", "USER": "charter",
                        "PASSWORD": "s3cret", "FROM_ADDRESS": "Charter <charter@acme.example>",
                        "TIMEOUT": "12.5"}.items():  # fmt: skip
        monkeypatch.setenv(f"CHARTER_SMTP_{name}", value)
    smtp = smtp_settings(load_settings())
    assert smtp is not None
    assert (smtp.host, smtp.tls, smtp.user, smtp.timeout) == (
        "mail.acme.example", TlsMode.tls, "charter", 12.5,
    )  # fmt: skip
    assert smtp.password is not None and smtp.password.get_secret_value() == "s3cret"
    assert smtp.resolved_port == 465  # implicit TLS's port when none is given


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"smtp_from_address": "not an address"}, "CHARTER_SMTP_FROM_ADDRESS"),
        ({"smtp_from_address": "c@acme.example", "smtp_user": "charter"}, "CHARTER_SMTP_"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch, overrides: dict[str, str], named: str
) -> None:
    monkeypatch.delenv("CHARTER_SMTP_PASSWORD", raising=False)
    with pytest.raises(ConfigError, match=named) as caught:
        smtp_settings(load_settings(smtp_host="mail.acme.example", **overrides))
    assert str(caught.value).startswith("bad setting: CHARTER_SMTP_")
