"""`make run`'s last step (`python -m deploy run`): the Rasa server, the action server, the web app and
the analytics worker come up on the configured ports, a student can chat through the web app's demo page
API, the worker derives the dashboard's rows, and Ctrl-C stops them all. `make run-cluster` (the same
launcher with RASA_PROCESSES=2): nginx in front of two of each, a Rasa server that dies is started again,
and Ctrl-C stops everything."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from deploy.launcher import NGINX, free_port
from settings import ROOT
from tests.conftest import missing, postgres_server_or_skip, redis_or_skip, require_model
from tests.web_chat import WebChat

pytestmark = pytest.mark.e2e


def _port_open(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/", timeout=1)
        return True
    except requests.ConnectionError:
        return False


def _start(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """The launcher in a session of its own, once it says "Ready."."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy", "run"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while "Ready." not in log_path.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):  # it may have ended by itself
                os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(log_path.read_text()[-3000:])
        time.sleep(1)
    return proc


def _ctrl_c(proc: subprocess.Popen, ports: list[int]) -> None:
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    proc.wait(timeout=60)
    time.sleep(1)
    assert not [port for port in ports if _port_open(port)]


def _turns(tracker: Path) -> int:
    with sqlite3.connect(tracker) as db:
        tables = {r[0] for r in db.execute("select name from sqlite_master")}
        return (
            db.execute("select count(*) from analytics_turns").fetchone()[0]
            if "analytics_turns" in tables
            else 0
        )


def _rasa_server_pid(port: int) -> int:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"actions" not in args and b"--model" in args and str(port).encode() in args:
            return int(cmdline.parent.name)
    raise LookupError(f"no Rasa server on port {port}")


def test_run_starts_all_servers_and_ctrl_c_stops_them(tmp_path: Path):
    require_model()
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    env = {
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WEB_PORT": str(web_port),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
    }
    proc = _start(env, tmp_path / "run.log")
    try:
        reply = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "run-test", "message": "how much does a plumber earn"},
            timeout=30,
        )
        assert "Pay for a plumber" in reply.json()[0]["text"]
        demo = requests.get(f"http://127.0.0.1:{web_port}/demo", timeout=10)
        assert "Careers at Demo High School" in demo.text
        assert (
            "Pay for a plumber"
            in WebChat(f"http://127.0.0.1:{web_port}").say("how much does a plumber earn")[0]
        )
        # The analytics worker turns the conversations into the dashboard's rows on its own.
        deadline = time.monotonic() + 60
        while not _turns(tmp_path / "tracker.db"):
            assert time.monotonic() < deadline, (tmp_path / "run.log").read_text()[-3000:]
            time.sleep(1)
        _ctrl_c(proc, [rasa_port, action_port, web_port])
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def test_run_cluster_serves_through_nginx_and_starts_a_dead_rasa_server_again(tmp_path: Path):
    require_model()
    redis_host, redis_port = redis_or_skip()
    if not Path(NGINX).exists():
        missing(f"nginx is not installed ({NGINX}): run scripts/system_packages.sh nginx")
    postgres = postgres_server_or_skip()
    postgres.start()
    # nginx on each base port, the two servers of each kind on the two ports after it.
    rasa_port, action_port, web_port = free_port(3), free_port(3), free_port()
    env = {
        "RASA_PROCESSES": "2",
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WEB_PORT": str(web_port),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        # A database the server does not have yet: the script creates it.
        "TRACKER_DATABASE_URL": postgres.url("cluster_conversations"),
        "REDIS_HOST": redis_host,
        "REDIS_PORT": str(redis_port),
    }
    log = tmp_path / "run.log"
    try:
        proc = _start(env, log)
        try:
            assert "2 Rasa servers and 2 action servers behind nginx" in log.read_text()
            chat = WebChat(f"http://127.0.0.1:{web_port}")
            assert "nurse" in chat.say("what does a nurse do")[0].lower()
            first = _rasa_server_pid(rasa_port + 1)
            os.kill(first, signal.SIGKILL)
            # The student carries on with the other server meanwhile.
            assert "pay for an adult nurse" in chat.say("how much do they earn")[0].lower()
            deadline = time.monotonic() + 240
            while not _port_open(rasa_port + 1):
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(2)
            assert f"The rasa server on port {rasa_port + 1} stopped; starting it again." in log.read_text()
            assert _rasa_server_pid(rasa_port + 1) != first
            ports = [rasa_port, action_port, web_port, rasa_port + 1, rasa_port + 2]
            _ctrl_c(proc, [*ports, action_port + 1, action_port + 2])
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    finally:
        postgres.stop()
        postgres.remove()
