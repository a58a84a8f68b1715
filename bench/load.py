"""A bounded load test: many students holding ten-turn conversations at once over the REST channel,
on this machine only, stopping by itself. Afterwards every event is counted in the tracker store: a
message that was sent but not stored, or a reply that never came, is a failure.

``python -m bench.load`` runs 200 conversations of 10 turns, 20 at a time, against an assistant it
starts (SQLite tracker store). ``run_load`` runs any size against any running assistant.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

from bench.common import percentiles, report
from deploy.launcher import running_assistant

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
    sent: dict[str, list[str]] = field(default_factory=dict)  # each conversation's messages, in order

    @property
    def senders(self) -> list[str]:
        return list(self.sent)

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
    timeout: float = 60,
    on_reply: Callable[[int], None] | None = None,
) -> LoadResult:
    """Hold ``conversations`` conversations of ``turns`` messages (from ``scripts``, repeated if
    shorter), ``concurrency`` at a time; a reply that takes longer than ``timeout`` seconds is an
    error. ``on_reply`` is called with the number of replies so far after each one."""
    rng = random.Random(11)
    plans = [
        (uuid.uuid4().hex, list(itertools.islice(itertools.cycle(rng.choice(scripts)), turns)))
        for _ in range(conversations)
    ]
    result = LoadResult(conversations, turns, concurrency, 0.0, sent=dict(plans))
    counting = threading.Lock()

    def converse(plan: tuple[str, list[str]]) -> None:
        sender, script = plan
        with requests.Session() as http:
            for text in script:
                started = time.perf_counter()
                try:
                    reply = http.post(
                        f"{rasa_url}/webhooks/rest/webhook",
                        json={"sender": sender, "message": text},
                        timeout=timeout,
                    )
                    ok = reply.status_code == 200 and bool(reply.json())
                    problem = f"{sender}: {text!r} got {reply.status_code} {reply.text[:80]!r}"
                except requests.RequestException as error:
                    ok, problem = False, f"{sender}: {text!r} failed: {error}"
                with counting:
                    result.latencies_ms.append((time.perf_counter() - started) * 1000)
                    if not ok:
                        result.errors.append(problem)
                    if on_reply:
                        on_reply(len(result.latencies_ms))

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(converse, plans))
    result.wall_s = time.monotonic() - started
    return result


def stored_conversations(tracker_url: str, senders: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Each conversation's stored user and bot events, in the order they were stored: (``user`` or
    ``bot``, text)."""
    engine = sa.create_engine(tracker_url, future=True)
    stored: dict[str, list[tuple[str, str]]] = {sender: [] for sender in senders}
    with engine.connect() as conn:
        for start in range(0, len(senders), 500):
            rows = conn.execute(
                sa.text(
                    "select sender_id, type_name, data from events where sender_id in :senders "
                    "and type_name in ('user', 'bot') order by id"
                ).bindparams(sa.bindparam("senders", expanding=True)),
                {"senders": senders[start : start + 500]},
            )
            for sender, kind, data in rows:
                stored[sender].append((kind, json.loads(data).get("text") or ""))
    engine.dispose()
    return stored


def check_stored(tracker_url: str, result: LoadResult) -> dict[str, int]:
    """What the tracker store holds of a load run: every user and bot event counted, and messages
    lost (sent but not stored), stored twice, or stored out of the order they were sent in."""
    stored = stored_conversations(tracker_url, result.senders)
    figures = {"user_events": 0, "bot_events": 0, "lost_messages": 0, "duplicated_messages": 0}
    figures["conversations_out_of_order"] = 0
    for sender, sent in result.sent.items():
        said = [text for kind, text in stored[sender] if kind == "user"]
        figures["user_events"] += len(said)
        figures["bot_events"] += len(stored[sender]) - len(said)
        figures["lost_messages"] += max(0, len(sent) - len(said))
        figures["duplicated_messages"] += max(0, len(said) - len(sent))
        # Sent one after the other, so stored in the same order (a message stored twice, when a server
        # died between storing and answering it, is stored twice in a row).
        once = [text for i, text in enumerate(said) if i == 0 or text != said[i - 1]]
        figures["conversations_out_of_order"] += once != sent
    return figures


def main(conversations: int = 200, turns: int = 10, concurrency: int = 20) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as assistant:
        result = run_load(assistant.rasa_url, conversations, turns, concurrency)
        stored = check_stored(assistant.tracker_url, result)
    figures = result.figures() | stored | {"first_errors": result.errors[:5]}
    return report("load", figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    main(args.conversations, args.turns, args.concurrency)
