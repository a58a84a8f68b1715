"""The lock store that keeps one conversation's messages in order across several Rasa servers
(bot/lock_store.py), against the real Redis server: each store here stands for one Rasa server."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.lock_store import AtomicRedisLockStore
from tests.conftest import redis_or_skip


@pytest.fixture
def servers() -> list[AtomicRedisLockStore]:
    host, port = redis_or_skip()
    prefix = f"test{uuid.uuid4().hex[:8]}"  # keys of this test's own
    return [AtomicRedisLockStore(host=host, port=port, key_prefix=prefix) for _ in range(4)]


def test_servers_taking_tickets_for_one_conversation_at_once_never_share_a_number(servers):
    conversation = uuid.uuid4().hex
    with ThreadPoolExecutor(16) as pool:
        tickets = list(pool.map(lambda i: servers[i % 4].issue_ticket(conversation, 30), range(64)))
    assert sorted(tickets) == list(range(64))
    held = servers[0].get_lock(conversation)
    assert held is not None and len(held.tickets) == 64


def test_a_message_waiting_behind_a_dead_servers_ticket_is_served_when_that_ticket_lapses(servers):
    conversation = uuid.uuid4().hex
    servers[0].issue_ticket(conversation, lock_lifetime=1)  # its server died: never cleaned up
    waiting = servers[1].issue_ticket(conversation, lock_lifetime=1)  # would lapse with it in Rasa's own

    async def acquire() -> None:
        await asyncio.wait_for(servers[1]._acquire_lock(conversation, waiting, 0.2), timeout=10)

    asyncio.run(acquire())
    servers[1].cleanup(conversation, waiting)
    assert servers[2].get_lock(conversation) is None  # nothing left behind


def test_the_next_message_waits_until_the_one_before_is_done(servers):
    conversation = uuid.uuid4().hex
    first = servers[0].issue_ticket(conversation, 30)
    second = servers[1].issue_ticket(conversation, 30)

    async def scenario() -> None:
        waiter = asyncio.create_task(servers[1]._acquire_lock(conversation, second, 0.05))
        await asyncio.sleep(0.3)
        assert not waiter.done()  # the first message is still being answered
        servers[0].cleanup(conversation, first)
        await asyncio.wait_for(waiter, timeout=5)

    asyncio.run(scenario())
