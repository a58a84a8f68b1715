"""Serving figures: start-up time and memory of the Rasa and action servers, and reply latency and
throughput over the REST channel with 1, 8 and 32 simulated students holding multi-turn conversations
at once. The same is measured, in the same run, for a bare ``rasa init`` assistant, and the ratios of the
p95 latencies and of the throughputs are reported (issue J's targets: p95 within 1.5 times the bare
assistant's at 1 and at 8 students, and at 8 students at least 80% of its throughput).
With ``--train``, also times a full training run from scratch (into a temporary folder)."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.common import RASA, ROOT, report, rss_mb
from bench.load import run_load
from deploy.launcher import child_env, free_port, running_assistant, wait_until_up
from deploy.model_cache import from_cache_or_train

CONCURRENCY = (1, 8, 32)
TARGETS = {"p95_ratio_at_most": 1.5, "throughput_ratio_at_8_at_least": 0.8}
# The bare assistant knows greetings, moods and goodbyes only: conversations it can hold.
BARE_SCRIPTS = [
    ["hi", "i am great", "bye"],
    ["hello", "very sad", "yes", "goodbye"],
    ["hey there", "not good", "no", "see you"],
    ["good morning", "perfect", "are you a bot?", "bye"],
]


def time_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.monotonic()
        subprocess.run(
            [RASA, "train", "--force", "--out", out, "--fixed-model-name", "bench"],
            cwd=ROOT,
            env=child_env(),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.monotonic() - start


def latency_levels(rasa_url: str, rounds: int, scripts: list[list[str]] | None = None) -> dict[str, Any]:
    """p50/p95/p99, throughput and errors at each level of concurrency, after one warm-up round."""
    kwargs = {"scripts": scripts} if scripts else {}
    run_load(rasa_url, conversations=2, turns=4, concurrency=1, **kwargs)  # warm-up
    levels = {}
    for concurrency in CONCURRENCY:
        result = run_load(rasa_url, max(rounds, concurrency * 2), turns=5, concurrency=concurrency, **kwargs)
        levels[f"{concurrency}_students"] = result.figures()
    return levels


def bare_assistant_levels(folder: Path, rounds: int) -> dict[str, Any]:
    """``rasa init``'s project in ``folder``, with its model (trained, or from the model cache), run it
    and measure it as ours."""
    project = folder / "bare"
    project.mkdir()
    scaffold = "from rasa.cli.scaffold import create_initial_project; create_initial_project('.')"
    subprocess.run([sys.executable, "-c", scaffold], cwd=project, env=child_env(), check=True)

    def train(out: Path) -> None:
        command = [RASA, "train", "--out", str(out.parent), "--fixed-model-name", "bare"]
        subprocess.run(command, cwd=project, env=child_env(), check=True, stdout=subprocess.DEVNULL)

    # The same model as rasa init trains, kept in the model cache: it depends on Rasa's version alone.
    from_cache_or_train(project / "models" / "bare.tar.gz", f"bare-rasa-{version('rasa')}", train)
    port = free_port()
    log_path = folder / "bare.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                RASA,
                "run",
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--credentials",
                "credentials.yml",
            ],
            cwd=project,
            env=child_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", proc, log=log_path)
        return latency_levels(f"http://127.0.0.1:{port}", rounds, BARE_SCRIPTS) | {
            "rasa_rss_mb": rss_mb(proc.pid)
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(rounds: int = 20, train: bool = False, bare: bool = True) -> dict:
    figures: dict = {}
    if train:
        figures["training_time_s"] = round(time_training(), 1)
    with tempfile.TemporaryDirectory() as tmp:
        with running_assistant(Path(tmp)) as assistant:
            figures["startup_s"] = dict(assistant.startup_s)
            figures["ours"] = latency_levels(assistant.rasa_url, rounds)
            figures["memory_rss_mb"] = {name: rss_mb(proc.pid) for name, proc in assistant.procs.items()}
        if bare:
            figures["bare_rasa_init"] = bare_assistant_levels(Path(tmp), rounds)
            figures["p95_ratio_ours_to_bare"] = {
                level: round(
                    figures["ours"][level]["latency"]["p95_ms"]
                    / figures["bare_rasa_init"][level]["latency"]["p95_ms"],
                    2,
                )
                for level in figures["ours"]
            }
            figures["throughput_ratio_ours_to_bare"] = {
                level: round(
                    figures["ours"][level]["throughput_msgs_per_s"]
                    / figures["bare_rasa_init"][level]["throughput_msgs_per_s"],
                    2,
                )
                for level in figures["ours"]
            }
            figures["targets"] = TARGETS
            figures["targets_met"] = {
                "p95_at_1_and_8_students": all(
                    figures["p95_ratio_ours_to_bare"][f"{n}_students"] <= TARGETS["p95_ratio_at_most"]
                    for n in (1, 8)
                ),
                "throughput_at_8_students": figures["throughput_ratio_ours_to_bare"]["8_students"]
                >= TARGETS["throughput_ratio_at_8_at_least"],
            }
    return report("serve", figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--train", action="store_true", help="also time a full training run")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare rasa init assistant")
    args = parser.parse_args()
    main(rounds=args.rounds, train=args.train, bare=not args.no_bare)
