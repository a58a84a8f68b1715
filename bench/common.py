"""Shared helpers for benchmarks: percentiles, result files, starting the servers."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
RASA = str(Path(sys.executable).parent / "rasa")
MODEL = ROOT / "models" / "careers.tar.gz"


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50, p95, p99 and mean of a list of milliseconds, rounded to 0.01 ms."""
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def report(name: str, figures: dict[str, Any]) -> dict[str, Any]:
    """Print the figures and write them to bench/results/NAME.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures = {"benchmark": name, "when": time.strftime("%Y-%m-%dT%H:%M:%S"), **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2))
    print(f"\n== {name} ==")
    for key, value in figures.items():
        if key not in ("benchmark",):
            print(f"  {key}: {value}")
    return figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false", **extra}


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 300, log: Path | None = None) -> None:
    """Wait until ``url`` answers; raise if the process dies (with its log) or the time runs out."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            tail = log.read_text()[-3000:] if log else ""
            raise RuntimeError(f"process for {url} exited with {proc.returncode}\n{tail}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    raise TimeoutError(url)


@dataclass
class Assistant:
    """A running Rasa server and action server (see :func:`running_assistant`). ``stop`` and ``start``
    take one of them down and bring it back, for tests of what a student sees meanwhile."""

    rasa_url: str
    action_url: str
    tracker_url: str
    endpoints: Path  # an endpoints file pointing at this action server, for `rasa test`
    startup_s: dict[str, float]
    folder: Path
    env: dict[str, str]
    commands: dict[str, list[str]]
    health: dict[str, str]
    procs: dict[str, subprocess.Popen]

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict]:
        """Send one message over the REST channel and return the bot's replies."""
        reply = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
        reply.raise_for_status()
        return reply.json()

    def start(self, name: str) -> float:
        """Start ``actions`` or ``rasa`` and wait until it answers; returns the seconds that took."""
        started = time.monotonic()
        log = (self.folder / f"{name}.log").open("a")
        self.procs[name] = subprocess.Popen(
            self.commands[name], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        wait_until_up(self.health[name], self.procs[name], log=self.folder / f"{name}.log")
        return round(time.monotonic() - started, 1)

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def running_assistant(
    folder: Path, model: Path = MODEL, env: dict[str, str] | None = None, api_token: str | None = None
) -> Iterator[Assistant]:
    """Start the action server and the Rasa server on free ports, with a fresh SQLite tracker store in
    ``folder`` unless ``env`` names another (TRACKER_DATABASE_URL), logs in ``folder``, and ``env`` added
    to their environment; stop both on exit. With ``api_token``, Rasa's HTTP API is on and needs that
    token, as ``make run`` does with RASA_API_TOKEN."""
    rasa_port, action_port = free_port(), free_port()
    action_url = f"http://127.0.0.1:{action_port}/webhook"
    env = {"TRACKER_DATABASE_URL": f"sqlite:///{folder / 'tracker.db'}", **(env or {})}
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: {action_url}\n")
    assistant = Assistant(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=action_url,
        tracker_url=env["TRACKER_DATABASE_URL"],
        endpoints=endpoints,
        startup_s={},
        folder=folder,
        env=bench_env(ACTION_ENDPOINT_URL=action_url, **env),
        commands={
            "actions": [RASA, "run", "actions", "--actions", "bot.actions", "--port", str(action_port)],
            "rasa": [
                RASA,
                "run",
                "--model",
                str(model),
                "--interface",
                "127.0.0.1",
                "--port",
                str(rasa_port),
                "--credentials",
                "credentials.yml",
                "--endpoints",
                "endpoints.yml",
                *(["--enable-api", "--auth-token", api_token] if api_token else []),
            ],
        },
        health={
            "actions": f"http://127.0.0.1:{action_port}/health",
            "rasa": f"http://127.0.0.1:{rasa_port}/",
        },
        procs={},
    )
    try:
        # Both start at once; the action server is up long before Rasa has loaded its model.
        started = time.monotonic()
        for name in ("actions", "rasa"):
            log = (folder / f"{name}.log").open("w")
            assistant.procs[name] = subprocess.Popen(
                assistant.commands[name], cwd=ROOT, env=assistant.env, stdout=log, stderr=subprocess.STDOUT
            )
        for name in ("actions", "rasa"):
            wait_until_up(assistant.health[name], assistant.procs[name], log=folder / f"{name}.log")
            key = "action_server_startup_s" if name == "actions" else "rasa_server_startup_s"
            assistant.startup_s[key] = round(time.monotonic() - started, 1)
        yield assistant
    finally:
        for name in list(assistant.procs):
            assistant.stop(name)


@contextmanager
def running_web_app(folder: Path, rasa_url: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start the web app (``python -m web``) on a free port, talking to the Rasa server at ``rasa_url``;
    yield its address; stop it on exit. Its log goes to ``folder/web.log``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    extra = {"WEB_PORT": str(port), "WEB_APP_URL": url, "RASA_URL": rasa_url, **(env or {})}
    log_path = folder / "web.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "web"],
            cwd=ROOT,
            env=bench_env(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(f"{url}/health", proc, timeout=60, log=log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
