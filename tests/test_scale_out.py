"""Scaling out on standard parts: two Rasa servers and two action servers behind nginx, as
``make run-cluster`` runs them, sharing a PostgreSQL tracker store (a server of the tests' own) and a
Redis lock store (bot/lock_store.py). One conversation served by both in turn keeps its order and loses
nothing, and killing a server in the middle of a load loses no conversation."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from bench.common import cpu_seconds
from bench.load import check_stored, run_load, stored_conversations
from bench.scale_out import kill_mid_load
from deploy.launcher import Assistant, running_cluster
from tests.conftest import e2e_catalog, missing, postgres_server_or_skip, redis_or_skip, require_model

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    require_model()
    redis = redis_or_skip()
    folder = tmp_path_factory.mktemp("cluster")
    env = {"DATABASE_URL": e2e_catalog(folder), "POSTCODES_API_URL": "", "APPRENTICESHIPS_API_URL": ""}
    postgres = postgres_server_or_skip()
    postgres.start()
    try:
        conversations = postgres.create_database("conversations")
        try:
            with running_cluster(folder, conversations, env=env, redis=redis) as started:
                yield started
        except FileNotFoundError as no_nginx:
            missing(str(no_nginx))
    finally:
        postgres.stop()
        postgres.remove()


def _say(cluster: Assistant, server: str | None, sender: str, text: str) -> str:
    """What one Rasa server (or nginx, with ``None``) answers, as text."""
    replies = cluster.say(sender, text, timeout=120, server=server)
    return "\n".join(m.get("text", "") for m in replies)


def test_one_conversation_served_by_each_rasa_server_in_turn_keeps_its_order(cluster: Assistant):
    sender = uuid.uuid4().hex
    assert "nurse" in _say(cluster, "rasa-1", sender, "what does a nurse do").lower()
    # The second server knows which career the first one talked about: the conversation is shared.
    assert "pay for an adult nurse" in _say(cluster, "rasa-2", sender, "how much do they earn").lower()
    texts = ["what subjects help", "can i do it without uni", "what does a vet do", "how much do they earn"]
    replies = [_say(cluster, f"rasa-{1 + i % 2}", sender, text) for i, text in enumerate(texts)]
    assert "pay for a vet" in replies[-1].lower()
    stored = stored_conversations(cluster.tracker_url, [sender])[sender]
    said = [text for kind, text in stored if kind == "user"]
    assert said == ["what does a nurse do", "how much do they earn", *texts]


def test_messages_of_one_conversation_sent_to_both_servers_at_once_are_answered_one_after_the_other(
    cluster: Assistant,
):
    sender = uuid.uuid4().hex
    texts = ["what does an electrician do", "how much do they earn", "what hours do they work", "thanks"] * 2
    with ThreadPoolExecutor(len(texts)) as pool:
        replies = list(
            pool.map(lambda it: _say(cluster, f"rasa-{1 + it[0] % 2}", sender, it[1]), enumerate(texts))
        )
    assert all(replies)
    stored = stored_conversations(cluster.tracker_url, [sender])[sender]
    kinds = [kind for kind, _ in stored]
    # Every message is stored once, and each is answered before the next one starts: the Redis lock
    # store lets only one server at a time work on a conversation.
    assert sorted(text for kind, text in stored if kind == "user") == sorted(texts)
    assert kinds[0] == "user" and kinds[-1] == "bot"
    assert "user" not in [b for a, b in zip(kinds, kinds[1:], strict=False) if a == "user"]


def test_nginx_shares_students_between_both_servers_and_nothing_is_lost(cluster: Assistant):
    before = {name: cpu_seconds(cluster.procs[name].pid) for name in ("rasa-1", "rasa-2")}
    result = run_load(cluster.rasa_url, conversations=16, turns=10, concurrency=8)
    assert result.errors == []
    stored = check_stored(cluster.tracker_url, result)
    assert stored["user_events"] == 160 and stored["conversations_out_of_order"] == 0
    worked = {name: cpu_seconds(cluster.procs[name].pid) - before[name] for name in before}
    assert min(worked.values()) > 0.25 * max(worked.values()), worked


def test_killing_a_rasa_server_and_an_action_server_mid_load_loses_no_conversation(cluster: Assistant):
    result = kill_mid_load(cluster, conversations=24, concurrency=8)
    assert "rasa-1" not in cluster.procs and "actions-2" not in cluster.procs
    # nginx sent each message that found its server gone to the other one: no student saw an error.
    assert result.errors == []
    stored = check_stored(cluster.tracker_url, result)
    assert stored["lost_messages"] == stored["conversations_out_of_order"] == 0, stored
    # A message stored twice would need its server to die between storing it and answering it.
    assert stored["duplicated_messages"] <= 1, stored
    # Both come back and take their share again.
    cluster.start("rasa-1", "actions-2")
    sender = uuid.uuid4().hex
    assert "nurse" in _say(cluster, "rasa-1", sender, "what does a nurse do").lower()
    assert "pay for an adult nurse" in _say(cluster, None, sender, "how much do they earn").lower()


def test_a_message_queued_behind_one_whose_server_died_is_answered_by_the_other(cluster: Assistant):
    sender = uuid.uuid4().hex
    _say(cluster, "rasa-2", sender, "what does a vet do")
    in_flight = threading.Thread(
        target=_say_and_ignore_failure, args=(cluster, "rasa-1", sender, "what does a nurse do")
    )
    in_flight.start()
    held = redis.Redis(*redis_or_skip(), db=1)  # Rasa's lock store's database
    deadline = time.monotonic() + 10
    while not held.exists(f"lock:{sender}"):  # the first server has taken the conversation's lock
        assert time.monotonic() < deadline
        time.sleep(0.01)
    cluster.kill("rasa-1")
    in_flight.join()
    try:
        started = time.monotonic()
        # Waits for the dead server's hold on the conversation to lapse (30 s), then is answered.
        assert "pay for a vet" in _say(cluster, "rasa-2", sender, "how much do they earn").lower()
        assert time.monotonic() - started < 45
    finally:
        cluster.start("rasa-1")


def _say_and_ignore_failure(cluster: Assistant, server: str, sender: str, text: str) -> None:
    try:
        _say(cluster, server, sender, text)
    except requests.RequestException:
        pass  # its server was killed
