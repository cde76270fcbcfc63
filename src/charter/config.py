"""Settings: one class, read from ``CHARTER_*`` environment variables when asked.

Nothing reads the environment at import time: entry points call
:func:`load_settings` (or build :class:`Settings` themselves, as tests do) and
pass the value down. Every setting is documented in ``docs/configuration.md``,
which a test keeps in step with this class.

>>> settings = Settings(environment="development", data_dir="var")
>>> settings.resolved_database_url
'sqlite:///var/charter.db'
>>> settings.secret_key_is_default
True
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from charter.errors import ConfigError

DEFAULT_SECRET = "change-me"
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    """Every setting of a Charter installation."""

    model_config = SettingsConfigDict(env_prefix="CHARTER_", extra="forbid", frozen=True)

    environment: Environment = Field(
        Environment.production,
        description="`development`, `test` or `production`. Outside development a real "
        "secret key is required.",
    )
    data_dir: Path = Field(
        Path("var"),
        description="Folder for the embedded database and other files Charter keeps.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the database, e.g. "
        "`postgresql+psycopg://user:password@host/charter`. Default: the SQLite file "
        "`charter.db` in the data directory.",
    )
    secret_key: str = Field(
        DEFAULT_SECRET,
        description=f"Signs sign-in cookies and CSRF tokens. At least {MIN_SECRET_LENGTH} "
        "characters; generate one with `python -c 'import secrets; "
        "print(secrets.token_urlsafe(48))'`.",
    )
    session_max_age: Annotated[int, Field(gt=0)] = Field(
        8 * 3600, description="Seconds a sign-in lasts."
    )
    secure_cookies: bool | None = Field(
        None,
        description="Send cookies only over HTTPS. Default: on in production, off otherwise.",
    )
    https: bool = Field(
        False,
        description="The site is served over HTTPS (directly or behind a proxy that ends "
        "TLS): every response then carries `Strict-Transport-Security: max-age=31536000; "
        "includeSubDomains`, so browsers refuse plain HTTP to the host for a year.",
    )
    login_attempts: Annotated[int, Field(gt=0)] = Field(
        5,
        description="Failed sign-ins to one account from one address before each next "
        "attempt from there must wait (see `login_delay`). Never a lockout: the account's "
        "owner signing in from another address is not slowed.",
    )
    login_address_attempts: Annotated[int, Field(gt=0)] = Field(
        50,
        description="Failed sign-ins from one address, to any accounts, before each next "
        "attempt from that address must wait.",
    )
    login_window: Annotated[int, Field(gt=0)] = Field(
        86_400,
        description="Seconds over which failed sign-ins are counted; older ones are forgotten.",
    )
    login_delay: Annotated[int, Field(gt=0)] = Field(
        5,
        description="Seconds the first throttled attempt waits after the latest failure; "
        "the wait doubles with each further failure, up to `login_max_delay`.",
    )
    login_max_delay: Annotated[int, Field(gt=0)] = Field(
        900, description="The longest wait between throttled sign-in attempts, in seconds."
    )
    import_batch_size: Annotated[int, Field(gt=0)] = Field(
        20_000,
        description="Tickets written per transaction on import; a failed or killed import "
        "keeps every batch committed before it and nothing of the batch it was in.",
    )
    max_upload_bytes: Annotated[int, Field(gt=0)] = Field(
        1_000_000_000,
        description="Largest body `POST /api/tickets/import` accepts, in bytes (a "
        "million-ticket Zendesk tickets export is about 0.7 GB, its CSV export with events "
        "0.4 GB); a larger one is refused with 413 before it reaches the disk.",
    )
    max_body_bytes: Annotated[int, Field(gt=0)] = Field(
        10_000_000,
        description="Largest body any other request may send, in bytes (a policy text is at "
        "most 256,000 bytes); a larger one is refused with 413 before it is read.",
    )
    zendesk_subdomain: str | None = Field(
        None,
        description="Zendesk account `charter sync zendesk` reads: `acme` for "
        "`https://acme.zendesk.com`.",
    )
    zendesk_email: str | None = Field(
        None, description="E-mail of the Zendesk agent whose API token `charter sync` uses."
    )
    zendesk_api_token: str | None = Field(
        None,
        description="Zendesk API token (Admin Center > Apps and integrations > Zendesk API). "
        "Set it in the environment, never on a command line.",
    )
    zendesk_base_url: str | None = Field(
        None,
        description="Base URL of the Zendesk API instead of `https://<subdomain>.zendesk.com` "
        "(a proxy, or a local test server).",
    )
    zendesk_events_export: bool = Field(
        False,
        description="`charter sync zendesk` reads the events of tickets created since the "
        "sync's start from Zendesk's ticket events export (a request per 1,000 updates) "
        "instead of one audits request per ticket. The export is for admins: with another "
        "agent's token Zendesk refuses it and the sync reads audits.",
    )
    freshdesk_domain: str | None = Field(
        None,
        description="Freshdesk account `charter sync freshdesk` reads: `acme` for "
        "`https://acme.freshdesk.com`.",
    )
    freshdesk_api_key: str | None = Field(
        None,
        description="Freshdesk API key (Profile settings > View API key). Set it in the "
        "environment, never on a command line.",
    )
    freshdesk_base_url: str | None = Field(
        None,
        description="Base URL of the Freshdesk API instead of "
        "`https://<domain>.freshdesk.com` (a proxy, or a local test server).",
    )
    zendesk_webhook_secret: str | None = Field(
        None,
        description="Signing secret of the Zendesk webhook that calls `POST /api/hooks/zendesk` "
        "(Admin Center > Apps and integrations > Webhooks > the webhook > Reveal secret); "
        "unset, that address refuses every call.",
    )
    freshdesk_webhook_secret: str | None = Field(
        None,
        description="Shared secret of the Freshdesk automation rule that calls "
        "`POST /api/hooks/freshdesk` (sent in its `X-Charter-Webhook-Secret` header, or used "
        "to sign as Zendesk does); unset, that address refuses every call.",
    )
    webhook_window: Annotated[int, Field(gt=0)] = Field(
        300,
        description="Seconds a signed webhook's timestamp may be from now, either way; "
        "one outside is refused, and so is a signature already seen inside it (a replay).",
    )
    webhook_max_bytes: Annotated[int, Field(gt=0)] = Field(
        1_000_000,
        description="Largest webhook body `POST /api/hooks/...` accepts, in bytes; a larger "
        "one is refused with 413 before it is read.",
    )
    sync_every: Annotated[int, Field(gt=0)] | None = Field(
        None,
        description="Seconds between the incremental syncs `charter worker` runs of each "
        "helpdesk with credentials; unset, the worker syncs only what webhooks queue.",
    )
    sync_tries: Annotated[int, Field(gt=0)] = Field(
        5,
        description="Tries per helpdesk request before `charter sync` gives up: a 429 waits "
        "its `Retry-After`, a 5xx answer or a lost connection 1 s, then 2 s, 4 s ...",
    )
    smtp_host: str | None = Field(
        None, description="SMTP server escalation e-mail goes through; unset, none is sent."
    )
    smtp_port: Annotated[int, Field(gt=0, lt=65536)] | None = Field(
        None, description="SMTP port. Default: 465 for `tls`, 587 for `starttls`, 25 for `none`."
    )
    smtp_tls: Literal["tls", "starttls", "none"] = Field(
        "starttls",
        description="`tls` (implicit TLS), `starttls` (upgrade, refused if not offered) or "
        "`none` (only to a relay on this machine when a password is set).",
    )
    smtp_user: str | None = Field(None, description="SMTP user name, if the server asks.")
    smtp_password: str | None = Field(
        None, description="Password of `CHARTER_SMTP_USER`; set it in the environment."
    )
    smtp_from_address: str | None = Field(
        None, description="Sender of every e-mail, e.g. `Charter <charter@acme.example>`."
    )
    smtp_timeout: Annotated[float, Field(gt=0)] = Field(
        30, description="Seconds to wait for the SMTP server at each step."
    )
    smtp_ca_file: Path | None = Field(
        None, description="PEM file of the certificate authorities to trust for the SMTP relay."
    )
    webhook_url: str | None = Field(
        None,
        description="Address every fired escalation level is also posted to, as a signed "
        "Standard Webhooks message (`https://...`); unset, none is posted.",
    )
    webhook_secret: str | None = Field(
        None,
        description="Signing secret of `CHARTER_WEBHOOK_URL`, `whsec_` and base64 (at least "
        "24 bytes), shared with the receiver.",
    )
    base_url: str | None = Field(
        None,
        description="Charter's own address as people reach it (`https://charter.acme.example`): "
        "escalation e-mail links to the ticket and the clause with it, training reminders "
        "to the training page, and xAPI statements name their activities with it "
        "(`charter training statements` needs it).",
    )
    worker_every: Annotated[float, Field(gt=0)] = Field(
        15, description="Seconds between the ticks of `charter worker`."
    )
    worker_documents: bool = Field(
        True,
        description="Whether `charter worker` renders the PDFs of the version in force "
        "ahead of their first download (one worker at a time renders; off, the first "
        "download renders and keeps them).",
    )
    host: str = Field("127.0.0.1", description="Address `charter serve` listens on.")
    port: Annotated[int, Field(gt=0, lt=65536)] = Field(
        8000, description="Port `charter serve` listens on."
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'charter.db'}"

    @property
    def secret_key_is_default(self) -> bool:
        return self.secret_key == DEFAULT_SECRET

    @property
    def cookies_secure(self) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        return self.environment is Environment.production

    def check_safe(self) -> None:
        """Refuse unsafe settings outside development, saying how to fix them."""
        if self.environment is Environment.development:
            return
        if self.secret_key_is_default:
            raise ConfigError(
                f"CHARTER_SECRET_KEY is not set (environment is {self.environment.value}). "
                "Set it to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters, or set CHARTER_ENVIRONMENT=development "
                "on a machine of your own."
            )
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"CHARTER_SECRET_KEY is {len(self.secret_key)} characters long; use at "
                f"least {MIN_SECRET_LENGTH}."
            )


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment (and ``overrides``), with readable errors."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = "; ".join(
            f"CHARTER_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in error.errors()
        )
        raise ConfigError(f"bad setting: {problems}") from None
