"""Settings read from environment variables, in one place (see ``.env.example``)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
VAR_DIR = Path(os.environ.get("CAREERS_VAR_DIR", PROJECT_ROOT / "var"))


def database_url() -> str:
    """The catalogue database: ``DATABASE_URL``, or a SQLite file under ``var/``."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'catalog.db'}"


def web_app_url() -> str:
    """Where students open the web app (the chat page and printable plans): ``WEB_APP_URL``."""
    return os.environ.get("WEB_APP_URL", "http://localhost:8000").rstrip("/")


def postcodes_api_url() -> str | None:
    """A postcodes.io-compatible API for full postcodes (``POSTCODES_API_URL``); unset: offline only."""
    return os.environ.get("POSTCODES_API_URL") or None


def apprenticeships_api() -> tuple[str, str] | None:
    """Find an apprenticeship's vacancy API: (``APPRENTICESHIPS_API_URL``, ``APPRENTICESHIPS_API_KEY``);
    None (the default) keeps vacancy search to the local catalogue."""
    url, key = os.environ.get("APPRENTICESHIPS_API_URL"), os.environ.get("APPRENTICESHIPS_API_KEY")
    return (url, key) if url and key else None


def schools_file() -> Path:
    """The schools that embed the chat and the origins each may use it from: ``SCHOOLS_FILE``."""
    return Path(os.environ.get("SCHOOLS_FILE") or DATA_DIR / "schools.yml")


def rasa_url() -> str:
    """Where the web app reaches the Rasa server: ``RASA_URL`` (default: this machine, ``RASA_PORT``)."""
    default = f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
    return os.environ.get("RASA_URL", default).rstrip("/")


def web_bind() -> tuple[str, int]:
    """Where the web app listens: ``WEB_HOST`` (default 127.0.0.1) and ``WEB_PORT`` (default 8000)."""
    return os.environ.get("WEB_HOST", "127.0.0.1"), int(os.environ.get("WEB_PORT", "8000"))


def tracker_database_url() -> str:
    """The conversations database (Rasa's SQL tracker store, and the dashboard's tables beside it):
    ``TRACKER_DATABASE_URL``, or a SQLite file under ``var/``."""
    url = os.environ.get("TRACKER_DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{VAR_DIR / 'tracker.db'}"
    relative = url.removeprefix("sqlite:///")
    if url.startswith("sqlite:///") and not relative.startswith("/"):
        # Rasa opens a relative SQLite path from the project folder (where `make run` starts it); the
        # web app may run from anywhere, so it resolves the path from there too.
        path = PROJECT_ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    return url


def link_secret() -> bytes:
    """The key that signs a lesson link's own activity text (``LINK_SECRET``); unset, a random key is made
    once and kept in ``var/link_secret`` (readable by its owner only)."""
    given = os.environ.get("LINK_SECRET")
    if given:
        if len(given) < 16:
            raise ValueError("LINK_SECRET must be 16 characters or more")
        return given.encode()
    path = VAR_DIR / "link_secret"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def chat_rate_limits() -> tuple[int, int]:
    """Messages allowed per minute from one chat (``CHAT_LIMIT_PER_SENDER``, default 30) and from one
    network address (``CHAT_LIMIT_PER_ADDRESS``, default 600: a whole school can sit behind one)."""
    return (
        int(os.environ.get("CHAT_LIMIT_PER_SENDER", "30")),
        int(os.environ.get("CHAT_LIMIT_PER_ADDRESS", "600")),
    )


def retention_months() -> int:
    """How long conversations are kept before ``python -m analytics purge`` deletes them:
    ``RETENTION_MONTHS`` (default 12)."""
    months = int(os.environ.get("RETENTION_MONTHS", "12"))
    if months < 1:
        raise ValueError("RETENTION_MONTHS must be 1 or more")
    return months
