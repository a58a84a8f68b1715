"""Deleting conversations: those older than the retention period (``RETENTION_MONTHS``, default 12),
and one conversation on request, by its chat id: the student's "Delete my chat" in the widget, or an
administrator's ``python -m analytics forget``.

A conversation is everything stored under one chat id (sender id): Rasa's events and the analytics rows
derived from them, reviews included, and its handovers to a careers adviser with their messages. A chat
is deleted once its latest message is older than the retention period; the widget starts a new chat id
after 12 hours (7 days while a handover waits for its answer), so in practice every chat is short.

A student's request is refused for a chat in which a message signalled a risk: safeguarding overrides
it, and that chat stays for the school's safeguarding lead until the retention period ends, whatever the
browser asks. A deleted chat id is remembered for an hour (``analytics_forgotten``), so that the analytics
worker, which may be deriving that chat's turns at that moment, deletes what it added and adds no more.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

import settings
from analytics import handover
from analytics.models import Conversation, Fact, ForgottenChat, Review, Turn
from analytics.sync import EVENTS
from contract import RISK_INTENT

SECONDS_PER_MONTH = 365.25 / 12 * 24 * 3600
FORGOTTEN_FOR_S = 3600
ID_KEEPER = "(deleted)"  # the sender and type of the row that keeps SQLite's newest event id in use


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


def forget_chat(engine: Engine, sender_id: str, now: float | None = None) -> bool:
    """Delete a chat everywhere it is stored, as its student asked; False (and nothing deleted) for a
    chat in which a message signalled a risk, which stays for the safeguarding lead."""
    with engine.begin() as conn:
        if sa.inspect(conn).has_table("events"):
            risky = sa.select(EVENTS.c.id).where(
                EVENTS.c.sender_id == sender_id,
                EVENTS.c.type_name == "user",
                EVENTS.c.intent_name == RISK_INTENT,
            )
            if (
                conn.execute(risky.limit(1)).first()
                or conn.execute(
                    sa.select(Turn.id).where(Turn.sender_id == sender_id, Turn.risk.is_not(None)).limit(1)
                ).first()
            ):
                return False
            _delete(conn, [sender_id])
        else:  # no Rasa events yet: only what the web app stored
            handover.delete_for(conn, [sender_id])
        conn.execute(sa.delete(ForgottenChat).where(ForgottenChat.sender_id == sender_id))
        conn.execute(sa.insert(ForgottenChat).values(sender_id=sender_id, at=now or time.time()))
    return True


def finish_forgetting(engine: Engine, now: float | None = None) -> None:
    """Delete again whatever was stored for a chat deleted in the last hour (a derivation under way, or a
    message on its way to Rasa, when it was deleted), then forget the chat ids older than that."""
    with engine.begin() as conn:
        senders = list(conn.execute(sa.select(ForgottenChat.sender_id)).scalars())
        if senders and sa.inspect(conn).has_table("events"):
            _delete(conn, senders)
        cutoff = (now or time.time()) - FORGOTTEN_FOR_S
        conn.execute(sa.delete(ForgottenChat).where(ForgottenChat.at < cutoff))


def _delete(conn: Connection, senders: list[str]) -> int:
    handover.delete_for(conn, senders)
    conversations = sa.select(Conversation.id).where(Conversation.sender_id.in_(senders))
    conn.execute(sa.delete(Review).where(Review.conversation_id.in_(conversations)))
    for table in (Fact, Turn, Conversation):
        conn.execute(sa.delete(table).where(table.sender_id.in_(senders)))
    newest = conn.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar()
    deleted = conn.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(senders))).rowcount
    _keep_newest_id(conn, newest)
    return deleted


def _keep_newest_id(conn: Connection, newest: int | None) -> None:
    """SQLite gives a new row the largest id in the table plus one, so deleting the newest events would
    let the next chat's events take ids the analytics worker has already read past, and the dashboard
    would never see them. When the newest event was deleted, a row with its id and nothing else stays
    in its place (PostgreSQL's sequence never goes back, so it needs none)."""
    if conn.dialect.name != "sqlite" or newest is None:
        return
    if conn.execute(sa.select(EVENTS.c.id).where(EVENTS.c.id == newest)).first() is None:
        conn.execute(
            sa.insert(EVENTS).values(
                id=newest, sender_id=ID_KEEPER, type_name=ID_KEEPER, timestamp=time.time()
            )
        )
