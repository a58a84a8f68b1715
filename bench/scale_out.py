"""Scaling out: the same load against one Rasa server and action server, and against two of each
behind nginx (as ``make run-cluster`` runs them), both on a PostgreSQL tracker store; then the same
load on the two while one Rasa server and one action server are killed in the middle of it. Every
stored message is counted afterwards.

    python -m bench.scale_out [--conversations N] [--concurrency N]

Needs PostgreSQL (TEST_POSTGRES_URL, default this machine's), Redis (127.0.0.1:6379) and nginx.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from pathlib import Path
from typing import Any

from bench.common import postgres_database, report, rss_mb
from bench.load import LoadResult, check_stored, run_load
from deploy.launcher import Assistant, running_assistant, running_cluster

TURNS = 10


def _figures(result: LoadResult, tracker_url: str) -> dict[str, Any]:
    return result.figures() | check_stored(tracker_url, result) | {"first_errors": result.errors[:3]}


def kill_mid_load(cluster: Assistant, conversations: int, concurrency: int) -> LoadResult:
    """Run a load on ``cluster`` and kill ``rasa-1`` and ``actions-2`` (SIGKILL, as a crash would) once
    a quarter of its messages have been answered."""
    quarter = threading.Event()
    total = conversations * TURNS

    def on_reply(answered: int) -> None:
        if answered >= total // 4:
            quarter.set()

    results: list[LoadResult] = []
    load = threading.Thread(
        target=lambda: results.append(
            run_load(cluster.rasa_url, conversations, TURNS, concurrency, timeout=150, on_reply=on_reply)
        )
    )
    load.start()
    quarter.wait()
    cluster.kill("rasa-1")
    cluster.kill("actions-2")
    load.join()
    return results[0]


def main(conversations: int = 64, concurrency: int = 32) -> dict[str, Any]:
    figures: dict[str, Any] = {"turns_each": TURNS}
    with tempfile.TemporaryDirectory() as tmp:
        one_folder, two_folder = Path(tmp, "one"), Path(tmp, "two")
        one_folder.mkdir(), two_folder.mkdir()
        with (
            postgres_database() as url,
            running_assistant(one_folder, env={"TRACKER_DATABASE_URL": url}) as one,
        ):
            run_load(one.rasa_url, 2, 4, 1)  # warm-up
            figures["one_rasa_server"] = _figures(
                run_load(one.rasa_url, conversations, TURNS, concurrency), url
            )
            figures["one_rasa_server"]["rasa_rss_mb"] = rss_mb(one.procs["rasa"].pid)
        with postgres_database() as url, running_cluster(two_folder, url) as two:
            run_load(two.rasa_url, 4, 4, 2)  # warm-up, both servers
            figures["two_rasa_servers"] = _figures(
                run_load(two.rasa_url, conversations, TURNS, concurrency), url
            )
            figures["two_rasa_servers"]["startup_s"] = dict(two.startup_s)
            killed = kill_mid_load(two, conversations, concurrency)
            figures["two_rasa_servers_one_killed_mid_load"] = _figures(killed, url)
    figures["throughput_two_to_one"] = round(
        figures["two_rasa_servers"]["throughput_msgs_per_s"]
        / figures["one_rasa_server"]["throughput_msgs_per_s"],
        2,
    )
    return report("scale_out", figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    main(args.conversations, args.concurrency)
