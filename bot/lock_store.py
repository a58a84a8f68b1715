"""Rasa's Redis lock store, made safe for several Rasa servers at once.

Rasa keeps one conversation's messages in order with a ticket lock: each message takes a numbered
ticket and waits until the tickets before it are done. Rasa Open Source's ``RedisLockStore`` keeps that
lock in Redis but changes it by reading it, changing it in memory and writing it back, so two Rasa
servers that take a ticket for the same conversation at the same moment can both get the same number,
or one can delete the lock the other has just joined. Then both work on the conversation at once, and
one of them overwrites the other's events (a known issue: RasaHQ/rasa#9213). Tried here: eight
messages of one conversation sent at once, half to each of two servers, ten times over; with Rasa's own
class 2 of the 80 messages were never stored, with this one none (tests/test_scale_out.py checks it).

``AtomicRedisLockStore`` is the same lock store, in the same Redis keys, with each of those changes
made under a short Redis mutex (redis-py's lock: ``SET NX`` with an expiry, released by a script), so
that they happen one at a time across every server. A server that dies holding the mutex frees it
after ``MUTEX_EXPIRY_S``; a ticket it held lapses after the lock lifetime (TICKET_LOCK_LIFETIME).

It fixes one more thing. In Rasa's own, a ticket's lifetime runs while it waits, so a message queued
behind one whose server died lapses at about the same moment as the dead ticket, and is then never
served: it waits until Rasa's web server gives up on the request after 60 s, and the student gets no
answer (seen here, every time). Here a waiting ticket is kept alive, so it is served as soon as the
dead one lapses.

endpoints.yml names this class in ``lock_store`` when LOCK_STORE is set to it (``make run-cluster``).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.lock import Lock

MUTEX_EXPIRY_S = 10  # far longer than a change to a lock takes (a few Redis round trips)


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket changes are atomic across processes."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        # Rasa builds a lock store named by module path from its endpoint configuration.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _mutex(self, conversation_id: str) -> Lock:
        return self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_EXPIRY_S,
            sleep=0.005,
            blocking_timeout=MUTEX_EXPIRY_S,
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        while True:
            with self._mutex(conversation_id):
                lock = self.get_lock(conversation_id)
                waiting = lock._ticket_for_ticket_number(ticket) if lock else None  # drops lapsed ones
                if lock is None or waiting is None:
                    raise LockError(f"The lock on conversation '{conversation_id}' lapsed.")
                if not lock.is_locked(ticket):
                    return lock
                waiting.expires = time.time() + LOCK_LIFETIME  # keep its place in the queue
                self.save_lock(lock)
            await asyncio.sleep(wait_time_in_seconds)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
