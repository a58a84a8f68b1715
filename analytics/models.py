"""Tables the dashboard keeps beside Rasa's ``events`` table in the conversations database: one row per
student message (``analytics_turns``, derived from the events), how far that derivation has got, dashboard
users and their sessions, advisers' review notes on conversations, and the chats handed over to a careers
adviser with their messages."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declarative_base

Base = declarative_base()  # its own metadata: these tables live in the conversations database


class Turn(Base):
    """One student message and what the assistant made of it. Derived from Rasa's events by
    :func:`analytics.sync.sync_turns`; the id is the ``user`` event's id."""

    __tablename__ = "analytics_turns"

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=False)
    sender_id: Mapped[str] = Column(String(255), nullable=False)
    conversation_id: Mapped[int] = Column(Integer, nullable=False)  # event id that started the session
    at: Mapped[float] = Column(Float, nullable=False)  # Unix time
    day: Mapped[str] = Column(String(10), nullable=False)  # YYYY-MM-DD (UTC), for grouping by day
    school: Mapped[str | None] = Column(String(40))
    class_code: Mapped[str | None] = Column(String(20))
    lesson_topic: Mapped[str | None] = Column(String(80))
    year_group: Mapped[int | None] = Column(Integer)
    preview: Mapped[bool] = Column(Boolean, default=False, nullable=False)  # a teacher trying a lesson out
    text: Mapped[str] = Column(Text, default="", nullable=False)
    button: Mapped[bool] = Column(Boolean, default=False, nullable=False)  # a button press, not typed
    intent: Mapped[str | None] = Column(String(80))
    confidence: Mapped[float | None] = Column(Float)
    topic: Mapped[str] = Column(String(40), default="other", nullable=False)  # what the message was about
    action: Mapped[str | None] = Column(String(80))  # the first action the assistant ran
    answered: Mapped[bool] = Column(Boolean, default=True, nullable=False)
    career: Mapped[str | None] = Column(String(80))  # the career in focus after the answer
    subjects: Mapped[str | None] = Column(String(400))  # subjects named, comma-separated
    riasec: Mapped[str | None] = Column(String(6))  # quiz result, when this turn finished it
    # Typed, and not answered or understood with low confidence: for "what the assistant could not answer".
    needs_review: Mapped[bool] = Column(Boolean, default=False, nullable=False)
    # The kind of risk when the message signalled one (safeguarding_concern): shown only in the
    # safeguarding view, never counted in what students ask, never offered for review as "not answered".
    risk: Mapped[str | None] = Column(String(20))

    __table_args__ = (
        Index("ix_turns_sender", "sender_id", "id"),
        Index("ix_turns_conversation", "conversation_id"),
        Index("ix_turns_review", "needs_review", "id"),
    )


class Conversation(Base):
    """One conversation (a Rasa session) with its counts, so that pages add up conversations rather than
    every message. Kept up to date with the turns."""

    __tablename__ = "analytics_conversations"

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=False)  # = Turn.conversation_id
    sender_id: Mapped[str] = Column(String(255), nullable=False)
    first_at: Mapped[float] = Column(Float, nullable=False)
    day: Mapped[str] = Column(String(10), nullable=False)
    school: Mapped[str | None] = Column(String(40))
    class_code: Mapped[str | None] = Column(String(20))
    lesson_topic: Mapped[str | None] = Column(String(80))
    year_group: Mapped[int | None] = Column(Integer)
    preview: Mapped[bool] = Column(Boolean, default=False, nullable=False)
    messages: Mapped[int] = Column(Integer, default=0, nullable=False)
    unanswered: Mapped[int] = Column(Integer, default=0, nullable=False)
    lmi_questions: Mapped[int] = Column(Integer, default=0, nullable=False)  # Gatsby 2
    curriculum_questions: Mapped[int] = Column(Integer, default=0, nullable=False)  # Gatsby 4
    employer_searches: Mapped[int] = Column(Integer, default=0, nullable=False)  # Gatsby 5
    risk_messages: Mapped[int] = Column(Integer, default=0, nullable=False)  # for the safeguarding view

    __table_args__ = (
        Index("ix_conversations_day", "day", "school", "class_code"),
        Index("ix_conversations_school_day", "school", "day"),
        Index("ix_conversations_class_day", "class_code", "day"),
        Index("ix_conversations_sender", "sender_id"),
    )


class Fact(Base):
    """Something a conversation touched on, once per conversation: a career, a subject, a topic, an
    intent, a quiz result. What "what students ask about" counts. It repeats its conversation's student,
    day, school, class and lesson, so that counting students per career over a school year reads one
    index in order instead of joining (about 0.2 s rather than 1.2 s on a million events)."""

    __tablename__ = "analytics_facts"

    conversation_id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = Column(String(10), primary_key=True)  # career, subject, topic, intent, riasec
    value: Mapped[str] = Column(String(80), primary_key=True)
    sender_id: Mapped[str] = Column(String(255), nullable=False)
    day: Mapped[str] = Column(String(10), nullable=False)
    school: Mapped[str | None] = Column(String(40))
    class_code: Mapped[str | None] = Column(String(20))
    lesson_topic: Mapped[str | None] = Column(String(80))
    preview: Mapped[bool] = Column(Boolean, default=False, nullable=False)

    __table_args__ = (
        Index(
            "ix_facts_students",
            "kind",
            "value",
            "sender_id",
            "day",
            "school",
            "class_code",
            "lesson_topic",
            "preview",
        ),
    )


class SyncState(Base):
    """How far the turns have been derived: the last Rasa event id read."""

    __tablename__ = "analytics_sync"

    name: Mapped[str] = Column(String(40), primary_key=True)
    last_event_id: Mapped[int] = Column(Integer, default=0, nullable=False)


class ReadinessCount(Base):
    """How many students gave one rating to one statement of the careers-readiness check, per day, class,
    lesson and moment (analytics/readiness.py). Only counts are kept: no chat id, no time of day and no
    row per student, so nothing links one student's answers to each other or to their chat."""

    __tablename__ = "analytics_readiness"

    id: Mapped[int] = Column(Integer, primary_key=True)
    day: Mapped[str] = Column(String(10), nullable=False)
    school: Mapped[str] = Column(String(40), nullable=False)
    class_code: Mapped[str] = Column(String(20), nullable=False)
    lesson_topic: Mapped[str] = Column(String(80), nullable=False, default="")
    year_group: Mapped[int] = Column(Integer, nullable=False, default=0)  # 0: not given
    moment: Mapped[str] = Column(String(10), nullable=False)  # "start" or "end" of a lesson or term
    item: Mapped[str] = Column(String(20), nullable=False)
    rating: Mapped[int] = Column(Integer, nullable=False)  # 1 (not at all) to 5 (completely)
    answers: Mapped[int] = Column(Integer, nullable=False, default=0)

    __table_args__ = (
        UniqueConstraint(
            "day", "school", "class_code", "lesson_topic", "year_group", "moment", "item", "rating"
        ),
    )


class ForgottenChat(Base):
    """A chat id whose student deleted their chat, kept for an hour so that a derivation already under
    way when it was deleted cannot bring any of it back (``analytics/retention.py``). The id is random
    and was made by the browser, which has dropped it: nothing here says who the student was."""

    __tablename__ = "analytics_forgotten"

    sender_id: Mapped[str] = Column(String(255), primary_key=True)
    at: Mapped[float] = Column(Float, nullable=False)


class User(Base):
    """A dashboard account. ``schools`` and ``classes`` are comma-separated ids and class codes: an
    adviser sees their schools; a teacher sees their classes; an administrator sees everything."""

    __tablename__ = "analytics_users"

    id: Mapped[int] = Column(Integer, primary_key=True)
    username: Mapped[str] = Column(String(80), unique=True, nullable=False)
    password_hash: Mapped[str] = Column(String(200), nullable=False)
    role: Mapped[str] = Column(String(20), nullable=False)
    schools: Mapped[str] = Column(String(400), default="", nullable=False)
    classes: Mapped[str] = Column(String(400), default="", nullable=False)


class LoginSession(Base):
    """A signed-in browser: the SHA-256 of its cookie's token, whose it is, and when it expires."""

    __tablename__ = "analytics_sessions"

    token_hash: Mapped[str] = Column(String(64), primary_key=True)
    user_id: Mapped[int] = Column(ForeignKey("analytics_users.id", ondelete="CASCADE"), nullable=False)
    expires_at: Mapped[float] = Column(Float, nullable=False)
    csrf: Mapped[str] = Column(String(64), nullable=False)


class Review(Base):
    """An adviser's review of one conversation: reviewed or not, and a note."""

    __tablename__ = "analytics_reviews"

    conversation_id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=False)
    reviewed: Mapped[bool] = Column(Boolean, default=False, nullable=False)
    note: Mapped[str] = Column(Text, default="", nullable=False)
    reviewer: Mapped[str] = Column(String(80), default="", nullable=False)
    updated_at: Mapped[float] = Column(Float, default=0, nullable=False)


class Handover(Base):
    """A chat a student asked to pass to a person (web/handover.py): which school's careers advisers it
    went to, its chat id (so that an answer reaches that browser, and "Delete my chat" deletes it), what
    is happening to it, and the lesson fields the chat had. Nothing says who the student is."""

    __tablename__ = "handovers"

    id: Mapped[int] = Column(Integer, primary_key=True)
    school: Mapped[str] = Column(String(40), nullable=False)
    sender_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    status: Mapped[str] = Column(String(10), nullable=False)  # waiting, active (an adviser has it), closed
    class_code: Mapped[str] = Column(String(20), nullable=False, default="")
    year_group: Mapped[int] = Column(Integer, nullable=False, default=0)  # 0: not given
    risk: Mapped[bool] = Column(Boolean, nullable=False, default=False)  # a message in it signalled a risk
    adviser: Mapped[str] = Column(String(80), nullable=False, default="")  # the dashboard user who has it
    requested_at: Mapped[float] = Column(Float, nullable=False)
    answered_at: Mapped[float | None] = Column(Float)  # the first adviser message
    closed_at: Mapped[float | None] = Column(Float)
    updated_at: Mapped[float] = Column(Float, nullable=False)

    __table_args__ = (Index("ix_handovers_school_status", "school", "status"),)


class HandoverMessage(Base):
    """One message of a handed-over chat: the student's (with personal data taken out, as in Rasa's
    events), an adviser's, the assistant's safeguarding reply, or a note of what happened ("handed
    back"). Its id orders the live updates both pages read."""

    __tablename__ = "handover_messages"

    id: Mapped[int] = Column(Integer, primary_key=True)
    handover_id: Mapped[int] = Column(
        ForeignKey("handovers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author: Mapped[str] = Column(String(10), nullable=False)  # student, adviser, assistant, note
    text: Mapped[str] = Column(Text, nullable=False)
    risk: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    at: Mapped[float] = Column(Float, nullable=False)
