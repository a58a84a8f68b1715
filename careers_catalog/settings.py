"""Settings read from environment variables, in one place (see ``.env.example``)."""

from __future__ import annotations

import os
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
