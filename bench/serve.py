"""Serving figures: start-up time of the Rasa and action servers, and reply latency over the REST
channel for one simulated student holding realistic multi-turn conversations.
With ``--train``, also times a full training run from scratch (into a temporary folder)."""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import requests

from bench.common import RASA, ROOT, bench_env, percentiles, report, running_assistant

CONVERSATIONS = [
    [
        "hi",
        "wat does a sofware enginer do",
        "and how much do they get paid?",
        "what subjects would help with that?",
        "thanks",
    ],
    ["how much does a web developer earn", "can i do it without uni", "what hours do they work", "bye"],
    ["tell me about cyber security jobs", "what skills do u need", "any similar jobs", "network engineer"],
    ["how much do they earn", "electrician", "how do i get into it", "is it a growing field"],
    ["can you get paid to be a hacker", "what gcses do i need", "purple monkey dishwasher", "nurse"],
]


def time_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.monotonic()
        subprocess.run(
            [RASA, "train", "--force", "--out", out, "--fixed-model-name", "bench"],
            cwd=ROOT,
            env=bench_env(),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.monotonic() - start


def main(rounds: int = 20, train: bool = False) -> dict:
    figures: dict = {}
    if train:
        figures["training_time_s"] = round(time_training(), 1)
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as assistant:
        figures.update(assistant.startup_s)
        url = f"{assistant.rasa_url}/webhooks/rest/webhook"
        session = requests.Session()
        timings, errors = [], 0
        for _ in range(rounds):
            for conversation in CONVERSATIONS:
                sender = uuid.uuid4().hex
                for text in conversation:
                    start = time.perf_counter()
                    reply = session.post(url, json={"sender": sender, "message": text}, timeout=30)
                    timings.append((time.perf_counter() - start) * 1000)
                    errors += not (reply.ok and reply.json())
        figures["reply_latency_one_client"] = percentiles(timings[len(CONVERSATIONS) :])  # after warm-up
        figures["errors"] = errors
    return report("serve", figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--train", action="store_true", help="also time a full training run")
    args = parser.parse_args()
    main(rounds=args.rounds, train=args.train)
