"""Keeps ``analytics_turns`` up to date from Rasa's ``events`` table, incrementally.

Each run reads only the events after the last one it read (by id), in batches, and turns each student
message with what followed it (the action the assistant ran, the career it settled on, a quiz result)
into one row. The web app runs it in the background every few seconds and before each dashboard page,
so that no page ever scans the events table. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analytics.models import Base, SyncState, Turn
from careers_catalog import settings

EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("intent_name", sa.String),
    sa.column("action_name", sa.String),
    sa.column("data", sa.Text),
)
SYNC_NAME = "turns"
FALLBACK_ACTIONS = frozenset({"action_fallback", "action_default_fallback"})
NOT_ANSWERS = frozenset({"action_listen", "action_session_start", "action_extract_slots"})
# What each intent asks about, for "what students ask about".
TOPIC_OF_INTENT = {
    "ask_career_overview": "what a job is like",
    "ask_skills": "what a job is like",
    "ask_related": "what a job is like",
    "ask_pay": "pay",
    "ask_hours": "hours",
    "ask_outlook": "future outlook",
    "ask_subjects": "subjects",
    "ask_routes": "routes in",
    "ask_routes_without_degree": "routes in",
    "ask_careers_for_subjects": "careers from subjects and likes",
    "tell_interests": "careers from subjects and likes",
    "no_idea": "interests quiz",
    "start_quiz": "interests quiz",
    "stop_quiz": "interests quiz",
    "quiz_answer": "interests quiz",
    "compare_careers": "comparing careers",
    "ask_role_models": "role models",
    "confidence": "myths and confidence",
    "education": "qualifications",
    "find_opportunities": "opportunities",
    "give_location": "opportunities",
    "filter_opportunities": "opportunities",
    "save_career": "careers plan",
    "show_plan": "careers plan",
    "nlu_fallback": "not understood",
    "out_of_scope": "not understood",
}


def ensure_tables(engine: Engine) -> None:
    """Create the analytics tables that are missing (Rasa creates its own ``events`` table)."""
    Base.metadata.create_all(engine)


def conversations_engine(url: str | None = None) -> Engine:
    """An engine on the conversations database (default: ``TRACKER_DATABASE_URL``), with the analytics
    tables created. SQLite waits up to 15 s for Rasa's writes to finish rather than failing."""
    url = url or settings.tracker_database_url()
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 15})
    else:
        engine = sa.create_engine(url, future=True, pool_pre_ping=True)
    ensure_tables(engine)
    return engine


@dataclass
class _Sender:
    conversation_id: int | None = None
    turn_id: int | None = None  # the sender's latest turn, which later events add to
    answered_by: str | None = None  # the first action run for that turn


@dataclass
class _Batch:
    new: dict[int, dict[str, Any]] = field(default_factory=dict)
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)


def sync_turns(engine: Engine, batch_size: int = 5000) -> int:
    """Derive turns from the events not read yet; returns how many turns were added."""
    if not sa.inspect(engine).has_table("events"):
        return 0
    ensure_tables(engine)
    added = 0
    senders: dict[str, _Sender] = {}
    while True:
        with engine.begin() as conn:
            last = conn.execute(
                sa.select(SyncState.last_event_id).where(SyncState.name == SYNC_NAME)
            ).scalar()
            rows = conn.execute(
                sa.select(EVENTS).where(EVENTS.c.id > (last or 0)).order_by(EVENTS.c.id).limit(batch_size)
            ).all()
            if not rows:
                return added
            batch = _Batch()
            for row in rows:
                _read_event(conn, row, senders, batch)
            if batch.new:
                conn.execute(sa.insert(Turn), list(batch.new.values()))
            for turn_id, changes in batch.updates.items():
                conn.execute(sa.update(Turn).where(Turn.id == turn_id).values(**changes))
            if last is None:
                conn.execute(sa.insert(SyncState).values(name=SYNC_NAME, last_event_id=rows[-1].id))
            else:
                conn.execute(
                    sa.update(SyncState).where(SyncState.name == SYNC_NAME).values(last_event_id=rows[-1].id)
                )
            added += len(batch.new)
        if len(rows) < batch_size:
            return added


def _sender(conn: Connection, sender_id: str, senders: dict[str, _Sender]) -> _Sender:
    known = senders.get(sender_id)
    if known is None:
        latest = conn.execute(
            sa.select(Turn.id, Turn.conversation_id, Turn.action)
            .where(Turn.sender_id == sender_id)
            .order_by(Turn.id.desc())
            .limit(1)
        ).first()
        known = _Sender(latest.conversation_id, latest.id, latest.action) if latest else _Sender()
        senders[sender_id] = known
    return known


def _read_event(conn: Connection, row: Any, senders: dict[str, _Sender], batch: _Batch) -> None:
    kind = row.type_name
    if kind not in ("user", "action", "slot", "session_started"):
        return
    sender = _sender(conn, row.sender_id, senders)
    if kind == "session_started":
        sender.conversation_id = row.id
        sender.turn_id = None
        return
    if kind == "user":
        turn = _turn_from_user_event(row, sender.conversation_id or row.id)
        batch.new[row.id] = turn
        sender.conversation_id = turn["conversation_id"]
        sender.turn_id = row.id
        sender.answered_by = None
        return
    if sender.turn_id is None:
        return
    changes = batch.new.get(sender.turn_id) or batch.updates.setdefault(sender.turn_id, {})
    if kind == "action":
        name = row.action_name
        if name in FALLBACK_ACTIONS:
            changes["answered"] = False
        if sender.answered_by is None and name not in NOT_ANSWERS:
            sender.answered_by = changes["action"] = name
        return
    value = json.loads(row.data or "{}").get("value")
    if row.action_name == "career" and isinstance(value, str):
        changes["career"] = value[:80]
    elif row.action_name == "interest_profile" and isinstance(value, str):
        changes["riasec"] = value[:6]


def _turn_from_user_event(row: Any, conversation_id: int) -> dict[str, Any]:
    data = json.loads(row.data or "{}")
    metadata = data.get("metadata") or {}
    parse = data.get("parse_data") or {}
    intent = row.intent_name or (parse.get("intent") or {}).get("name")
    text = str(data.get("text") or "")
    subjects = [str(e.get("value")) for e in parse.get("entities") or [] if e.get("entity") == "subject"]
    year = metadata.get("year_group")
    return {
        "id": row.id,
        "sender_id": row.sender_id,
        "conversation_id": conversation_id,
        "at": row.timestamp,
        "day": dt.datetime.fromtimestamp(row.timestamp, dt.timezone.utc).date().isoformat(),
        "school": _short(metadata.get("school"), 40),
        "class_code": _short(metadata.get("class_code"), 20),
        "lesson_topic": _short(metadata.get("topic"), 80),
        "year_group": year if isinstance(year, int) else None,
        "preview": metadata.get("preview") is True,
        "text": text[:1000],
        "button": text.startswith("/"),
        "intent": intent,
        "confidence": (parse.get("intent") or {}).get("confidence"),
        "topic": TOPIC_OF_INTENT.get(intent or "", "other"),
        "action": None,
        "answered": intent not in ("nlu_fallback",),
        "career": None,
        "subjects": ",".join(dict.fromkeys(subjects))[:400] or None,
        "riasec": None,
    }


def _short(value: object, limit: int) -> str | None:
    return str(value)[:limit] if isinstance(value, (str, int)) and str(value) else None
