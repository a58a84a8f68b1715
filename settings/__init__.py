"""The assistant's configuration: one typed object, read once from the environment (and from an env file
when there is one), checked as it is read, and passed to what needs it.

Each setting's default is written here and nowhere else; ``.env.example`` explains them for people. An
empty variable counts as unset. A bad value (a port that is not a number, a retention of 0 months) stops
the process at start with the variable's name, rather than failing on the first student's message.

Every process reads it the same way: the launcher (``python -m deploy``) and the web app with
:func:`current`, and the launcher hands Rasa and the action server the same values as environment
variables (:meth:`Config.environment`), so they agree by construction.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseSettings, Field, SecretStr, ValidationError, validator

ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = ROOT / ".env"  # optional; CAREERS_ENV_FILE names another


class ConfigError(ValueError):
    """A setting has a value the assistant cannot run with; the message names the variable."""


class Config(BaseSettings):
    # --- where things are ---------------------------------------------------------------------------
    var_dir: Path = Field(ROOT / "var", env="CAREERS_VAR_DIR")  # databases, secrets, logs of a run
    database_url: str | None = None  # the catalogue; unset: a SQLite file in var_dir
    tracker_database_url: str | None = None  # the conversations (Rasa's tracker store and analytics)
    schools_file: Path = ROOT / "settings" / "data" / "schools.yml"
    rasa_model: Path = ROOT / "models" / "careers.tar.gz"

    # --- the web app ----------------------------------------------------------------------------------
    web_app_url: str = "http://localhost:8000"  # where students reach it (links and snippets use it)
    web_host: str = "127.0.0.1"
    web_port: int = Field(8000, ge=1, le=65535)
    rasa_url: str | None = None  # unset: the Rasa server (or nginx) on this machine at rasa_port
    chat_limit_per_sender: int = Field(30, ge=1)  # messages a minute from one chat
    chat_limit_per_address: int = Field(600, ge=1)  # ... from one network address (a whole school)
    link_secret: SecretStr | None = None  # signs a teacher's own activity; unset: made once in var_dir
    retention_months: int = Field(12, ge=1)

    # --- the assistant (Rasa and the action server) ---------------------------------------------------
    rasa_host: str = "127.0.0.1"
    rasa_port: int = Field(5005, ge=1, le=65535)
    rasa_api_token: SecretStr | None = None  # unset: Rasa's HTTP API is off
    rasa_processes: int = Field(1, ge=1, le=16)  # more than 1: a cluster behind nginx
    action_host: str = "127.0.0.1"
    action_port: int = Field(5055, ge=1, le=65535)
    action_endpoint_url: str | None = None  # unset: the action server (or nginx) at action_port
    action_server_token: SecretStr | None = None  # unset: the action server takes calls from this machine
    lock_store: str = "in_memory"  # a cluster uses bot.lock_store.AtomicRedisLockStore
    redis_host: str = "127.0.0.1"
    redis_port: int = Field(6379, ge=1, le=65535)
    ticket_lock_lifetime: int = Field(30, ge=1)  # seconds a dead server's hold on a chat lasts
    cluster_database_url: str = "postgresql://postgres@127.0.0.1:5432/careers_conversations"

    # --- outside services (unset: offline) ------------------------------------------------------------
    postcodes_api_url: str | None = None
    apprenticeships_api_url: str | None = None
    apprenticeships_api_key: SecretStr | None = None
    analytics_sync_every_s: float = Field(5.0, gt=0)  # how often the analytics worker looks for new turns

    class Config:
        env_file_encoding = "utf-8"

        @classmethod
        def customise_sources(cls, init_settings: Any, env_settings: Any, file_secret_settings: Any) -> tuple:
            def without_empty(source: Any) -> Any:
                return lambda settings: {k: v for k, v in source(settings).items() if v != ""}

            return init_settings, without_empty(env_settings)

    @validator(
        "web_app_url", "rasa_url", "action_endpoint_url", "postcodes_api_url", "apprenticeships_api_url"
    )
    def _http(cls, value: str | None) -> str | None:  # noqa: N805
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @validator("database_url", "tracker_database_url", "cluster_database_url")
    def _database(cls, value: str | None) -> str | None:  # noqa: N805
        if value is None:
            return value
        if not value.startswith(("sqlite:///", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        relative = value.removeprefix("sqlite:///")
        if value.startswith("sqlite:///") and not relative.startswith("/"):
            return f"sqlite:///{ROOT / relative}"  # the same file whichever folder a process starts in
        return value

    @validator("link_secret")
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:  # noqa: N805
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be 16 characters or more")
        return value

    @classmethod
    def from_env(cls) -> Config:
        """Read the settings from this process's environment and the env file (``CAREERS_ENV_FILE``,
        default ``.env`` in the project folder, if there is one), or raise :class:`ConfigError` naming
        each bad variable."""
        env_file = Path(os.environ.get("CAREERS_ENV_FILE") or ENV_FILE)
        try:
            return cls(_env_file=env_file if env_file.exists() else None)
        except ValidationError as problem:
            raise ConfigError(_described(problem)) from None

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str]) -> Config:
        """The settings a process with this environment would read (the launcher's view of a process it
        is about to start); an empty value counts as unset."""
        values = {
            name: environ[env.upper()]
            for name, model_field in cls.__fields__.items()
            for env in model_field.field_info.extra["env_names"]
            if environ.get(env.upper())
        }
        try:
            return _OnlyGiven(**values)
        except ValidationError as problem:
            raise ConfigError(_described(problem)) from None

    # --- values worked out from the settings ----------------------------------------------------------
    def catalog_url(self) -> str:
        """The catalogue database: ``DATABASE_URL``, or a SQLite file in ``var_dir``."""
        return self.database_url or f"sqlite:///{self._var() / 'catalog.db'}"

    def conversations_url(self) -> str:
        """The conversations database: ``TRACKER_DATABASE_URL``, or a SQLite file in ``var_dir``."""
        return self.tracker_database_url or f"sqlite:///{self._var() / 'tracker.db'}"

    def rasa_address(self) -> str:
        """Where the web app reaches Rasa: ``RASA_URL``, or this machine at ``RASA_PORT``."""
        return self.rasa_url or f"http://127.0.0.1:{self.rasa_port}"

    def action_endpoint(self) -> str:
        """Where Rasa reaches the actions: ``ACTION_ENDPOINT_URL``, or this machine at ``ACTION_PORT``."""
        return self.action_endpoint_url or f"http://127.0.0.1:{self.action_port}/webhook"

    def chat_rate_limits(self) -> tuple[int, int]:
        return self.chat_limit_per_sender, self.chat_limit_per_address

    def apprenticeships_api(self) -> tuple[str, str] | None:
        """Find an apprenticeship's vacancy API (URL, key); None keeps vacancy search local."""
        if self.apprenticeships_api_url and self.apprenticeships_api_key:
            return self.apprenticeships_api_url, self.apprenticeships_api_key.get_secret_value()
        return None

    def signing_key(self) -> bytes:
        """The key that signs a lesson link's own activity text: ``LINK_SECRET``, or a random key made
        once and kept in ``var_dir/link_secret`` (readable by its owner only)."""
        if self.link_secret is not None:
            return self.link_secret.get_secret_value().encode()
        path = self._var() / "link_secret"
        if not path.exists():
            made = path.with_name(f"link_secret.{os.getpid()}")
            fd = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
            try:  # whole, and the first process's key wins if two make one at the same moment
                os.link(made, path)
            except FileExistsError:
                pass
            finally:
                made.unlink()
        return path.read_text().strip().encode()

    def environment(self) -> dict[str, str]:
        """These settings as the environment variables Rasa's endpoints.yml and the action server read,
        for a process the launcher starts."""
        secret = self.action_server_token
        return {
            "DATABASE_URL": self.catalog_url(),
            "TRACKER_DATABASE_URL": self.conversations_url(),
            "ACTION_ENDPOINT_URL": self.action_endpoint(),
            "ACTION_SERVER_TOKEN": secret.get_secret_value() if secret else "",
            "LOCK_STORE": self.lock_store,
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "TICKET_LOCK_LIFETIME": str(self.ticket_lock_lifetime),
        }

    def _var(self) -> Path:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return self.var_dir


class _OnlyGiven(Config):
    """The settings from the values given alone, not from this process's environment."""

    class Config:
        @classmethod
        def customise_sources(cls, init_settings: Any, env_settings: Any, file_secret_settings: Any) -> tuple:
            return (init_settings,)


def _described(problem: ValidationError) -> str:
    lines = [f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in problem.errors()]
    return "Bad settings (see .env.example):\n  " + "\n  ".join(lines)


def at_start() -> Config:
    """This process's settings, for a program's start: a bad value ends it with the message alone."""
    try:
        return current()
    except ConfigError as problem:
        raise SystemExit(str(problem)) from None


@lru_cache(maxsize=1)
def current() -> Config:
    """This process's settings, read from its environment the first time they are asked for."""
    return Config.from_env()
