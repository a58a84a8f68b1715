"""Deleting conversations: those older than the retention period (``RETENTION_MONTHS``, default 12),
and one conversation on request, by its chat id.

A conversation is everything stored under one chat id (sender id): Rasa's events and the analytics rows
derived from them, reviews included. A chat is deleted once its latest message is older than the
retention period; the widget starts a new chat id after 12 hours, so in practice every chat is short.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

import settings
from analytics.models import Conversation, Fact, Review, Turn
from analytics.sync import EVENTS

SECONDS_PER_MONTH = 365.25 / 12 * 24 * 3600


def delete_expired(engine: Engine, months: int | None = None, now: float | None = None) -> int:
    """Delete every chat whose latest message is older than ``months`` (default: the setting); returns
    how many chats were deleted."""
    months = settings.current().retention_months if months is None else months
    cutoff = (now or time.time()) - months * SECONDS_PER_MONTH
    if not sa.inspect(engine).has_table("events"):
        return 0
    with engine.begin() as conn:
        expired = (
            sa.select(EVENTS.c.sender_id)
            .group_by(EVENTS.c.sender_id)
            .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
        )
        senders = list(conn.execute(expired).scalars())
        for start in range(0, len(senders), 500):
            _delete(conn, senders[start : start + 500])
    return len(senders)


def delete_chat(engine: Engine, sender_id: str) -> int:
    """Delete everything stored for one chat id; returns the number of Rasa events deleted (0: unknown)."""
    if not sa.inspect(engine).has_table("events"):
        return 0
    with engine.begin() as conn:
        return _delete(conn, [sender_id])


def _delete(conn: Connection, senders: list[str]) -> int:
    conversations = sa.select(Conversation.id).where(Conversation.sender_id.in_(senders))
    conn.execute(sa.delete(Review).where(Review.conversation_id.in_(conversations)))
    for table in (Fact, Turn, Conversation):
        conn.execute(sa.delete(table).where(table.sender_id.in_(senders)))
    return conn.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(senders))).rowcount
