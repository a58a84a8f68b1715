"""Shared fixtures: real catalogue databases (SQLite, and PostgreSQL where it runs), the actions pointed
at them, and the real servers for end-to-end tests."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
import redis
import sqlalchemy as sa

from analytics.models import SyncState
from analytics.sync import SYNC_NAME
from bot.actions import career_context
from careers_catalog import Catalog
from careers_catalog.careers.loader import load_catalog
from careers_catalog.db import make_engine
from careers_catalog.opportunities.importer import CSV_COLUMNS, import_opportunities_csv
from deploy.launcher import Assistant, running_assistant, running_web_app
from settings import current
from tests.postgres_server import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "catalog"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


MODEL = current().rasa_model
REDIS = (os.environ.get("TEST_REDIS_HOST", "127.0.0.1"), int(os.environ.get("TEST_REDIS_PORT", "6379")))


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the items
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With several test workers (``make test`` runs two, pytest-xdist's ``--dist loadgroup``), a
    module's tests stay on one worker, so that its servers start once; the benchmarks' tests, each a
    process of its own, are shared out one by one."""
    for item in items:
        alone = item.module.__name__.endswith("test_bench")
        item.add_marker(pytest.mark.xdist_group(item.nodeid if alone else item.module.__name__))


def missing(reason: str) -> NoReturn:
    """A part a test needs is missing on this machine: skip with the reason, but fail under CI."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def require_model() -> None:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")


def _postgres_or_skip() -> str:
    """The PostgreSQL URL; tests skip with a reason on a machine without it, but never under CI."""
    try:
        with sa.create_engine(POSTGRES_URL, future=True).connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:
        missing(f"PostgreSQL not reachable at {POSTGRES_URL} (set TEST_POSTGRES_URL): {exc.orig}")
    return POSTGRES_URL


def redis_or_skip() -> tuple[str, int]:
    """The Redis server's host and port (TEST_REDIS_HOST, TEST_REDIS_PORT; default this machine's)."""
    try:
        redis.Redis(*REDIS, socket_timeout=3).ping()
    except redis.RedisError as exc:
        missing(f"Redis not reachable at {REDIS[0]}:{REDIS[1]} (set TEST_REDIS_HOST, TEST_REDIS_PORT): {exc}")
    return REDIS


def postgres_server_or_skip() -> PostgresServer:
    """A new PostgreSQL server of the tests' own (not started yet)."""
    try:
        return PostgresServer()
    except (FileNotFoundError, subprocess.CalledProcessError) as problem:
        missing(f"cannot run a PostgreSQL server for this test (install PostgreSQL's server): {problem}")


def _fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """An empty database of a kind: a SQLite file, or a fresh schema in PostgreSQL (dropped after)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'catalog.db'}"
        return
    base = _postgres_or_skip()
    schema = f"test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, future=True)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty catalogue database of each kind."""
    yield from _fresh_database(request.param, tmp_path)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def catalog(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    """The real catalogue, loaded from careers_catalog/data into a fresh database of each kind."""
    for url in _fresh_database(request.param, tmp_path_factory.mktemp("catalog")):
        engine = make_engine(url)
        load_catalog(engine)
        yield Catalog(engine)
        engine.dispose()


@pytest.fixture
def actions_catalog(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """Point the custom actions at the test's freshly loaded catalogue."""
    monkeypatch.setattr(career_context, "catalog", lambda: catalog)
    return catalog


def worker_caught_up(tracker_url: str, timeout: float = 30) -> None:
    """Wait until the analytics worker beside the web app has derived every event stored so far: what
    an adviser waits for before a chat that has just happened shows on the dashboard."""
    engine = sa.create_engine(tracker_url, future=True)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as conn:
                newest = conn.execute(sa.text("SELECT max(id) FROM events")).scalar() or 0
                done = conn.execute(
                    sa.select(SyncState.last_event_id).where(SyncState.name == SYNC_NAME)
                ).scalar()
            if (done or 0) >= newest:
                return
            assert time.monotonic() < deadline, f"the analytics worker is at event {done} of {newest}"
            time.sleep(0.2)
    finally:
        engine.dispose()


E2E_LISTING = (
    "E2E Test Games,Test games studio week,work_experience,digital,L3,Liverpool,{start},{end},{end},10-11,"
    "Ask your school's careers lead,,A week testing games with a small studio.,no"
)


def e2e_catalog(folder: Path, url: str | None = None) -> str:
    """A catalogue database for end-to-end runs (a SQLite file in ``folder`` unless ``url``): the real
    data plus listings dated from today, so that the conversations do not depend on when the shipped
    samples expire."""
    url = url or f"sqlite:///{folder / 'catalog.db'}"
    engine = make_engine(url)
    load_catalog(engine)
    start = dt.date.today() + dt.timedelta(days=30)
    rows = [E2E_LISTING.format(start=start, end=start + dt.timedelta(days=4))]
    rows.append(rows[0].replace("work_experience", "apprenticeship").replace("studio week", "apprentice"))
    csv_file = folder / "e2e_listings.csv"
    csv_file.write_text("\n".join([",".join(CSV_COLUMNS), *rows]) + "\n")
    import_opportunities_csv(engine, csv_file)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The real Rasa server and action server (trained model, fresh SQLite tracker store, network-free:
    no postcode or vacancy API configured; the HTTP API on, behind a token; the action server behind a
    token of its own)."""
    require_model()
    folder = tmp_path_factory.mktemp("servers")
    offline = {"DATABASE_URL": e2e_catalog(folder), "POSTCODES_API_URL": "", "APPRENTICESHIPS_API_URL": ""}
    # Rasa's HTTP API is on, with a token, as `make run` has it when RASA_API_TOKEN is set; the action
    # server takes calls only with its own token, as a cluster across machines would have it.
    offline["RASA_API_TOKEN"] = secrets.token_urlsafe(16)
    offline["ACTION_SERVER_TOKEN"] = secrets.token_urlsafe(16)
    with running_assistant(folder, env=offline, api_token=offline["RASA_API_TOKEN"]) as assistant:
        yield assistant


@dataclass
class OnPostgres:
    """The real assistant and web app with the catalogue and the conversations on a PostgreSQL server of
    the tests' own, which a test may stop and start."""

    assistant: Assistant
    web: str
    postgres: PostgresServer


@pytest.fixture(scope="session")
def on_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OnPostgres]:
    require_model()
    folder = tmp_path_factory.mktemp("on_postgres")
    postgres = postgres_server_or_skip()
    postgres.start()
    try:
        env = {
            "DATABASE_URL": e2e_catalog(folder, postgres.create_database("catalog")),
            "TRACKER_DATABASE_URL": postgres.create_database("conversations"),
            "POSTCODES_API_URL": "",
            "APPRENTICESHIPS_API_URL": "",
        }
        with (
            running_assistant(folder, env=env) as assistant,
            running_web_app(
                folder, assistant.rasa_url, {"TRACKER_DATABASE_URL": env["TRACKER_DATABASE_URL"]}
            ) as web,
        ):
            yield OnPostgres(assistant, web, postgres)
    finally:
        postgres.stop()
        postgres.remove()
