"""The dashboard's questions, asked of ``analytics_turns`` (and, to read one conversation, of Rasa's
events): how much the chat is used, what students ask about, what the assistant could not answer, the
conversations themselves, and the Gatsby Benchmarks evidence. Every query is limited by the filters
chosen and by what the signed-in user may see (:class:`analytics.accounts.Scope`). Teachers' lesson
previews are always left out."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz
from sqlalchemy.engine import Engine

from analytics.accounts import Scope
from analytics.models import Review, Turn
from analytics.sync import EVENTS

UNSURE_BELOW = 0.6  # typed messages understood with less confidence than this are worth a look
SIMILAR_AT = 80  # rapidfuzz token-set similarity at which two unanswered messages are one group
LMI_TOPICS = ("what a job is like", "pay", "hours", "future outlook", "routes in", "comparing careers")
CURRICULUM_TOPICS = ("subjects", "careers from subjects and likes")


@dataclass(frozen=True)
class Filters:
    date_from: str
    date_to: str
    school: str | None = None
    class_code: str | None = None
    lesson_topic: str | None = None

    @classmethod
    def last_days(cls, days: int = 30, today: dt.date | None = None, **chosen: str | None) -> Filters:
        end = today or dt.date.today()
        return cls((end - dt.timedelta(days=days - 1)).isoformat(), end.isoformat(), **chosen)


def _where(f: Filters, scope: Scope) -> list[sa.ColumnElement]:
    conditions = [Turn.day >= f.date_from, Turn.day <= f.date_to, Turn.preview.is_(False)]
    if f.school:
        conditions.append(Turn.school == f.school)
    if f.class_code:
        conditions.append(Turn.class_code == f.class_code)
    if f.lesson_topic:
        conditions.append(Turn.lesson_topic == f.lesson_topic)
    if scope.schools is not None:
        conditions.append(Turn.school.in_(sorted(scope.schools)))
    if scope.classes is not None:
        conditions.append(Turn.class_code.in_(sorted(scope.classes)))
    return conditions


def overview(engine: Engine, f: Filters, scope: Scope) -> dict[str, Any]:
    """Conversations, students, messages, average length, returning students, share answered, and the
    same by day."""
    where = _where(f, scope)
    with engine.connect() as conn:
        totals = conn.execute(
            sa.select(
                sa.func.count().label("messages"),
                sa.func.count(sa.distinct(Turn.conversation_id)).label("conversations"),
                sa.func.count(sa.distinct(Turn.sender_id)).label("students"),
                sa.func.sum(sa.case((Turn.answered, 1), else_=0)).label("answered"),
            ).where(*where)
        ).one()
        days_per_student = (
            sa.select(Turn.sender_id, sa.func.count(sa.distinct(Turn.day)).label("days"))
            .where(*where)
            .group_by(Turn.sender_id)
            .subquery()
        )
        returning = conn.execute(
            sa.select(sa.func.count()).select_from(days_per_student).where(days_per_student.c.days > 1)
        ).scalar_one()
        by_day = conn.execute(
            sa.select(
                Turn.day,
                sa.func.count().label("messages"),
                sa.func.count(sa.distinct(Turn.sender_id)).label("students"),
                sa.func.count(sa.distinct(Turn.conversation_id)).label("conversations"),
            )
            .where(*where)
            .group_by(Turn.day)
            .order_by(Turn.day)
        ).all()
    messages = totals.messages or 0
    return {
        "messages": messages,
        "conversations": totals.conversations or 0,
        "students": totals.students or 0,
        "returning_students": returning,
        "average_length": round(messages / totals.conversations, 1) if totals.conversations else 0,
        "answered_share": round((totals.answered or 0) / messages, 3) if messages else None,
        "by_day": [dict(r._mapping) for r in by_day],
    }


def _counts(conn: sa.engine.Connection, column: sa.Column, where: list, limit: int = 15) -> list[tuple]:
    rows = conn.execute(
        sa.select(column, sa.func.count(sa.distinct(Turn.sender_id)).label("students"))
        .where(*where, column.is_not(None))
        .group_by(column)
        .order_by(sa.desc("students"), column)
        .limit(limit)
    ).all()
    return [(r[0], r[1]) for r in rows]


def asks(engine: Engine, f: Filters, scope: Scope) -> dict[str, Any]:
    """What students ask about: careers, subjects, topics, quiz results, opportunities (each counted as
    the number of students)."""
    where = _where(f, scope)
    with engine.connect() as conn:
        careers = _counts(conn, Turn.career, where)
        topics = _counts(conn, Turn.topic, where, limit=30)
        subject_rows = conn.execute(
            sa.select(Turn.subjects, Turn.sender_id).where(*where, Turn.subjects.is_not(None)).distinct()
        ).all()
        riasec = conn.execute(
            sa.select(sa.func.substr(Turn.riasec, 1, 1), sa.func.count(sa.distinct(Turn.sender_id)))
            .where(*where, Turn.riasec.is_not(None))
            .group_by(sa.func.substr(Turn.riasec, 1, 1))
        ).all()
        searches = conn.execute(
            sa.select(Turn.intent, sa.func.count(), sa.func.count(sa.distinct(Turn.sender_id)))
            .where(*where, Turn.intent.in_(("find_opportunities", "give_location", "filter_opportunities")))
            .group_by(Turn.intent)
        ).all()
    subjects: Counter[str] = Counter()
    students_per_subject: dict[str, set[str]] = {}
    for names, sender in subject_rows:
        for name in names.split(","):
            students_per_subject.setdefault(name, set()).add(sender)
    subjects.update({name: len(senders) for name, senders in students_per_subject.items()})
    by_intent = {intent: (messages, students) for intent, messages, students in searches}
    found = by_intent.get("find_opportunities", (0, 0))
    return {
        "careers": careers,
        "subjects": subjects.most_common(15),
        "topics": topics,
        "riasec": sorted(((letter, n) for letter, n in riasec), key=lambda x: "RIASEC".find(x[0])),
        "opportunity_searches": found[0] + by_intent.get("give_location", (0, 0))[0],
        "opportunity_students": found[1],
        "opportunity_follow_ups": by_intent.get("filter_opportunities", (0, 0))[0],
    }


@dataclass(frozen=True)
class UnansweredGroup:
    example: str
    messages: tuple[str, ...]
    count: int
    last_day: str


def unanswered(engine: Engine, f: Filters, scope: Scope, limit: int = 2000) -> list[UnansweredGroup]:
    """Typed messages the assistant fell back on or was unsure of, most recent first, grouped when they
    say nearly the same thing; the biggest groups first."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(Turn.text, Turn.day)
            .where(
                *_where(f, scope),
                Turn.button.is_(False),
                sa.or_(Turn.answered.is_(False), Turn.confidence < UNSURE_BELOW),
            )
            .order_by(Turn.id.desc())
            .limit(limit)
        ).all()
    groups: list[list[tuple[str, str]]] = []
    for text, day in rows:
        cleaned = " ".join(text.split())
        for group in groups:
            if fuzz.token_set_ratio(group[0][0].lower(), cleaned.lower()) >= SIMILAR_AT:
                group.append((cleaned, day))
                break
        else:
            groups.append([(cleaned, day)])
    out = [
        UnansweredGroup(g[0][0], tuple(dict.fromkeys(t for t, _ in g)), len(g), max(d for _, d in g))
        for g in groups
    ]
    return sorted(out, key=lambda g: (-g.count, g.example))


def nlu_training_data(groups: list[UnansweredGroup]) -> str:
    """The unanswered messages in Rasa's NLU training-data format, under a placeholder intent per group,
    for an editor to rename to the right intent and add to ``data/nlu/``."""
    lines = ['version: "3.1"', "nlu:"]
    for n, group in enumerate(groups, start=1):
        lines.append(f"- intent: review_{n:03d}  # rename to the intent these should have")
        lines.append("  examples: |")
        lines.extend(f"    - {json.dumps(text, ensure_ascii=False)[1:-1]}" for text in group.messages)
    return "\n".join(lines) + "\n"


def anonymous_id(sender_id: str) -> str:
    """A short stand-in for a chat id, so that pages never show the id a browser holds."""
    return hashlib.sha256(sender_id.encode()).hexdigest()[:8]


def conversations(
    engine: Engine,
    f: Filters,
    scope: Scope,
    intent: str | None = None,
    career: str | None = None,
    flag: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Conversations, newest first, with their size, careers, unanswered count and review state.
    ``flag``: "unanswered", "reviewed" or "not-reviewed"."""
    where = _where(f, scope)
    for column, wanted in ((Turn.intent, intent), (Turn.career, career)):
        if wanted:
            having = sa.select(Turn.conversation_id).where(*where, column == wanted)
            where.append(Turn.conversation_id.in_(having))
    unanswered_count = sa.func.sum(sa.case((Turn.answered, 0), else_=1))
    query = (
        sa.select(
            Turn.conversation_id,
            sa.func.min(Turn.sender_id).label("sender_id"),
            sa.func.min(Turn.school).label("school"),
            sa.func.min(Turn.class_code).label("class_code"),
            sa.func.min(Turn.at).label("started"),
            sa.func.count().label("messages"),
            unanswered_count.label("unanswered"),
            sa.func.max(Turn.career).label("a_career"),
            sa.func.coalesce(sa.func.max(sa.case((Review.reviewed, 1), else_=0)), 0).label("reviewed"),
        )
        .outerjoin(Review, Review.conversation_id == Turn.conversation_id)
        .where(*where)
        .group_by(Turn.conversation_id)
        .order_by(Turn.conversation_id.desc())
    )
    if flag == "unanswered":
        query = query.having(unanswered_count > 0)
    elif flag in ("reviewed", "not-reviewed"):
        reviewed = sa.func.coalesce(sa.func.max(sa.case((Review.reviewed, 1), else_=0)), 0)
        query = query.having(reviewed == (1 if flag == "reviewed" else 0))
    with engine.connect() as conn:
        rows = conn.execute(query.limit(limit).offset(offset)).all()
    return [
        {
            **{k: v for k, v in r._mapping.items() if k != "sender_id"},
            "student": anonymous_id(r.sender_id),
            "started": dt.datetime.fromtimestamp(r.started, dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
            "reviewed": bool(r.reviewed),
        }
        for r in rows
    ]


def conversation(engine: Engine, conversation_id: int, scope: Scope) -> dict[str, Any] | None:
    """One conversation to read: its messages in order (student and assistant), with the review; None if
    it does not exist or the user may not see it."""
    with engine.connect() as conn:
        first = conn.execute(
            sa.select(Turn.sender_id, Turn.school, Turn.class_code, Turn.lesson_topic)
            .where(Turn.conversation_id == conversation_id)
            .order_by(Turn.id)
            .limit(1)
        ).first()
        if first is None or not scope.allows(first.school, first.class_code):
            return None
        if scope.classes is not None and first.class_code is None:
            return None
        next_start = conn.execute(
            sa.select(sa.func.min(Turn.conversation_id)).where(
                Turn.sender_id == first.sender_id, Turn.conversation_id > conversation_id
            )
        ).scalar()
        events = conn.execute(
            sa.select(EVENTS.c.type_name, EVENTS.c.data)
            .where(
                EVENTS.c.sender_id == first.sender_id,
                EVENTS.c.id >= conversation_id,
                EVENTS.c.id < (next_start or 2**62),
                EVENTS.c.type_name.in_(("user", "bot")),
            )
            .order_by(EVENTS.c.id)
        ).all()
        turns = {
            t.id: t
            for t in conn.execute(
                sa.select(Turn.id, Turn.intent, Turn.answered, Turn.career).where(
                    Turn.conversation_id == conversation_id
                )
            ).all()
        }
        review = conn.execute(sa.select(Review).where(Review.conversation_id == conversation_id)).first()
    messages = []
    for kind, data in events:
        body = json.loads(data or "{}")
        if kind == "user":
            messages.append({"from": "student", "text": body.get("text") or ""})
        else:
            custom = (body.get("data") or {}).get("custom") or {}
            card = custom.get("card") or {}
            text = body.get("text") or " ".join(x for x in (card.get("title"), custom.get("text")) if x)
            messages.append({"from": "assistant", "text": text})
    return {
        "id": conversation_id,
        "student": anonymous_id(first.sender_id),
        "school": first.school,
        "class_code": first.class_code,
        "lesson_topic": first.lesson_topic,
        "messages": messages,
        "intents": sorted({t.intent for t in turns.values() if t.intent}),
        "unanswered": sum(1 for t in turns.values() if not t.answered),
        "reviewed": bool(review and review.reviewed),
        "note": review.note if review else "",
    }


def save_review(engine: Engine, conversation_id: int, reviewed: bool, note: str, reviewer: str) -> None:
    with engine.begin() as conn:
        values = {"reviewed": reviewed, "note": note[:2000], "reviewer": reviewer, "updated_at": time.time()}
        done = conn.execute(
            sa.update(Review).where(Review.conversation_id == conversation_id).values(**values)
        ).rowcount
        if not done:
            conn.execute(sa.insert(Review).values(conversation_id=conversation_id, **values))


def gatsby(engine: Engine, f: Filters, scope: Scope) -> list[dict[str, Any]]:
    """Per class: what the chats show for Gatsby Benchmarks 2 (careers and labour market information),
    4 (linking curriculum learning to careers) and 5 (interest in encounters with employers), with the
    counts behind each."""
    where = _where(f, scope)
    lmi = Turn.topic.in_(LMI_TOPICS)
    curriculum = sa.or_(Turn.topic.in_(CURRICULUM_TOPICS), Turn.subjects.is_not(None))
    employers = Turn.topic == "opportunities"

    def students_where(condition: sa.ColumnElement) -> sa.ColumnElement:
        return sa.func.count(sa.distinct(sa.case((condition, Turn.sender_id))))

    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                Turn.school,
                Turn.class_code,
                sa.func.count(sa.distinct(Turn.sender_id)).label("students"),
                sa.func.count().label("messages"),
                students_where(lmi).label("b2_students"),
                sa.func.sum(sa.case((lmi, 1), else_=0)).label("b2_questions"),
                sa.func.count(sa.distinct(Turn.career)).label("b2_careers"),
                students_where(curriculum).label("b4_students"),
                sa.func.sum(sa.case((curriculum, 1), else_=0)).label("b4_questions"),
                students_where(employers).label("b5_students"),
                sa.func.sum(sa.case((employers, 1), else_=0)).label("b5_searches"),
            )
            .where(*where, Turn.class_code.is_not(None))
            .group_by(Turn.school, Turn.class_code)
            .order_by(Turn.school, Turn.class_code)
        ).all()
    return [dict(r._mapping) for r in rows]
