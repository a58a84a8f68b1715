"""The records of chats handed over to a school's careers advisers, in the conversations database
(``handovers``, ``handover_messages``): asking for a person, an adviser taking the chat, messages both
ways, handing back, and the queue an adviser sees. The web app (web/handover.py) calls these from its
threads and pushes what changed to the open pages.

A handover knows a chat id and the lesson fields, never who the student is. The student's messages are
stored with personal data taken out, as Rasa's copy is; "Delete my chat" and the retention period delete
a handover with the rest of its chat (analytics/retention.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analytics.models import Conversation, Handover, HandoverMessage

WAITING, ACTIVE, CLOSED = "waiting", "active", "closed"
STUDENT, ADVISER, ASSISTANT, NOTE = "student", "adviser", "assistant", "note"
MAX_ADVISER_CHARS = 2000
RECENT_S = 24 * 3600  # a closed handover stays in the queue this long, for the adviser to look back


@dataclass(frozen=True)
class Summary:
    """One handover as the queue and the chat page show it."""

    id: int
    school: str
    sender_id: str
    status: str
    class_code: str
    year_group: int
    risk: bool
    adviser: str
    requested_at: float
    answered_at: float | None
    closed_at: float | None
    updated_at: float
    unanswered: int  # student messages since the latest adviser message


@dataclass(frozen=True)
class Message:
    id: int
    handover_id: int
    author: str
    text: str
    risk: bool
    at: float


def _summary(conn: Connection, row: Any) -> Summary:
    last_answer = (
        sa.select(sa.func.coalesce(sa.func.max(HandoverMessage.id), 0))
        .where(HandoverMessage.handover_id == row.id, HandoverMessage.author == ADVISER)
        .scalar_subquery()
    )
    unanswered = conn.execute(
        sa.select(sa.func.count()).where(
            HandoverMessage.handover_id == row.id,
            HandoverMessage.author == STUDENT,
            HandoverMessage.id > last_answer,
        )
    ).scalar_one()
    return Summary(
        row.id, row.school, row.sender_id, row.status, row.class_code, row.year_group, row.risk,
        row.adviser, row.requested_at, row.answered_at, row.closed_at, row.updated_at, unanswered,
    )  # fmt: skip


def _insert(conn: Connection, handover_id: int, author: str, text: str, risk: bool, now: float) -> int:
    values = {"handover_id": handover_id, "author": author, "text": text, "risk": risk, "at": now}
    return conn.execute(sa.insert(HandoverMessage).values(**values)).inserted_primary_key[0]


def _row(conn: Connection, handover_id: int) -> Any:
    return conn.execute(sa.select(Handover).where(Handover.id == handover_id)).first()


def _newest(conn: Connection, school: str, sender_id: str, open_only: bool) -> Any:
    """The chat's newest handover (only one not closed, with ``open_only``), or None."""
    query = sa.select(Handover).where(Handover.school == school, Handover.sender_id == sender_id)
    if open_only:
        query = query.where(Handover.status != CLOSED)
    return conn.execute(query.order_by(Handover.id.desc()).limit(1)).first()


def open_for(engine: Engine, school: str, sender_id: str) -> Summary | None:
    """The chat's handover that is not closed, if there is one."""
    with engine.connect() as conn:
        row = _newest(conn, school, sender_id, open_only=True)
        return _summary(conn, row) if row else None


def latest_for(engine: Engine, school: str, sender_id: str) -> Summary | None:
    """The chat's newest handover, open or closed: what its browser reads answers from."""
    with engine.connect() as conn:
        row = _newest(conn, school, sender_id, open_only=False)
        return _summary(conn, row) if row else None


def request(
    engine: Engine,
    school: str,
    sender_id: str,
    class_code: str = "",
    year_group: int = 0,
    now: float | None = None,
) -> tuple[Summary, bool]:
    """Ask the school's advisers to take the chat; returns the handover and whether it is new (a chat
    that already has one open keeps it)."""
    now = now or time.time()
    with engine.begin() as conn:
        existing = _newest(conn, school, sender_id, open_only=True)
        if existing is not None:
            return _summary(conn, existing), False
        handover_id = conn.execute(
            sa.insert(Handover).values(
                school=school,
                sender_id=sender_id,
                status=WAITING,
                class_code=class_code,
                year_group=year_group,
                requested_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        return _summary(conn, _row(conn, handover_id)), True


def add_message(
    engine: Engine, handover_id: int, author: str, text: str, risk: bool = False, now: float | None = None
) -> Message:
    """Add a message to a handover and mark the handover changed (and at risk, for a risk message)."""
    now = now or time.time()
    with engine.begin() as conn:
        message_id = _insert(conn, handover_id, author, text, risk, now)
        changes: dict[str, object] = {"updated_at": now}
        if risk:
            changes["risk"] = True
        conn.execute(sa.update(Handover).where(Handover.id == handover_id).values(**changes))
        return Message(message_id, handover_id, author, text, risk, now)


def answer(
    engine: Engine, handover_id: int, adviser: str, text: str, now: float | None = None
) -> Message | None:
    """An adviser's message: the adviser takes the chat if nobody has it; None if it is closed."""
    now = now or time.time()
    with engine.begin() as conn:
        row = _row(conn, handover_id)
        if row is None or row.status == CLOSED:
            return None
        changes: dict[str, object] = {"status": ACTIVE, "updated_at": now}
        if not row.adviser:
            changes["adviser"] = adviser
        if row.answered_at is None:
            changes["answered_at"] = now
        conn.execute(sa.update(Handover).where(Handover.id == handover_id).values(**changes))
        message_id = _insert(conn, handover_id, ADVISER, text, False, now)
        return Message(message_id, handover_id, ADVISER, text, False, now)


def close(engine: Engine, handover_id: int, note: str, now: float | None = None) -> bool:
    """Hand the chat back to the assistant, with a note of it for both pages; False if already closed."""
    now = now or time.time()
    with engine.begin() as conn:
        done = conn.execute(
            sa.update(Handover)
            .where(Handover.id == handover_id, Handover.status != CLOSED)
            .values(status=CLOSED, closed_at=now, updated_at=now)
        ).rowcount
        if done:
            _insert(conn, handover_id, NOTE, note, False, now)
        return bool(done)


def get(engine: Engine, handover_id: int) -> Summary | None:
    with engine.connect() as conn:
        row = _row(conn, handover_id)
        return _summary(conn, row) if row else None


def messages_after(
    engine: Engine, handover_id: int, after: int = 0, authors: tuple[str, ...] | None = None
) -> list[Message]:
    """The handover's messages with an id above ``after``, oldest first (only ``authors``' if given)."""
    with engine.connect() as conn:
        return _messages_after(conn, handover_id, after, authors)


def changes(
    engine: Engine, handover_id: int, after: int, authors: tuple[str, ...] | None = None
) -> tuple[list[Message], Summary | None]:
    """What a page following a handover has not seen: its messages after ``after`` (``authors``' only, if
    given) and the handover as it is now (None once deleted), read together."""
    with engine.connect() as conn:
        messages = _messages_after(conn, handover_id, after, authors)
        row = _row(conn, handover_id)  # after the messages: the status is never older than they are
        return messages, _summary(conn, row) if row else None


def _messages_after(
    conn: Connection, handover_id: int, after: int, authors: tuple[str, ...] | None
) -> list[Message]:
    query = sa.select(HandoverMessage).where(
        HandoverMessage.handover_id == handover_id, HandoverMessage.id > after
    )
    if authors is not None:
        query = query.where(HandoverMessage.author.in_(authors))
    rows = conn.execute(query.order_by(HandoverMessage.id)).all()
    return [Message(r.id, r.handover_id, r.author, r.text, r.risk, r.at) for r in rows]


def queue(engine: Engine, schools: frozenset[str] | None, now: float | None = None) -> list[Summary]:
    """The handovers of these schools (None: every school) that are open, or closed in the last day: at
    risk first, then waiting (oldest first), then with an adviser, then closed."""
    cutoff = (now or time.time()) - RECENT_S
    query = sa.select(Handover).where(sa.or_(Handover.status != CLOSED, Handover.closed_at >= cutoff))
    if schools is not None:
        query = query.where(Handover.school.in_(sorted(schools)))
    order = {WAITING: 0, ACTIVE: 1, CLOSED: 2}
    with engine.connect() as conn:
        found = [_summary(conn, row) for row in conn.execute(query).all()]
    return sorted(
        found,
        key=lambda h: (
            h.status == CLOSED,
            not h.risk,
            order[h.status],
            h.requested_at if h.status != CLOSED else -h.updated_at,
        ),
    )


def delete_for(conn: Connection, senders: list[str]) -> None:
    """Delete the handovers of these chats and their messages (a chat deleted, or past retention)."""
    handovers = sa.select(Handover.id).where(Handover.sender_id.in_(senders))
    conn.execute(sa.delete(HandoverMessage).where(HandoverMessage.handover_id.in_(handovers)))
    conn.execute(sa.delete(Handover).where(Handover.sender_id.in_(senders)))


def flag_risk(engine: Engine, message_id: int, handover_id: int) -> None:
    """Mark a student's message, and its handover, as having signalled a risk."""
    with engine.begin() as conn:
        conn.execute(sa.update(HandoverMessage).where(HandoverMessage.id == message_id).values(risk=True))
        conn.execute(sa.update(Handover).where(Handover.id == handover_id).values(risk=True))


def conversation_of(engine: Engine, sender_id: str) -> int | None:
    """The chat's newest conversation the dashboard has derived (None until the worker has read it)."""
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.max(Conversation.id)).where(Conversation.sender_id == sender_id)
        ).scalar()
