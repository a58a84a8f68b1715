"""Whole conversations, as students write them, through the real Rasa server and action server: how
many end with every turn answered as its writer expected.

The conversations (bench/data/conversations_blind/) were written by a helper who never saw the training
data, in a tuning part that may be read while improving the assistant and a sealed part that must not
be: for the sealed part only totals are reported. Each turn says what the student typed and what should
happen: ``reply`` (the kind of answer, see ``bot.actions.messages.REPLIES``), ``career`` (the career the
answer is about; two on a comparison) and ``intent``. A turn passes when the expected kind of answer is
among the messages the assistant sent and they are about the expected career; ``intent`` is checked only
on turns that name no reply (thanks, insults), since the student sees the answer, not the intent. The
stricter figure, with every turn's intent right as well, is reported beside it.

One reply here answers two of the writer's kinds: careers that fit what a student likes, read from the
subjects and the interests in the message together, is what both ``careers_for_subjects`` and
``careers_for_interests`` expect (``SAME_REPLY``).

Replies are known from the metadata each message carries in the conversation's events (the actions'
``messages.about``; domain responses by name), read back through Rasa's HTTP API."""

from __future__ import annotations

import argparse
import json
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

from bench.common import RESULTS, ROOT, report
from bot.actions.messages import REPLIES, REPLY_OF_RESPONSE
from careers_catalog.careers.catalog import Catalog
from deploy.launcher import Assistant, running_assistant

BLIND = ROOT / "bench" / "data" / "conversations_blind"
TARGET = 0.95  # issue J: sealed conversations passing
WORKERS = 4  # conversations at once (each one's turns in order)
SAME_REPLY = {"careers_for_interests": "careers_for_subjects"}


@dataclass
class Turn:
    user: str
    expect: dict[str, Any]
    intent: str | None = None
    replies: list[str] = field(default_factory=list)
    careers: list[str] = field(default_factory=list)  # the careers the replies are about, or the focus
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def strict(self) -> bool:
        return self.passed and ("intent" not in self.expect or self.expect["intent"] == self.intent)


def load(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text())["conversations"]


def _reply_kind(event: dict[str, Any]) -> str:
    metadata = event.get("metadata") or {}
    if metadata.get("reply"):
        return metadata["reply"]
    response = str(metadata.get("utter_action") or "")
    return REPLY_OF_RESPONSE.get(response.split("/")[0], response or "unknown")


class Runner:
    """Sends conversations to a running assistant and judges each turn."""

    def __init__(self, rasa_url: str, api_token: str, catalog: Catalog | None = None):
        self.rasa_url = rasa_url.rstrip("/")
        self.api_token = api_token
        self.catalog = catalog or Catalog()

    def career_id(self, written: str) -> str:
        """The catalogue's id for a career the writer named by their own id ("vet", "games-developer")."""
        match = self.catalog.resolve(written) or self.catalog.resolve(written.replace("-", " "))
        return match.career_id if match else written

    def _events_of_last_turn(self, sender: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        tracker = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker",
            params={"token": self.api_token, "include_events": "ALL"},
            timeout=30,
        )
        tracker.raise_for_status()
        body = tracker.json()
        events = body["events"]
        last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
        return events[last_user:], body.get("slots") or {}

    def turn(self, sender: str, user: str, expect: dict[str, Any]) -> Turn:
        reply = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": user}, timeout=60
        )
        reply.raise_for_status()
        events, slots = self._events_of_last_turn(sender)
        bot = [e for e in events if e["event"] == "bot"]
        turn = Turn(
            user=user,
            expect=expect,
            intent=((events[0].get("parse_data") or {}).get("intent") or {}).get("name"),
            replies=[_reply_kind(e) for e in bot],
            careers=[c for e in bot for c in (e.get("metadata") or {}).get("careers", [])],
        )
        if not turn.careers and slots.get("career"):
            turn.careers = [slots["career"]]
        same = [SAME_REPLY.get(r, r) for r in turn.replies]
        if "reply" in expect and SAME_REPLY.get(expect["reply"], expect["reply"]) not in same:
            turn.problems.append(f"reply {expect['reply']}, got {turn.replies}")
        if "career" in expect:
            wanted = expect["career"] if isinstance(expect["career"], list) else [expect["career"]]
            wanted = [self.career_id(c) for c in wanted]
            if not set(wanted) <= set(turn.careers):
                turn.problems.append(f"career {wanted}, got {turn.careers}")
        if "reply" not in expect and "intent" in expect and expect["intent"] != turn.intent:
            turn.problems.append(f"intent {expect['intent']}, got {turn.intent}")
        return turn

    def conversation(self, conversation: dict[str, Any]) -> list[Turn]:
        sender = f"blind-{uuid.uuid4().hex[:12]}"
        return [self.turn(sender, t["user"], t.get("expect") or {}) for t in conversation["turns"]]

    def run(self, conversations: list[dict[str, Any]]) -> list[list[Turn]]:
        with ThreadPoolExecutor(WORKERS) as pool:
            return list(pool.map(self.conversation, conversations))


def figures(conversations: list[dict[str, Any]], results: list[list[Turn]], sealed: bool) -> dict[str, Any]:
    """Totals; for a set that may be read, also each failed conversation and why."""
    turns = [t for turns in results for t in turns]
    passed = sum(all(t.passed for t in turns) for turns in results)
    out: dict[str, Any] = {
        "conversations": len(results),
        "passed": passed,
        "pass_rate": round(passed / len(results), 4),
        "strict_pass_rate": round(sum(all(t.strict for t in ts) for ts in results) / len(results), 4),
        "turns": len(turns),
        "turn_pass_rate": round(sum(t.passed for t in turns) / len(turns), 4),
        "intent_agreement": round(
            sum(t.expect["intent"] == t.intent for t in turns if "intent" in t.expect)
            / max(1, sum("intent" in t.expect for t in turns)),
            4,
        ),
    }
    if not sealed:
        out["failed"] = [
            {"name": c["name"], "turns": [asdict(t) for t in ts]}
            for c, ts in zip(conversations, results, strict=True)
            if not all(t.passed for t in ts)
        ]
    return out


def run_set(assistant: Assistant, api_token: str, name: str) -> dict[str, Any]:
    """One part of the blind set (``tuning`` or ``sealed``) against a running assistant."""
    conversations = load(BLIND / name / "conversations.yml")
    results = Runner(assistant.rasa_url, api_token).run(conversations)
    unknown = {r for c in conversations for t in c["turns"] for r in [t.get("expect", {}).get("reply")]}
    assert unknown - {None} <= REPLIES, f"replies the assistant never gives: {unknown - REPLIES - {None}}"
    return figures(conversations, results, sealed=name == "sealed")


def main(parts: tuple[str, ...] = ("tuning", "sealed")) -> dict[str, Any]:
    token = uuid.uuid4().hex
    with tempfile.TemporaryDirectory() as folder:
        env = {"POSTCODES_API_URL": "", "APPRENTICESHIPS_API_URL": "", "RASA_API_TOKEN": token}
        with running_assistant(Path(folder), env=env, api_token=token) as assistant:
            measured = {part: run_set(assistant, token, part) for part in parts}
    if "tuning" in measured:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "conversations_tuning_failures.json").write_text(
            json.dumps(measured["tuning"].pop("failed"), indent=1)
        )
    return report("conversations", {**measured, "target_sealed_pass_rate": TARGET})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tuning-only", action="store_true", help="only the part that may be read")
    main(("tuning",) if parser.parse_args().tuning_only else ("tuning", "sealed"))
