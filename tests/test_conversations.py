"""The blind conversations of issue J (bench/data/conversations_blind/), written by a helper who never saw
the training data, through the real Rasa server and action server: students' follow-ups, answers to the
assistant's own questions, two questions in one message, interruptions and topic switches.

Each part must keep passing at least as often as it did when this test was last set (the sealed part's
figure was read once, as a total, and never tuned on). ``python -m bench.conversations`` prints the same
figures, and for the tuning part, each failed turn."""

from __future__ import annotations

import pytest

from bench.conversations import BLIND, Runner, figures, load
from deploy.launcher import Assistant

pytestmark = pytest.mark.e2e

# The share of conversations in which every turn got the answer its writer expected, a little below
# what `python -m bench.conversations` measured on 5 December 2026 (tuning 0.84, sealed 0.74; issue J's
# target for the sealed part is 0.95), so that a model trained on another machine may differ slightly.
FLOORS = {"tuning": 0.78, "sealed": 0.68}


@pytest.mark.parametrize("part", ["tuning", "sealed"])
def test_blind_conversations_keep_passing(servers: Assistant, part: str):
    conversations = load(BLIND / part / "conversations.yml")
    results = Runner(servers.rasa_url, servers.env["RASA_API_TOKEN"]).run(conversations)
    measured = figures(conversations, results, sealed=part == "sealed")
    print(part, {k: v for k, v in measured.items() if k != "failed"})
    assert measured["pass_rate"] >= FLOORS[part], measured.get("failed", "sealed: totals only")
