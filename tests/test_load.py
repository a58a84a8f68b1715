"""A short version of the load test (bench/load.py): many students at once, and nothing lost. Every
message sent is stored and answered, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from bench.load import check_stored, run_load
from deploy.launcher import Assistant
from tests.conftest import OnPostgres

pytestmark = pytest.mark.e2e


def _check(rasa_url: str, tracker_url: str) -> None:
    result = run_load(rasa_url, conversations=24, turns=10, concurrency=8)
    assert result.errors == []
    stored = check_stored(tracker_url, result)
    assert stored["user_events"] == 240 and stored["bot_events"] >= 240
    assert stored["lost_messages"] == stored["conversations_out_of_order"] == 0


def test_many_students_at_once_lose_nothing_on_sqlite(servers: Assistant):
    _check(servers.rasa_url, servers.tracker_url)


def test_many_students_at_once_lose_nothing_on_postgresql(on_postgres: OnPostgres):
    _check(on_postgres.assistant.rasa_url, on_postgres.assistant.tracker_url)
