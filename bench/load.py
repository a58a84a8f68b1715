"""A bounded load test: many students holding ten-turn conversations at once over the REST channel,
on this machine only, stopping by itself. Afterwards every event is counted in the tracker store: a
message that was sent but not stored, or a reply that never came, is a failure.

``python -m bench.load`` runs 200 conversations of 10 turns, 20 at a time, against an assistant it
starts (SQLite tracker store). ``run_load`` runs any size against any running assistant.
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

from bench.common import percentiles, report, running_assistant

# Ten turns each, as students write them: careers, follow-ups, subjects, the quiz, opportunities.
SCRIPTS = [
    [
        "hi",
        "what does a software developer do",
        "how much do they earn",
        "what subjects help",
        "can i do it without uni",
        "what hours do they work",
        "any similar jobs",
        "what does a nurse do",
        "how do i become one",
        "thanks",
    ],
    [
        "i like maths and computers",
        "tech careers only",
        "what does a data analyst do",
        "how much does it pay",
        "is it a growing field",
        "compare data analyst and software developer",
        "save this one",
        "show my plan",
        "is tech only for boys",
        "bye",
    ],
    [
        "i have no idea what i want to do",
        '/quiz_answer{"quiz_choice": "love"}',
        '/quiz_answer{"quiz_choice": "ok"}',
        '/quiz_answer{"quiz_choice": "no"}',
        "how much does a vet earn",
        '/quiz_answer{"quiz_choice": "love"}',
        "stop the quiz",
        "any work experience near L3",
        "apprenticeships only",
        "thanks",
    ],
    [
        "how much do they get paid",
        "electrician",
        "what gcses do i need",
        "whats a t level",
        "what does a plumber do",
        "can girls be engineers",
        "meet some role models",
        "what does a cyber security analyst do",
        "what skills do i need",
        "bye",
    ],
]


@dataclass
class LoadResult:
    conversations: int
    turns: int
    concurrency: int
    wall_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        sent = self.conversations * self.turns
        return {
            "conversations": self.conversations,
            "turns_each": self.turns,
            "concurrent": self.concurrency,
            "messages": sent,
            "errors": len(self.errors),
            "throughput_msgs_per_s": round(sent / self.wall_s, 1),
            "latency": percentiles(self.latencies_ms),
        }


def run_load(
    rasa_url: str,
    conversations: int,
    turns: int = 10,
    concurrency: int = 20,
    scripts: list[list[str]] = SCRIPTS,
) -> LoadResult:
    """Hold ``conversations`` conversations of ``turns`` messages (from ``scripts``, repeated if
    shorter), ``concurrency`` at a time."""
    rng = random.Random(11)
    plans = [(uuid.uuid4().hex, rng.choice(scripts)) for _ in range(conversations)]
    result = LoadResult(conversations, turns, concurrency, 0.0, senders=[s for s, _ in plans])

    def converse(plan: tuple[str, list[str]]) -> None:
        sender, script = plan
        with requests.Session() as http:
            for text in itertools.islice(itertools.cycle(script), turns):
                started = time.perf_counter()
                try:
                    reply = http.post(
                        f"{rasa_url}/webhooks/rest/webhook",
                        json={"sender": sender, "message": text},
                        timeout=60,
                    )
                    ok = reply.status_code == 200 and bool(reply.json())
                    problem = f"{sender}: {text!r} got {reply.status_code} {reply.text[:80]!r}"
                except requests.RequestException as error:
                    ok, problem = False, f"{sender}: {text!r} failed: {error}"
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                if not ok:
                    result.errors.append(problem)

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(converse, plans))
    result.wall_s = time.monotonic() - started
    return result


def count_stored(tracker_url: str, senders: list[str]) -> dict[str, int]:
    """Student messages and replies stored for these senders, and senders with fewer than expected."""
    engine = sa.create_engine(tracker_url, future=True)
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for start in range(0, len(senders), 500):
            rows = conn.execute(
                sa.text(
                    "select type_name, count(*) from events where sender_id in :senders "
                    "and type_name in ('user', 'bot') group by type_name"
                ).bindparams(sa.bindparam("senders", expanding=True)),
                {"senders": senders[start : start + 500]},
            )
            for kind, n in rows:
                counts[kind] = counts.get(kind, 0) + n
    engine.dispose()
    return {"user_events": counts.get("user", 0), "bot_events": counts.get("bot", 0)}


def main(conversations: int = 200, turns: int = 10, concurrency: int = 20) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as assistant:
        result = run_load(assistant.rasa_url, conversations, turns, concurrency)
        stored = count_stored(assistant.tracker_url, result.senders)
    figures = result.figures() | stored
    figures["lost_messages"] = conversations * turns - stored["user_events"]
    figures["first_errors"] = result.errors[:5]
    return report("load", figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    main(args.conversations, args.turns, args.concurrency)
