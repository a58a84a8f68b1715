"""`make run`'s last step (scripts/run.sh): the Rasa server, the action server and the web app come up on
the configured ports, a student can chat through the web app's demo page API, and Ctrl-C stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from bench.common import MODEL, ROOT, free_port

pytestmark = pytest.mark.e2e


def _port_open(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/", timeout=1)
        return True
    except requests.ConnectionError:
        return False


def test_run_starts_all_servers_and_ctrl_c_stops_them(tmp_path: Path):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WEB_PORT": str(web_port),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
    }
    log = (tmp_path / "run.log").open("w+")
    proc = subprocess.Popen(
        ["scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 240
        while "Ready." not in (tmp_path / "run.log").read_text():
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "run.log").read_text()[
                -3000:
            ]
            time.sleep(1)
        reply = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "run-test", "message": "how much does a plumber earn"},
            timeout=30,
        )
        assert "Pay for a plumber" in reply.json()[0]["text"]
        demo = requests.get(f"http://127.0.0.1:{web_port}/demo", timeout=10)
        assert "Careers at Demo High School" in demo.text
        via_web = requests.post(
            f"http://127.0.0.1:{web_port}/api/chat/demo",
            json={"sender": "run-test-web-0001", "message": "how much does a plumber earn"},
            timeout=30,
        )
        assert "Pay for a plumber" in via_web.json()["messages"][0]["text"]
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        proc.wait(timeout=60)
        time.sleep(1)
        assert not any(map(_port_open, (rasa_port, action_port, web_port)))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
