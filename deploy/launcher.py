"""The one launcher: how the assistant's processes are started, watched and stopped.

``make run`` and ``make run-cluster`` (``python -m deploy run``), the tests' servers and the benchmarks all
start the processes through here, so that they run the same commands with the same environment:

- the action server (``python -m bot.action_server``) and the Rasa server (``python -m bot.server``);
- in a cluster, several of each behind nginx (deploy/nginx.conf.template), sharing a PostgreSQL tracker
  store and a Redis lock store (bot/lock_store.py);
- the web app (``python -m web``) and the analytics worker (``python -m analytics sync --follow``).

Every process reads its settings from the environment (settings/); :func:`child_env` fills in what Rasa's
endpoints.yml needs from the same settings, so that Rasa, the actions and the web app agree.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

from settings import ROOT, Config

PYTHON = sys.executable
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CLUSTER_LOCK_STORE = "bot.lock_store.AtomicRedisLockStore"
# Quiet TensorFlow's start-up chatter, and keep Rasa from sending telemetry.
QUIET = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


def free_port(run: int = 1) -> int:
    """A port on 127.0.0.1 that nothing listens on, with the ``run - 1`` ports after it free too: what
    ``python -m deploy run --cluster`` needs for its servers at RASA_PORT + 1, + 2 and so on."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if all(_bindable(port + n) for n in range(1, run)):
            return port
    raise RuntimeError(f"no run of {run} free ports found on 127.0.0.1")


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a process the launcher starts: this one's, with ``extra`` on top, and the
    values endpoints.yml names worked out from the same settings."""
    env = {**os.environ, **(extra or {})}
    return {**env, **Config.from_mapping(env).environment(), **QUIET}


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


# --- the commands ---------------------------------------------------------------------------------------
def rasa_command(model: Path, port: int, host: str = "127.0.0.1", api_token: str | None = None) -> list[str]:
    """The Rasa server (bot/server.py): the REST and widget channels, our endpoints; with ``api_token``,
    Rasa's HTTP API is on and needs that token."""
    return [
        *(PYTHON, "-m", "bot.server", "--model", str(model), "--interface", host, "--port", str(port)),
        *("--credentials", "credentials.yml", "--endpoints", "endpoints.yml"),
        *(["--enable-api", "--auth-token", api_token] if api_token else []),
    ]


def actions_command(port: int) -> list[str]:
    """The action server (bot/action_server.py)."""
    return [PYTHON, "-m", "bot.action_server", "--port", str(port)]


WEB_COMMAND = [PYTHON, "-m", "web"]
WORKER_COMMAND = [PYTHON, "-m", "analytics", "sync", "--follow"]


def _upstreams(ports: list[int]) -> str:
    return " ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)


def nginx_config(
    folder: Path, rasa_port: int, action_port: int, rasa_ports: list[int], action_ports: list[int]
) -> Path:
    """deploy/nginx.conf.template filled in, in ``folder``: nginx listens on ``rasa_port`` and
    ``action_port`` and shares the work between the servers on the other ports."""
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


# --- running processes ----------------------------------------------------------------------------------
@dataclass
class Assistant:
    """Running processes by name: ``rasa`` and ``actions``, or in a cluster ``rasa-1``, ``rasa-2``,
    ``actions-1``, ... and ``nginx`` in front; ``web`` and ``worker`` when started. ``stop``, ``kill`` and
    ``start`` take one down and bring it back, for tests of what a student sees meanwhile."""

    rasa_url: str  # where students' messages go: the Rasa server, or nginx in front of several
    action_url: str
    tracker_url: str
    endpoints: Path  # an endpoints file pointing at this action server, for `rasa test`
    folder: Path | None  # each process's log goes to folder/NAME.log; None: to this terminal
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
            f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout
        )
        reply.raise_for_status()
        return reply.json()

    def _log(self, name: str) -> IO[str] | None:
        return (self.folder / f"{name}.log").open("a") if self.folder else None

    def start(self, *names: str) -> float:
        """Start these processes at once and wait until each answers; note each one's start-up time in
        ``startup_s`` and return the seconds the slowest took."""
        started = time.monotonic()
        for name in names:
            log = self._log(name)
            self.procs[name] = subprocess.Popen(
                self.commands[name],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT if log else None,
            )
        for name in names:
            if name in self.health:
                log_path = self.folder / f"{name}.log" if self.folder else None
                wait_until_up(self.health[name], self.procs[name], log=log_path)
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


def _endpoints_for_rasa_test(folder: Path, action_url: str, token: str | None = None) -> Path:
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: {action_url}\n" + (f"  token: {token}\n" if token else "")
    )
    return endpoints


def single(
    folder: Path,
    env: Mapping[str, str],
    rasa_port: int,
    action_port: int,
    log_folder: Path | None,
    api_token: str | None = None,
    action_url: str | None = None,
) -> Assistant:
    """One Rasa server and one action server, not started yet; Rasa reaches the actions at ``action_url``
    (default: the action server started here)."""
    action_url = action_url or f"http://127.0.0.1:{action_port}/webhook"
    full_env = child_env({**env, "ACTION_ENDPOINT_URL": action_url})
    config = Config.from_mapping(full_env)
    return Assistant(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=action_url,
        tracker_url=config.conversations_url(),
        endpoints=_endpoints_for_rasa_test(folder, action_url, full_env["ACTION_SERVER_TOKEN"] or None),
        folder=log_folder,
        env=full_env,
        commands={
            "actions": actions_command(action_port),
            "rasa": rasa_command(config.rasa_model, rasa_port, config.rasa_host, api_token),
        },
        health={
            "actions": f"http://127.0.0.1:{action_port}/health",
            "rasa": f"http://127.0.0.1:{rasa_port}/",
        },
    )


def cluster(
    folder: Path,
    env: Mapping[str, str],
    rasa_port: int,
    action_port: int,
    server_ports: tuple[list[int], list[int]],
    log_folder: Path | None,
) -> Assistant:
    """A Rasa server and an action server on each pair of ``server_ports``, behind nginx on ``rasa_port``
    and ``action_port``, with a Redis lock store; not started yet."""
    if not Path(NGINX).exists():
        raise FileNotFoundError(f"nginx is not installed ({NGINX}): run scripts/system_packages.sh nginx")
    rasa_ports, action_ports = server_ports
    action_url = f"http://127.0.0.1:{action_port}/webhook"
    full_env = child_env({"LOCK_STORE": CLUSTER_LOCK_STORE, **env, "ACTION_ENDPOINT_URL": action_url})
    config = Config.from_mapping(full_env)
    commands, health = {}, {}
    for i, port in enumerate(action_ports, 1):
        commands[f"actions-{i}"] = actions_command(port)
        health[f"actions-{i}"] = f"http://127.0.0.1:{port}/health"
    for i, port in enumerate(rasa_ports, 1):
        commands[f"rasa-{i}"] = rasa_command(config.rasa_model, port, config.rasa_host)
        health[f"rasa-{i}"] = f"http://127.0.0.1:{port}/"
    nginx_dir = folder / "nginx"
    nginx_dir.mkdir(parents=True, exist_ok=True)
    nginx = nginx_config(nginx_dir, rasa_port, action_port, rasa_ports, action_ports)
    commands["nginx"] = [NGINX, "-c", str(nginx), "-p", str(nginx_dir)]
    health["nginx"] = f"http://127.0.0.1:{action_port}/health"
    return Assistant(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=action_url,
        tracker_url=config.conversations_url(),
        endpoints=_endpoints_for_rasa_test(folder, action_url),
        folder=log_folder,
        env=full_env,
        commands=commands,
        health=health,
    )


def add_web_app(assistant: Assistant, port: int, extra: Mapping[str, str] | None = None) -> str:
    """Add the web app (on ``port``, talking to the assistant's Rasa) and the analytics worker to the
    processes; return the web app's address."""
    url = f"http://127.0.0.1:{port}"
    web_env = {"WEB_PORT": str(port), "RASA_URL": assistant.rasa_url, **(extra or {})}
    assistant.commands["web"] = WEB_COMMAND
    assistant.commands["worker"] = WORKER_COMMAND
    assistant.health["web"] = f"{url}/health"
    assistant.env = {**assistant.env, **web_env}
    return url


# --- for tests and benchmarks: on free ports, logs in a folder ------------------------------------------
@contextmanager
def running_assistant(
    folder: Path, env: dict[str, str] | None = None, api_token: str | None = None
) -> Iterator[Assistant]:
    """The action server and the Rasa server on free ports, with a fresh SQLite tracker store in
    ``folder`` unless ``env`` names another (TRACKER_DATABASE_URL), logs in ``folder`` and ``env`` added to
    their environment; stopped on exit. With ``api_token``, Rasa's HTTP API is on and needs that token,
    as ``make run`` has it with RASA_API_TOKEN."""
    env = {
        "TRACKER_DATABASE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "LOCK_STORE": "in_memory",
        **(env or {}),
    }
    assistant = single(folder, env, free_port(), free_port(), folder, api_token)
    try:
        assistant.start("actions", "rasa")  # at once: the actions are up long before Rasa's model is
        yield assistant
    finally:
        assistant.stop_all()


@contextmanager
def running_cluster(
    folder: Path,
    tracker_url: str,
    processes: int = 2,
    env: dict[str, str] | None = None,
    redis: tuple[str, int] = ("127.0.0.1", 6379),
) -> Iterator[Assistant]:
    """``processes`` Rasa servers and as many action servers behind nginx, as ``make run-cluster`` runs
    them, sharing one PostgreSQL tracker store (``tracker_url``) and a Redis lock store. ``rasa_url`` is
    nginx's address; each server is also reachable by name (``rasa-1``, ...)."""
    env = {
        "TRACKER_DATABASE_URL": tracker_url,
        "REDIS_HOST": redis[0],
        "REDIS_PORT": str(redis[1]),
        **(env or {}),
    }
    ports = ([free_port() for _ in range(processes)], [free_port() for _ in range(processes)])
    assistant = cluster(folder, env, free_port(), free_port(), ports, folder)
    try:
        assistant.start(*assistant.commands)
        yield assistant
    finally:
        assistant.stop_all()


@contextmanager
def running_web_app(folder: Path, rasa_url: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """The web app (``python -m web``) on a free port, talking to the Rasa server at ``rasa_url``, and the
    analytics worker beside it; yield its address; stop both on exit. Logs go to ``folder``."""
    port = free_port()
    extra = {
        "WEB_APP_URL": f"http://127.0.0.1:{port}",
        "ANALYTICS_SYNC_EVERY_S": "1",  # a test or benchmark looks at the dashboard soon after a chat
        **(env or {}),
    }
    processes = Assistant(
        rasa_url=rasa_url,
        action_url="",
        tracker_url="",
        endpoints=folder,
        folder=folder,
        env=child_env(extra),
        commands={},
        health={},
    )
    url = add_web_app(processes, port, env)
    try:
        processes.start("web", "worker")
        yield url
    finally:
        processes.stop_all()
