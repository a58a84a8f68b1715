"""Shared helpers for benchmarks: percentiles, result files, starting the servers."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
RASA = str(Path(sys.executable).parent / "rasa")
PYTHON = sys.executable
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


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of TEST_POSTGRES_URL; dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(make_url(POSTGRES_URL).set(database=name))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user and system), from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(**extra: str) -> dict[str, str]:
    # endpoints.yml names ACTION_SERVER_TOKEN, so Rasa needs it set, if only to nothing.
    defaults = {"ACTION_SERVER_TOKEN": ""}
    return {**defaults, **os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false", **extra}


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
    """Running Rasa and action servers (see :func:`running_assistant` and :func:`running_cluster`), by
    name: ``rasa`` and ``actions``, or in a cluster ``rasa-1``, ``rasa-2``, ``actions-1``, ... and
    ``nginx`` in front. ``stop``, ``kill`` and ``start`` take one down and bring it back, for tests of
    what a student sees meanwhile."""

    rasa_url: str  # where students' messages go: the Rasa server, or nginx in front of several
    action_url: str
    tracker_url: str
    endpoints: Path  # an endpoints file pointing at this action server, for `rasa test`
    folder: Path
    env: dict[str, str]
    commands: dict[str, list[str]]
    health: dict[str, str]
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    startup_s: dict[str, float] = field(default_factory=dict)

    def say(self, sender: str, text: str, timeout: float = 30, server: str | None = None) -> list[dict]:
        """Send one message over the REST channel and return the bot's replies: to ``rasa_url``, or to
        one Rasa server of a cluster by name (``rasa-1``, ...)."""
        url = self.health[server].rstrip("/") if server else self.rasa_url
        reply = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
        reply.raise_for_status()
        return reply.json()

    def start(self, *names: str) -> float:
        """Start these processes at once and wait until each answers; note each one's start-up time in
        ``startup_s`` and return the seconds the slowest took."""
        started = time.monotonic()
        for name in names:
            log = (self.folder / f"{name}.log").open("a")
            self.procs[name] = subprocess.Popen(
                self.commands[name], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        for name in names:
            wait_until_up(self.health[name], self.procs[name], log=self.folder / f"{name}.log")
            self.startup_s[name] = round(time.monotonic() - started, 1)
        return round(time.monotonic() - started, 1)

    def stop(self, name: str) -> None:
        """Stop a process as an administrator would (SIGTERM, then SIGKILL after 30 s)."""
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def kill(self, name: str) -> None:
        """Kill a process at once (SIGKILL), as a crash or an out-of-memory kill would."""
        proc = self.procs.pop(name)
        proc.kill()
        proc.wait()

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):
            self.stop(name)


def rasa_command(model: Path, port: int, api_token: str | None = None) -> list[str]:
    """The Rasa server as scripts/run.sh starts it (bot/server.py): this machine only, the REST and
    widget channels, our endpoints; with ``api_token``, Rasa's HTTP API is on and needs that token."""
    return [
        PYTHON,
        "-m",
        "bot.server",
        "--model",
        str(model),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--credentials",
        "credentials.yml",
        "--endpoints",
        "endpoints.yml",
        *(["--enable-api", "--auth-token", api_token] if api_token else []),
    ]


def actions_command(port: int) -> list[str]:
    """The action server as scripts/run.sh starts it (bot/action_server.py: this machine only)."""
    return [PYTHON, "-m", "bot.action_server", "--port", str(port)]


def _endpoints_for_rasa_test(folder: Path, action_url: str, token: str | None = None) -> Path:
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: {action_url}\n" + (f"  token: {token}\n" if token else "")
    )
    return endpoints


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
    env = {
        "TRACKER_DATABASE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "LOCK_STORE": "in_memory",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        **(env or {}),
    }
    assistant = Assistant(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=action_url,
        tracker_url=env["TRACKER_DATABASE_URL"],
        endpoints=_endpoints_for_rasa_test(folder, action_url, env.get("ACTION_SERVER_TOKEN")),
        folder=folder,
        env=bench_env(ACTION_ENDPOINT_URL=action_url, **env),
        commands={"actions": actions_command(action_port), "rasa": rasa_command(model, rasa_port, api_token)},
        health={
            "actions": f"http://127.0.0.1:{action_port}/health",
            "rasa": f"http://127.0.0.1:{rasa_port}/",
        },
    )
    try:
        # Both start at once; the action server is up long before Rasa has loaded its model.
        assistant.start("actions", "rasa")
        yield assistant
    finally:
        assistant.stop_all()


NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _upstreams(ports: list[int]) -> str:
    return " ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)


def nginx_config(
    folder: Path, rasa_port: int, action_port: int, rasa_ports: list[int], action_ports: list[int]
) -> Path:
    """deploy/nginx.conf.template filled in, in ``folder``, as scripts/run.sh fills it with envsubst."""
    values = {
        "NGINX_DIR": str(folder),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "RASA_UPSTREAMS": _upstreams(rasa_ports),
        "ACTION_UPSTREAMS": _upstreams(action_ports),
    }
    config = folder / "nginx.conf"
    config.write_text(re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m[1]], NGINX_TEMPLATE.read_text()))
    return config


@contextmanager
def running_cluster(
    folder: Path,
    tracker_url: str,
    processes: int = 2,
    model: Path = MODEL,
    env: dict[str, str] | None = None,
    redis: tuple[str, int] = ("127.0.0.1", 6379),
) -> Iterator[Assistant]:
    """``processes`` Rasa servers and as many action servers behind nginx, as ``make run-cluster`` runs
    them: one PostgreSQL tracker store (``tracker_url``) and a Redis lock store (bot/lock_store.py) shared
    by all.
    ``rasa_url`` is nginx's address; each server is also reachable by name (``rasa-1``, ...)."""
    if not Path(NGINX).exists():
        raise FileNotFoundError(f"nginx is not installed ({NGINX}): run scripts/system_packages.sh nginx")
    rasa_port, action_port = free_port(), free_port()
    rasa_ports = [free_port() for _ in range(processes)]
    action_ports = [free_port() for _ in range(processes)]
    action_url = f"http://127.0.0.1:{action_port}/webhook"
    env = {
        "TRACKER_DATABASE_URL": tracker_url,
        "LOCK_STORE": "bot.lock_store.AtomicRedisLockStore",
        "TICKET_LOCK_LIFETIME": "30",  # as scripts/run.sh sets it for a cluster
        "REDIS_HOST": redis[0],
        "REDIS_PORT": str(redis[1]),
        **(env or {}),
    }
    commands, health = {}, {}
    for i, port in enumerate(action_ports, 1):
        commands[f"actions-{i}"] = actions_command(port)
        health[f"actions-{i}"] = f"http://127.0.0.1:{port}/health"
    for i, port in enumerate(rasa_ports, 1):
        commands[f"rasa-{i}"] = rasa_command(model, port)
        health[f"rasa-{i}"] = f"http://127.0.0.1:{port}/"
    nginx_dir = folder / "nginx"
    nginx_dir.mkdir()
    config = nginx_config(nginx_dir, rasa_port, action_port, rasa_ports, action_ports)
    commands["nginx"] = [NGINX, "-c", str(config), "-p", str(nginx_dir)]
    health["nginx"] = f"http://127.0.0.1:{action_port}/health"
    assistant = Assistant(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=action_url,
        tracker_url=tracker_url,
        endpoints=_endpoints_for_rasa_test(folder, action_url),
        folder=folder,
        env=bench_env(ACTION_ENDPOINT_URL=action_url, **env),
        commands=commands,
        health=health,
    )
    try:
        assistant.start(*commands)
        yield assistant
    finally:
        assistant.stop_all()


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
