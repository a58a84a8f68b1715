"""End to end: the real Rasa server and action server, talked to over the REST channel.

Needs the trained model (``make test`` trains it first). Starts both servers on free ports with a
fresh SQLite tracker store, holds the conversations from the issue, then runs ``rasa test`` on
``tests/test_stories.yml`` against the same action server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e
MODEL = ROOT / "models" / "careers.tar.gz"
RASA = str(Path(sys.executable).parent / "rasa")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    pytest.fail(f"{url} did not come up in {timeout} s:\n{log.read_text()[-3000:]}")


class Servers:
    def __init__(self, rasa_url: str, endpoints: Path) -> None:
        self.rasa_url = rasa_url
        self.endpoints = endpoints

    def say(self, sender: str, text: str) -> list[dict]:
        reply = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
        )
        reply.raise_for_status()
        return reply.json()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    tmp = tmp_path_factory.mktemp("servers")
    rasa_port, action_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp / 'tracker.db'}",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "{env["ACTION_ENDPOINT_URL"]}"\n')
    logs = [tmp / "actions.log", tmp / "rasa.log"]
    commands = [
        [RASA, "run", "actions", "--actions", "bot.actions", "--port", str(action_port)],
        [
            RASA,
            "run",
            "--model",
            str(MODEL),
            "--port",
            str(rasa_port),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
        ],
    ]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        for cmd, log in zip(commands, logs, strict=True)
    ]
    try:
        _wait_for(f"http://127.0.0.1:{action_port}/health", procs[0], logs[0])
        _wait_for(f"http://127.0.0.1:{rasa_port}/", procs[1], logs[1])
        yield Servers(f"http://127.0.0.1:{rasa_port}", endpoints)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _text(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def _sender() -> str:
    return uuid.uuid4().hex


def test_greeting_offers_buttons(servers: Servers):
    replies = servers.say(_sender(), "hiya")
    assert "careers helper" in _text(replies)
    assert replies[0]["buttons"]


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("wat does a sofware enginer do", "Software developer:"),
        ("tell me about cyber security jobs", "Cyber security analyst:"),
        ("can you get paid to be a hacker", "enetration tester"),
        ("network engineer", "Network engineer:"),
    ],
)
def test_what_a_career_is_like_in_the_students_own_words(servers: Servers, message: str, title: str):
    assert title in _text(servers.say(_sender(), message))


def test_pay_with_source_and_follow_ups_in_context(servers: Servers):
    sender = _sender()
    pay = _text(servers.say(sender, "how much does a web developer earn"))
    assert "web developer" in pay and "£" in pay and "Source:" in pay
    follow = _text(servers.say(sender, "what subjects would help with that?"))
    assert "Subjects that help to become a web developer" in follow
    hours = _text(servers.say(sender, "and what hours do they work"))
    assert "web developer" in hours and "hours a week" in hours


def test_routes_without_uni(servers: Servers):
    text = _text(servers.say(_sender(), "can I become a software developer without going to uni?"))
    assert "without going to university" in text and "Apprenticeship" in text


def test_question_first_then_career(servers: Servers):
    sender = _sender()
    assert "Which career" in _text(servers.say(sender, "how much do they get paid"))
    assert "Pay for an electrician" in _text(servers.say(sender, "electrician"))


def test_a_misspelt_or_missing_career_gets_buttons_not_a_dead_end(servers: Servers):
    replies = servers.say(_sender(), "what does an astronot do")
    assert replies and any(r.get("buttons") for r in replies)


def test_anything_else_gets_a_short_fallback_with_buttons(servers: Servers):
    replies = servers.say(_sender(), "purple monkey dishwasher")
    assert "careers helper" in _text(replies) or "Did you mean" in _text(replies)
    assert any(r.get("buttons") for r in replies)


ODD_INPUT = {
    "empty": "",
    "spaces": "   ",
    "html": "<script>alert('x')</script>",
    "sql": "'; DROP TABLE events; --",
    "emoji": "🤖🤖",
    "2000 characters": "x" * 2000,
    "spanish": "¿Qué hace un ingeniero?",
    "right-to-left override": "\u202etxet",
}


@pytest.mark.parametrize("message", ODD_INPUT.values(), ids=ODD_INPUT.keys())
def test_odd_input_gets_a_reply_and_the_next_message_still_works(servers: Servers, message: str):
    sender = _sender()
    replies = servers.say(sender, message)
    assert "<script>" not in _text(replies)
    assert "Electrician:" in _text(servers.say(sender, "what does an electrician do"))


def test_rasa_test_stories_pass(servers: Servers, tmp_path: Path):
    out = tmp_path / "results"
    result = subprocess.run(
        [
            RASA,
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            "tests/test_stories.yml",
            "--endpoints",
            str(servers.endpoints),
            "--out",
            str(out),
            "--fail-on-prediction-errors",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
