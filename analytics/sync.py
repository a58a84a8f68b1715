"""Keeps ``analytics_turns`` up to date from Rasa's ``events`` table, incrementally.

Each run reads only the events after the last one it read (by id), in batches, and turns each student
message with what followed it (the action the assistant ran, the career it settled on, a quiz result)
into one row. The analytics worker (``analytics/worker.py``) runs it every few seconds, so that no
dashboard page ever scans the events table. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

import settings
from analytics.evidence import asked_about
from analytics.models import Base, Conversation, Fact, ForgottenChat, SyncState, Turn
from careers_catalog.careers.discovery import SubjectIndex
from contract import RISK_INTENT, Entity, Intent, Lesson, Slot

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
# Bump when the sync derives something new from the same events (Gatsby 3 and 7 facts: 2), so that the
# derived tables are made again from every event; kept in analytics_sync under VERSION_ROW.
DERIVATION_VERSION = 2
VERSION_ROW = "derivation_version"
WORK_MEM = "32MB"  # per sort, per dashboard query on PostgreSQL
UNSURE_BELOW = 0.6  # typed messages understood with less confidence than this are worth a look
# Topics that are evidence for Gatsby Benchmark 2 (careers and labour market information) and 4
# (linking the curriculum to careers); opportunities are evidence of interest for Benchmark 5.
LMI_TOPICS = ("what a job is like", "pay", "hours", "future outlook", "routes in", "comparing careers")
CURRICULUM_TOPICS = ("subjects", "careers from subjects and likes")
FALLBACK_ACTIONS = frozenset({"action_fallback", "action_default_fallback"})
NOT_ANSWERS = frozenset({"action_listen", "action_session_start", "action_extract_slots"})
# What each intent asks about, for "what students ask about".
TOPIC_OF_INTENT = {
    Intent.ASK_CAREER_OVERVIEW: "what a job is like",
    Intent.ASK_SKILLS: "what a job is like",
    Intent.ASK_RELATED: "what a job is like",
    Intent.ASK_PAY: "pay",
    Intent.ASK_HOURS: "hours",
    Intent.ASK_OUTLOOK: "future outlook",
    Intent.ASK_SUBJECTS: "subjects",
    Intent.ASK_ROUTES: "routes in",
    Intent.ASK_ROUTES_WITHOUT_DEGREE: "routes in",
    Intent.ASK_CAREERS_FOR_SUBJECTS: "careers from subjects and likes",
    Intent.TELL_INTERESTS: "careers from subjects and likes",
    Intent.NO_IDEA: "interests quiz",
    Intent.START_QUIZ: "interests quiz",
    Intent.STOP_QUIZ: "interests quiz",
    Intent.QUIZ_ANSWER: "interests quiz",
    Intent.COMPARE_CAREERS: "comparing careers",
    Intent.ASK_ROLE_MODELS: "role models",
    "confidence": "myths and confidence",
    "education": "qualifications",
    Intent.FIND_OPPORTUNITIES: "opportunities",
    Intent.GIVE_LOCATION: "opportunities",
    Intent.FILTER_OPPORTUNITIES: "opportunities",
    Intent.SAVE_CAREER: "careers plan",
    Intent.SHOW_PLAN: "careers plan",
    Intent.NLU_FALLBACK: "not understood",
    Intent.OUT_OF_SCOPE: "not understood",
    Intent.SAFEGUARDING_CONCERN: "safeguarding",
    "insult": "rude",
}
# Derived tables, rebuilt from Rasa's events when an older version of them lacks a column.
DERIVED = (Turn.__table__, Conversation.__table__, Fact.__table__, SyncState.__table__)


def conversations_engine(url: str | None = None) -> Engine:
    """An engine on the conversations database (default: ``TRACKER_DATABASE_URL``), with the analytics
    tables that are missing created (Rasa creates its own ``events`` table). SQLite waits up to 15 s for
    Rasa's writes to finish rather than failing."""
    url = url or settings.current().conversations_url()
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 15})
    else:
        engine = sa.create_engine(url, future=True, pool_pre_ping=True)
        sa.event.listen(engine, "connect", _room_to_count)
    _rebuild_if_outdated(engine)
    Base.metadata.create_all(engine)
    try:
        with engine.begin() as conn:
            if conn.execute(sa.select(SyncState.name).where(SyncState.name == VERSION_ROW)).first() is None:
                conn.execute(sa.insert(SyncState).values(name=VERSION_ROW, last_event_id=DERIVATION_VERSION))
    except sa.exc.IntegrityError:  # another process starting at the same moment wrote it
        pass
    return engine


def _rebuild_if_outdated(engine: Engine) -> None:
    """Drop the derived tables if they were made by an older version (a column missing, or derived by an
    older ``DERIVATION_VERSION``); they are made again, and filled again from Rasa's events by the next
    sync. Users and reviews are kept."""
    inspector = sa.inspect(engine)
    if not inspector.has_table(Turn.__tablename__):
        return
    for table in DERIVED:
        have = (
            {c["name"] for c in inspector.get_columns(table.name)}
            if inspector.has_table(table.name)
            else set()
        )
        if not {c.name for c in table.columns} <= have:
            Base.metadata.drop_all(engine, tables=list(DERIVED))
            return
    with engine.connect() as conn:
        version = conn.execute(
            sa.select(SyncState.last_event_id).where(SyncState.name == VERSION_ROW)
        ).scalar()
    if version != DERIVATION_VERSION:
        Base.metadata.drop_all(engine, tables=list(DERIVED))


def _room_to_count(dbapi_connection, _record) -> None:  # noqa: ANN001
    """Let PostgreSQL count a school year's distinct students in memory rather than on disk."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET work_mem = '{WORK_MEM}'")


@dataclass
class _Sender:
    conversation_id: int | None = None
    turn_id: int | None = None  # the sender's latest turn, which later events add to
    answered_by: str | None = None  # the first action run for that turn


@dataclass
class _Batch:
    new: dict[int, dict[str, Any]] = field(default_factory=dict)
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    conversation_of: dict[int, int] = field(default_factory=dict)  # for updated turns


_running = threading.Lock()  # one derivation at a time in this process


def sync_turns(engine: Engine, batch_size: int = 5000) -> int:
    """Derive turns from the events not read yet; returns how many turns were added. Another process
    deriving the same events at the same moment makes this run stop early, changing nothing."""
    if not sa.inspect(engine).has_table("events"):
        return 0
    with _running:
        try:
            return _sync(engine, batch_size)
        except sa.exc.IntegrityError:  # another web app process got there first
            return 0


def _sync(engine: Engine, batch_size: int) -> int:
    added = 0
    senders: dict[str, _Sender] = {}
    while True:
        with engine.begin() as conn:
            last = conn.execute(
                sa.select(SyncState.last_event_id).where(SyncState.name == SYNC_NAME)
            ).scalar()
            rows = conn.execute(
                sa.select(EVENTS)
                .where(
                    EVENTS.c.id > (last or 0), EVENTS.c.sender_id.not_in(sa.select(ForgottenChat.sender_id))
                )
                .order_by(EVENTS.c.id)
                .limit(batch_size)
            ).all()
            if not rows:
                return added
            batch = _Batch()
            for row in rows:
                _read_event(conn, row, senders, batch)
            for turn in batch.new.values():
                turn["needs_review"] = (
                    not turn["button"]
                    and not turn["risk"]
                    and (not turn["answered"] or (turn["confidence"] or 1) < UNSURE_BELOW)
                )
            if batch.new:
                conn.execute(sa.insert(Turn), list(batch.new.values()))
            for turn_id, changes in batch.updates.items():
                if changes.get("answered") is False:
                    changes["needs_review"] = sa.and_(sa.not_(Turn.button), Turn.risk.is_(None))
                if changes:
                    conn.execute(sa.update(Turn).where(Turn.id == turn_id).values(**changes))
            _update_conversations(conn, batch)
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
    changes = batch.new.get(sender.turn_id)
    if changes is None:
        changes = batch.updates.setdefault(sender.turn_id, {})
        batch.conversation_of[sender.turn_id] = sender.conversation_id or sender.turn_id
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
    elif row.action_name == Slot.INTEREST_PROFILE and isinstance(value, str):
        changes["riasec"] = value[:6]


_SHARED = ("sender_id", "day", "school", "class_code", "lesson_topic", "preview")  # conversation -> facts


def _update_conversations(conn: Connection, batch: _Batch) -> None:
    """Add this batch's turns to their conversations' counts and facts."""
    deltas: dict[int, Counter[str]] = {}
    firsts: dict[int, dict[str, Any]] = {}
    facts: set[tuple[int, str, str]] = set()
    for t in batch.new.values():
        c = t["conversation_id"]
        firsts.setdefault(c, t)
        delta = deltas.setdefault(c, Counter())
        delta["messages"] += 1
        if t["risk"]:  # counted for the safeguarding view only, never in what students ask
            delta["risk_messages"] += 1
            continue
        delta["unanswered"] += not t["answered"]
        delta["lmi_questions"] += t["topic"] in LMI_TOPICS
        delta["curriculum_questions"] += t["topic"] in CURRICULUM_TOPICS or bool(t["subjects"])
        delta["employer_searches"] += t["topic"] == "opportunities"
        facts.update((c, kind, t[kind]) for kind in ("topic", "intent", "career") if t[kind])
        facts.update((c, "subject", s) for s in (t["subjects"] or "").split(",") if s)
        if not t["button"]:
            facts.update((c, kind, value) for kind, value in asked_about(t["text"]))
        if t["riasec"]:
            facts.add((c, "riasec", t["riasec"][0]))
    for turn_id, changes in batch.updates.items():
        c = batch.conversation_of[turn_id]
        if changes.get("answered") is False:
            deltas.setdefault(c, Counter())["unanswered"] += 1
        if changes.get("career"):
            facts.add((c, "career", changes["career"]))
        if changes.get("riasec"):
            facts.add((c, "riasec", changes["riasec"][0]))
    known = {c: {k: t[k] for k in _SHARED} for c, t in firsts.items()}
    for c, delta in deltas.items():
        counts = {k: getattr(Conversation, k) + v for k, v in delta.items()}
        done = conn.execute(sa.update(Conversation).where(Conversation.id == c).values(**counts)).rowcount
        if not done and c in firsts:
            t = firsts[c]
            conn.execute(
                sa.insert(Conversation).values(
                    id=c, first_at=t["at"], year_group=t["year_group"], **known[c], **dict(delta)
                )
            )
    earlier = {c for c, _, _ in facts} - known.keys()  # conversations begun in an earlier batch
    if earlier:
        columns = [getattr(Conversation, k) for k in _SHARED]
        for row in conn.execute(sa.select(Conversation.id, *columns).where(Conversation.id.in_(earlier))):
            known[row.id] = {k: getattr(row, k) for k in _SHARED}
    if facts:
        rows = [{"conversation_id": c, "kind": k, "value": str(v)[:80], **known[c]} for c, k, v in facts]
        conn.execute(upsert(conn, Fact).on_conflict_do_nothing(), rows)


def upsert(conn: Connection, table: type) -> Any:
    """An INSERT that can say what to do ON CONFLICT, in the dialect of ``conn`` (PostgreSQL or SQLite)."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


@lru_cache(maxsize=1)
def _subjects() -> SubjectIndex:
    return SubjectIndex.from_file()


def _turn_from_user_event(row: Any, conversation_id: int) -> dict[str, Any]:
    data = json.loads(row.data or "{}")
    metadata = data.get("metadata") or {}
    parse = data.get("parse_data") or {}
    intent = row.intent_name or (parse.get("intent") or {}).get("name")
    text = str(data.get("text") or "")
    entities = parse.get("entities") or []
    # As the catalogue names them ("computer sceince" is Computer Science); a value that is no school
    # subject is left out.
    named = (_subjects().resolve(str(e.get("value"))) for e in entities if e.get("entity") == Entity.SUBJECT)
    subjects = [s for s in named if s]
    risk = None
    if intent == RISK_INTENT:
        risk = next(
            (str(e.get("value")) for e in entities if e.get("entity") == Entity.RISK_CATEGORY), "unspecified"
        )
    year = metadata.get(Lesson.YEAR_GROUP)
    return {
        "id": row.id,
        "sender_id": row.sender_id,
        "conversation_id": conversation_id,
        "at": row.timestamp,
        "day": dt.datetime.fromtimestamp(row.timestamp, dt.timezone.utc).date().isoformat(),
        "school": _short(metadata.get(Lesson.SCHOOL), 40),
        "class_code": _short(metadata.get(Lesson.CLASS_CODE), 20),
        "lesson_topic": _short(metadata.get(Lesson.TOPIC), 80),
        "year_group": year if isinstance(year, int) else None,
        "preview": metadata.get(Lesson.PREVIEW) is True,
        "text": text[:1000],
        "button": text.startswith("/"),
        "intent": intent,
        "confidence": (parse.get("intent") or {}).get("confidence"),
        "topic": TOPIC_OF_INTENT.get(intent or "", "other"),
        "action": None,
        "answered": intent not in (Intent.NLU_FALLBACK,),
        "career": None,
        "subjects": ",".join(dict.fromkeys(subjects))[:400] or None,
        "riasec": None,
        "risk": _short(risk, 20),
    }


def _short(value: object, limit: int) -> str | None:
    return str(value)[:limit] if isinstance(value, (str, int)) and str(value) else None
