"""``python -m deploy run``: start the assistant in the foreground, as ``make run`` and ``make run-cluster``
do; Ctrl-C stops it all. ``python -m deploy shell`` (``make shell``): chat in the terminal.

One Rasa server and one action server on RASA_PORT and ACTION_PORT, or with ``--cluster`` (or
RASA_PROCESSES above 1) several of each behind nginx on those ports, the servers on the ports just above;
then the web app on WEB_PORT and the analytics worker. In a cluster a Rasa or action server that stops is
started again while nginx sends its work to the others; the run ends with nginx or the web app."""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import settings
from deploy.check import cluster_problem
from deploy.launcher import Assistant, add_web_app, cluster, single
from settings import ROOT

DEFAULT_CLUSTER_SIZE = 2


def _plan(config: settings.Config, processes: int, folder: Path) -> tuple[Assistant, str]:
    env: dict[str, str] = {}
    if processes == 1:
        assistant = single(
            folder,
            env,
            config.rasa_port,
            config.action_port,
            None,
            _secret(config.rasa_api_token),
            action_url=config.action_endpoint(),
        )
        what = f"Rasa server on port {config.rasa_port}, action server on port {config.action_port}"
    else:
        tracker = config.conversations_url()
        if not tracker.startswith("postgresql"):
            tracker = config.cluster_database_url  # a cluster's conversations go to PostgreSQL
        problem = cluster_problem(tracker, config.redis_host, config.redis_port)
        if problem:
            raise SystemExit(problem)
        env["TRACKER_DATABASE_URL"] = tracker
        ports = (
            [config.rasa_port + i for i in range(1, processes + 1)],
            [config.action_port + i for i in range(1, processes + 1)],
        )
        assistant = cluster(folder, env, config.rasa_port, config.action_port, ports, None)
        what = (
            f"{processes} Rasa servers and {processes} action servers behind nginx on ports "
            f"{config.rasa_port} and {config.action_port}"
        )
    add_web_app(assistant, config.web_port)
    return assistant, f"{what}, web app on port {config.web_port}"


def _secret(value: settings.SecretStr | None) -> str | None:
    return value.get_secret_value() if value else None


def run(processes: int) -> int:
    config = settings.at_start()
    folder = Path(tempfile.mkdtemp(prefix="careers-run-", dir=config.var_dir))
    assistant, what = _plan(config, processes, folder)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Starting: {what}.", flush=True)
    print(
        "Ctrl-C stops them all. The first start takes a minute or two while Rasa loads its model.", flush=True
    )
    try:
        assistant.start(*assistant.commands)
        print(
            f"Ready. Open http://localhost:{config.web_port}/demo to chat, "
            f"or http://localhost:{config.web_port}/teacher to set up a lesson.",
            flush=True,
        )
        return _watch(assistant, restart=processes > 1)
    except KeyboardInterrupt:
        return 0
    finally:
        assistant.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


def _watch(assistant: Assistant, restart: bool) -> int:
    """Wait until a process the run cannot do without ends; in a cluster, start a Rasa or action server
    that stopped again."""
    while True:
        for name, proc in list(assistant.procs.items()):
            if proc.poll() is None:
                continue
            kind, _, _ = name.partition("-")
            if restart and kind in ("rasa", "actions"):
                port = assistant.commands[name][assistant.commands[name].index("--port") + 1]
                print(f"The {kind} server on port {port} stopped; starting it again.", flush=True)
                assistant.procs.pop(name)
                assistant.start(name)
                continue
            print(f"The {name} process stopped (exit code {proc.returncode}); stopping the rest.", flush=True)
            return proc.returncode or 1
        time.sleep(1)


def shell() -> int:
    """The action server in the background and Rasa's own terminal chat in the foreground."""
    config = settings.at_start()
    folder = Path(tempfile.mkdtemp(prefix="careers-shell-", dir=config.var_dir))
    assistant = single(folder, {}, config.rasa_port, config.action_port, folder)
    try:
        assistant.start("actions")
        rasa = str(Path(sys.executable).parent / "rasa")
        chat = [rasa, "shell", "--model", str(config.rasa_model), "--endpoints", "endpoints.yml"]
        return subprocess.run(chat, cwd=ROOT, env=assistant.env).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        assistant.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_command = commands.add_parser("run", help="start the assistant, the web app and the analytics worker")
    run_command.add_argument("--cluster", action="store_true", help="several Rasa servers behind nginx")
    commands.add_parser("shell", help="chat in the terminal, with the action server running")
    args = parser.parse_args(argv)
    if args.command == "shell":
        return shell()
    configured = settings.at_start().rasa_processes
    processes = max(configured, DEFAULT_CLUSTER_SIZE) if args.cluster else configured
    return run(processes)


if __name__ == "__main__":
    sys.exit(main())
