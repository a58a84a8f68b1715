"""The dashboard's questions, asked of ``analytics_turns`` (and, to read one conversation, of Rasa's
events): how much the chat is used, what students ask about, what the assistant could not answer, the
conversations themselves, and the Gatsby Benchmarks evidence. Every query is limited by the filters
chosen and by what the signed-in user may see (:class:`analytics.accounts.Scope`).

Teachers' lesson previews are left out of every count of use. They are never left out of the list of
conversations or of the safeguarding page: "preview" is only what a browser claims, and a risk message
typed into a preview must still reach the safeguarding lead."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlalchemy.engine import Engine

from analytics import readiness
from analytics.accounts import Scope
from analytics.evidence import LEARNING, NEED, SCHOOL_YEAR_STARTS, TERMS, kinds_of
from analytics.models import Conversation, Fact, ReadinessCount, Review, Turn
from analytics.sync import EVENTS, TOPIC_OF_INTENT
from contract import RISK_INTENT, SIGNAL_KEY, Intent, Signal

SCHOOL_TIME = ZoneInfo("Europe/London")  # times on the dashboard, as a school's clock reads them
WITHHELD = "[A message for the school's safeguarding lead: not shown here]"
# What a reply that only signals the web app did, as a transcript shows it.
SIGNALS = {Signal.HANDOVER: "[Passed the chat to the school's careers advisers]"}
SIMILAR_AT = 80  # rapidfuzz token-set similarity at which two unanswered messages are one group
TOP = 15  # rows per table in "what students ask about"


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


def _where(
    f: Filters, scope: Scope, table: type = Conversation, counting_use: bool = True
) -> list[sa.ColumnElement]:
    """The filters and the user's scope as conditions on ``table`` (conversations or turns); previews are
    left out only when ``counting_use``."""
    conditions = [table.day >= f.date_from, table.day <= f.date_to]
    if counting_use:
        conditions.append(table.preview.is_(False))
    if f.school:
        conditions.append(table.school == f.school)
    if f.class_code:
        conditions.append(table.class_code == f.class_code)
    if f.lesson_topic:
        conditions.append(table.lesson_topic == f.lesson_topic)
    if scope.schools is not None:
        conditions.append(table.school.in_(sorted(scope.schools)))
    if scope.classes is not None:
        conditions.append(table.class_code.in_(sorted(scope.classes)))
    return conditions


def overview(engine: Engine, f: Filters, scope: Scope) -> dict[str, Any]:
    """Conversations, students, messages, average length, returning students, share answered, and the
    same by day (the day each conversation started)."""
    where = _where(f, scope)
    c = Conversation
    with engine.connect() as conn:
        totals = conn.execute(
            sa.select(
                sa.func.count().label("conversations"),
                sa.func.count(sa.distinct(c.sender_id)).label("students"),
                sa.func.coalesce(sa.func.sum(c.messages), 0).label("messages"),
                sa.func.coalesce(sa.func.sum(c.unanswered), 0).label("unanswered"),
            ).where(*where)
        ).one()
        returning = conn.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(c.sender_id)
                .where(*where)
                .group_by(c.sender_id)
                .having(sa.func.count(sa.distinct(c.day)) > 1)
                .subquery()
            )
        ).scalar_one()
        by_day = conn.execute(
            sa.select(
                c.day,
                sa.func.count().label("conversations"),
                sa.func.count(sa.distinct(c.sender_id)).label("students"),
                sa.func.sum(c.messages).label("messages"),
            )
            .where(*where)
            .group_by(c.day)
            .order_by(c.day)
        ).all()
    messages = int(totals.messages)
    return {
        "messages": messages,
        "conversations": totals.conversations,
        "students": totals.students,
        "returning_students": returning,
        "average_length": round(messages / totals.conversations, 1) if totals.conversations else 0,
        "answered_share": round(1 - int(totals.unanswered) / messages, 3) if messages else None,
        "by_day": every_day(f, [dict(r._mapping) for r in by_day]),
    }


def every_day(f: Filters, days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The figures of every day the filters span, those without a conversation as zeros, so that a
    chart's bars stand for days and not only for days that had chats; empty if no day had any. A span
    over a year starts at its first day with a conversation."""
    if not days:
        return []
    found = {d["day"]: d for d in days}
    first, last = dt.date.fromisoformat(f.date_from), dt.date.fromisoformat(f.date_to)
    if (last - first).days > 366:
        first = dt.date.fromisoformat(days[0]["day"])
    zero = {k: 0 for k in days[0] if k != "day"}
    return [
        found.get(day, {"day": day, **zero})
        for day in ((first + dt.timedelta(n)).isoformat() for n in range((last - first).days + 1))
    ]


def asks(engine: Engine, f: Filters, scope: Scope) -> dict[str, Any]:
    """What students ask about: careers, subjects, topics, quiz results and opportunities, each counted
    as the number of students whose conversations touched on it."""
    kinds = ("career", "subject", "topic", "riasec", "intent")
    with engine.connect() as conn:
        rows = conn.execute(  # counted off the index ix_facts_students, in order
            sa.select(Fact.kind, Fact.value, sa.func.count(sa.distinct(Fact.sender_id)))
            .where(Fact.kind.in_(kinds), *_where(f, scope, Fact))
            .group_by(Fact.kind, Fact.value)
        ).all()
        searches = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(Conversation.employer_searches), 0)).where(
                *_where(f, scope)
            )
        ).scalar_one()
    by_kind: dict[str, list[tuple[str, int]]] = {k: [] for k in kinds}
    for kind, value, students in rows:
        by_kind[kind].append((value, students))
    top = {k: sorted(v, key=lambda x: (-x[1], x[0]))[:TOP] for k, v in by_kind.items()}
    intents = dict(by_kind["intent"])
    return {
        "careers": top["career"],
        "subjects": top["subject"],
        "topics": sorted(by_kind["topic"], key=lambda x: (-x[1], x[0])),
        "riasec": sorted(by_kind["riasec"], key=lambda x: "RIASEC".find(x[0])),
        "opportunity_searches": int(searches),
        "opportunity_students": intents.get(Intent.FIND_OPPORTUNITIES, 0),
        "opportunity_follow_ups": intents.get(Intent.FILTER_OPPORTUNITIES, 0),
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
            .where(Turn.needs_review.is_(True), *_where(f, scope, Turn))
            .order_by(Turn.needs_review, Turn.id.desc())
            .limit(limit)
        ).all()
    groups: list[list[tuple[str, str]]] = []
    keys: list[str] = []  # each group's first message, lower-cased, to compare with
    group_of: dict[str, int] = {}  # a message seen before goes where it went then
    for text, day in rows:
        cleaned = " ".join(text.split())
        key = cleaned.lower()
        if key not in group_of:
            match = process.extractOne(key, keys, scorer=fuzz.token_set_ratio, score_cutoff=SIMILAR_AT)
            group_of[key] = match[2] if match else len(keys)
            if not match:
                keys.append(key)
                groups.append([])
        groups[group_of[key]].append((cleaned, day))
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


def local_time(timestamp: float) -> str:
    """A Unix time as the schools' clock reads it (UK time, with summer time), to the minute."""
    return dt.datetime.fromtimestamp(timestamp, SCHOOL_TIME).strftime("%Y-%m-%d %H:%M")


def conversations(
    engine: Engine,
    f: Filters,
    scope: Scope,
    topic: str | None = None,
    career: str | None = None,
    flag: str | None = None,
    limit: int = 50,
    offset: int = 0,
    show_risk: bool = False,
) -> list[dict[str, Any]]:
    """Conversations, newest first, each with its first typed message, the careers it looked at, its
    size, unanswered count and review state. ``topic`` is a topic's name as "what students ask about"
    shows it; ``flag``: "unanswered", "reviewed" or "not-reviewed". Whether a conversation signalled a
    risk is shown, and its first message if that was the risk, only with ``show_risk``."""
    c = Conversation
    where = _where(f, scope, counting_use=False)
    for kind, wanted in (("topic", topic), ("career", career)):
        if wanted:
            touched = sa.select(Fact.conversation_id).where(Fact.kind == kind, Fact.value == wanted)
            where.append(c.id.in_(touched))
    reviewed = sa.func.coalesce(Review.reviewed, False)
    if flag == "unanswered":
        where.append(c.unanswered > 0)
    elif flag in ("reviewed", "not-reviewed"):
        where.append(reviewed.is_(flag == "reviewed"))
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(c, reviewed.label("reviewed"))
            .outerjoin(Review, Review.conversation_id == c.id)
            .where(*where)
            .order_by(c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        ids = [r.id for r in rows]
        first: dict[int, str] = {}
        careers: dict[int, list[str]] = {}
        if ids:
            for conversation_id, text, risk in conn.execute(
                sa.select(Turn.conversation_id, Turn.text, Turn.risk)
                .where(Turn.conversation_id.in_(ids), Turn.button.is_(False))
                .order_by(Turn.id)
            ):
                first.setdefault(conversation_id, WITHHELD if risk and not show_risk else text)
            for conversation_id, value in conn.execute(
                sa.select(Fact.conversation_id, Fact.value)
                .where(Fact.conversation_id.in_(ids), Fact.kind == "career")
                .order_by(Fact.value)
            ):
                careers.setdefault(conversation_id, []).append(value)
    return [
        {
            "conversation_id": r.id,
            "student": anonymous_id(r.sender_id),
            "school": r.school,
            "class_code": r.class_code,
            "started": local_time(r.first_at),
            "first_message": first.get(r.id, ""),
            "careers": careers.get(r.id, []),
            "messages": r.messages,
            "unanswered": r.unanswered,
            "risk": show_risk and r.risk_messages > 0,
            "reviewed": bool(r.reviewed),
            "preview": bool(r.preview),
        }
        for r in rows
    ]


def _payload_words(text: str) -> str | None:
    """A button's payload pressed with no button of the transcript's to name it (a lesson's opening, a
    link), in words: "/ask_pay{"career": "vet"}" is "Pay (vet)"; None for typed text."""
    found = re.fullmatch(r"/(\w+)(\{.*\})?", text, re.DOTALL)
    if found is None:
        return None
    try:
        values = [str(v) for v in json.loads(found.group(2) or "{}").values()]
    except (ValueError, AttributeError):
        values = []
    words = TOPIC_OF_INTENT.get(found.group(1), found.group(1).replace("_", " ")).capitalize()
    return f"{words} ({', '.join(values)})" if values else words


def conversation(
    engine: Engine, conversation_id: int, scope: Scope, show_risk: bool = False
) -> dict[str, Any] | None:
    """One conversation to read: its messages in order (student and assistant), with the review; None if
    it does not exist or the user may not see it. Messages that signalled a risk are withheld unless
    ``show_risk`` (a safeguarding lead or an administrator)."""
    c = Conversation
    with engine.connect() as conn:
        first = conn.execute(sa.select(c).where(c.id == conversation_id)).first()
        if first is None or not scope.allows(first.school, first.class_code):
            return None
        if (scope.classes is not None and first.class_code is None) or (
            scope.schools is not None and first.school is None
        ):
            return None
        next_start = conn.execute(
            sa.select(sa.func.min(c.id)).where(c.sender_id == first.sender_id, c.id > conversation_id)
        ).scalar()
        events = conn.execute(
            sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
            .where(
                EVENTS.c.sender_id == first.sender_id,
                EVENTS.c.id >= conversation_id,
                EVENTS.c.id < (next_start or 2**62),
                EVENTS.c.type_name.in_(("user", "bot")),
            )
            .order_by(EVENTS.c.id)
        ).all()
        intents = conn.execute(
            sa.select(Fact.value).where(Fact.conversation_id == conversation_id, Fact.kind == "intent")
        ).scalars()
        intents = sorted(intents)
        review = conn.execute(sa.select(Review).where(Review.conversation_id == conversation_id)).first()
    messages = []
    offered: dict[str, str] = {}  # the buttons on screen: payload -> what the student saw
    for kind, at, data in events:
        body = json.loads(data or "{}")
        if kind == "user":
            intent = ((body.get("parse_data") or {}).get("intent") or {}).get("name")
            risky = intent == RISK_INTENT
            text = body.get("text") or ""
            pressed = offered.get(text) or _payload_words(text)
            text = WITHHELD if risky and not show_risk else pressed or text
            messages.append(
                {
                    "from": "student",
                    "at": local_time(at),
                    "text": text,
                    "button": bool(pressed),
                    "risk": risky,
                }
            )
            offered = {}
            continue
        said = body.get("data") or {}
        custom = said.get("custom") or {}
        card = custom.get("card") or {}
        buttons = [
            b for b in (said.get("buttons") or []) + (custom.get("buttons") or []) if isinstance(b, dict)
        ]
        offered |= {str(b.get("payload")): str(b.get("title")) for b in buttons}
        messages.append(
            {
                "from": "assistant",
                "at": local_time(at),
                "card": card.get("title") or "",
                "text": body.get("text") or custom.get("text") or SIGNALS.get(custom.get(SIGNAL_KEY), ""),
                "buttons": [str(b.get("title")) for b in buttons],
            }
        )
    return {
        "id": conversation_id,
        "student": anonymous_id(first.sender_id),
        "school": first.school,
        "class_code": first.class_code,
        "lesson_topic": first.lesson_topic,
        "messages": messages,
        "intents": intents,
        "unanswered": first.unanswered,
        "risk_messages": first.risk_messages,
        "reviewed": bool(review and review.reviewed),
        "note": review.note if review else "",
    }


def flagged(
    engine: Engine, f: Filters, scope: Scope, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Conversations in which a student's message signalled a risk, newest first, with the kinds of risk
    and whether a safeguarding lead has reviewed them."""
    c = Conversation
    reviewed = sa.func.coalesce(Review.reviewed, False)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(c, reviewed.label("reviewed"), Review.note)
            .outerjoin(Review, Review.conversation_id == c.id)
            .where(c.risk_messages > 0, *_where(f, scope, counting_use=False))
            .order_by(reviewed, c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        kinds: dict[int, list[str]] = {}
        ids = [r.id for r in rows]
        if ids:
            for conversation_id, risk in conn.execute(
                sa.select(Turn.conversation_id, Turn.risk)
                .where(Turn.conversation_id.in_(ids), Turn.risk.is_not(None))
                .distinct()
            ):
                kinds.setdefault(conversation_id, []).append(risk.replace("_", " "))
    return [
        {
            "conversation_id": r.id,
            "student": anonymous_id(r.sender_id),
            "school": r.school,
            "class_code": r.class_code,
            "lesson_topic": r.lesson_topic,
            "started": local_time(r.first_at),
            "risks": ", ".join(sorted(kinds.get(r.id, []))),
            "risk_messages": r.risk_messages,
            "reviewed": bool(r.reviewed),
            "note": r.note or "",
            "preview": bool(r.preview),
        }
        for r in rows
    ]


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
    c = Conversation
    where = [*_where(f, scope), c.class_code.is_not(None)]

    def students_with(column: sa.Column) -> sa.ColumnElement:
        return sa.func.count(sa.distinct(sa.case((column > 0, c.sender_id))))

    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                c.school,
                c.class_code,
                sa.func.count(sa.distinct(c.sender_id)).label("students"),
                sa.func.sum(c.messages).label("messages"),
                students_with(c.lmi_questions).label("b2_students"),
                sa.func.sum(c.lmi_questions).label("b2_questions"),
                students_with(c.curriculum_questions).label("b4_students"),
                sa.func.sum(c.curriculum_questions).label("b4_questions"),
                students_with(c.employer_searches).label("b5_students"),
                sa.func.sum(c.employer_searches).label("b5_searches"),
            )
            .where(*where)
            .group_by(c.school, c.class_code)
            .order_by(c.school, c.class_code)
        ).all()
        careers = {
            (school, class_code): n
            for school, class_code, n in conn.execute(
                sa.select(Fact.school, Fact.class_code, sa.func.count(sa.distinct(Fact.value)))
                .where(Fact.kind == "career", Fact.class_code.is_not(None), *_where(f, scope, Fact))
                .group_by(Fact.school, Fact.class_code)
            )
        }
    return [{**r._mapping, "b2_careers": careers.get((r.school, r.class_code), 0)} for r in rows]


def _school_term(day: sa.ColumnElement) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """The school year's first year and the term of a YYYY-MM-DD column, in SQL, by ``evidence.TERMS`` as
    ``evidence.term_of`` reads them."""
    month, year = sa.func.substr(day, 6, 2), sa.cast(sa.func.substr(day, 1, 4), sa.Integer)
    start = sa.case((month >= f"{SCHOOL_YEAR_STARTS:02d}", year), else_=year - 1)
    term = sa.case(*((month >= f"{m:02d}", name) for m, name in reversed(TERMS[1:])), else_=TERMS[0][1])
    return start, term


def gatsby_needs_and_learning(engine: Engine, f: Filters, scope: Scope) -> dict[str, Any]:
    """What the chats show for Gatsby Benchmarks 3 and 7 (analytics/evidence.py), beside 2, 4 and 5: by
    year group, students who asked about each kind of need and each kind of further and higher
    education; by term and year group, the students behind each benchmark; and the same over the whole
    period, each student once. Students are counted, never named; lesson previews are left out."""
    c = Conversation
    where = _where(f, scope)
    start, term = _school_term(c.day)
    by_term = (start.label("start"), term.label("term"), c.year_group)

    def students_with(condition: sa.ColumnElement) -> sa.ColumnElement:
        return sa.func.count(sa.distinct(sa.case((condition, c.sender_id))))

    counted = (
        sa.func.count(sa.distinct(c.sender_id)).label("students"),
        students_with(c.lmi_questions > 0).label("b2"),
        students_with(c.curriculum_questions > 0).label("b4"),
        students_with(c.employer_searches > 0).label("b5"),
    )

    def asked(*groups: Any) -> sa.Select:
        """Students whose conversations asked a Benchmark 3 or 7 question, per kind and ``groups``."""
        return (
            sa.select(Fact.kind, *groups, sa.func.count(sa.distinct(Fact.sender_id)).label("n"))
            .join(c, c.id == Fact.conversation_id)
            .where(Fact.kind.in_((NEED, LEARNING)), *where)
            .group_by(Fact.kind, *groups)
        )

    with engine.connect() as conn:
        by_year = dict(
            conn.execute(
                sa.select(c.year_group, sa.func.count(sa.distinct(c.sender_id)))
                .where(*where)
                .group_by(c.year_group)
            ).all()
        )
        by_year_value = {
            (r.kind, r.year_group, r.value): r.n for r in conn.execute(asked(c.year_group, Fact.value))
        }
        terms = conn.execute(sa.select(*by_term, *counted).where(*where).group_by(*by_term)).all()
        term_facts = {(r.start, r.term, r.year_group, r.kind): r.n for r in conn.execute(asked(*by_term))}
        overall = conn.execute(sa.select(*counted).where(*where)).one()
        overall_facts = {r.kind: r.n for r in conn.execute(asked())}
    years = sorted(by_year, key=lambda y: (y is None, y or 0))
    order = {
        name: (month - SCHOOL_YEAR_STARTS) % 12 for month, name in TERMS
    }  # the school year's terms in turn
    return {
        "years": [
            {
                "year_group": year,
                "students": by_year[year],
                "needs": {v: by_year_value.get((NEED, year, v), 0) for v in kinds_of(NEED)},
                "learning": {v: by_year_value.get((LEARNING, year, v), 0) for v in kinds_of(LEARNING)},
            }
            for year in years
        ],
        "needs": kinds_of(NEED),
        "learning": kinds_of(LEARNING),
        "totals": {
            **overall._mapping,
            "b3": overall_facts.get(NEED, 0),
            "b7": overall_facts.get(LEARNING, 0),
        },
        "terms": [
            {
                "term": f"{r.start}/{(r.start + 1) % 100:02d} {r.term}",
                "year_group": r.year_group,
                "students": r.students,
                "b2": r.b2,
                "b3": term_facts.get((r.start, r.term, r.year_group, NEED), 0),
                "b4": r.b4,
                "b5": r.b5,
                "b7": term_facts.get((r.start, r.term, r.year_group, LEARNING), 0),
            }
            for r in sorted(
                terms, key=lambda r: (r.start, order[r.term], r.year_group is None, r.year_group or 0)
            )
        ],
    }


def readiness_change(engine: Engine, f: Filters, scope: Scope) -> list[dict[str, Any]]:
    """The careers-readiness check (analytics/readiness.py), per class and statement: how many answered at
    the start and at the end, the average rating of each (when at least ``MIN_ANSWERS`` answered) and the
    change from start to end. Teachers' previews were never counted."""
    r = ReadinessCount
    where = _where(f, scope, r, counting_use=False)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                r.school,
                r.class_code,
                r.item,
                r.moment,
                sa.func.sum(r.answers).label("answers"),
                sa.func.sum(r.answers * r.rating).label("total"),
            )
            .where(*where)
            .group_by(r.school, r.class_code, r.item, r.moment)
        ).all()
    found: dict[tuple[str, str], dict[str, dict[str, tuple[int, int]]]] = {}
    for row in rows:
        found.setdefault((row.school, row.class_code), {}).setdefault(row.item, {})[row.moment] = (
            int(row.answers),
            int(row.total),
        )
    out = []
    for (school_id, code), items in sorted(found.items()):
        statements = []
        for key, statement in readiness.ITEMS:
            start, end = (items.get(key, {}).get(m, (0, 0)) for m in readiness.MOMENTS)
            means = [round(total / n, 1) if n >= readiness.MIN_ANSWERS else None for n, total in (start, end)]
            change = round(means[1] - means[0], 1) if None not in means else None
            statements.append(
                {
                    "item": key,
                    "statement": statement,
                    "start_answers": start[0],
                    "start": means[0],
                    "end_answers": end[0],
                    "end": means[1],
                    "change": change,
                }
            )
        out.append({"school": school_id, "class_code": code, "statements": statements})
    return out
