"""Lesson set-ups a teacher can pick: the topic the chat opens on, starter activities, year groups and
class codes, what the chat sends to the assistant to open on a topic, and which activity a lesson link may
show under "Your task:" on the school's lesson page.

A lesson link names one of its topic's own activities by number. A teacher's own words travel only with
a signature that the dashboard gives a signed-in member of staff, so that nobody can hand students a
link that shows instructions of their own in the school's name."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from careers_catalog.careers.discovery import DIGITAL
from contract import Intent, payload

YEAR_GROUPS = tuple(range(7, 14))
# Class codes avoid letters and digits that are easy to misread on a board (0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Topic:
    key: str  # what a snippet or link carries: "subject:Maths", "tech", ...
    label: str  # what the teacher picks and the student sees
    opening: str  # the message the chat sends (as a button would) when the lesson opens
    activities: tuple[str, ...]  # starter activities the teacher can pick


def subject_topic(subject: str) -> Topic:
    return Topic(
        f"subject:{subject}",
        f"Careers that use {subject}",
        payload(Intent.ASK_CAREERS_FOR_SUBJECTS, subject=subject),
        (
            f"Find three careers that use {subject}.",
            f"Pick one career that uses {subject}: what does it pay, and how do you get in?",
            f"Find a career that uses {subject} and one you had never heard of.",
        ),
    )


GENERAL_TOPICS = (
    Topic(
        "tech",
        "Careers in tech",
        payload(Intent.ASK_CAREERS_FOR_SUBJECTS, sector=DIGITAL),
        (
            "Find two tech careers and compare their pay and hours.",
            "Find a tech career you can start with an apprenticeship.",
            "Find a role model in tech whose story surprised you.",
        ),
    ),
    Topic(
        "quiz",
        "What suits me? (interests quiz)",
        payload(Intent.START_QUIZ),
        (
            "Take the quiz, then save two careers it suggests to your plan.",
            "Take the quiz and write down one career that surprised you.",
        ),
    ),
    Topic(
        "role-models",
        "Role models",
        payload(Intent.ASK_ROLE_MODELS),
        ("Find a role model whose route in was different from what you expected.",),
    ),
    Topic(
        "opportunities",
        "Work experience near our school",
        payload(Intent.FIND_OPPORTUNITIES),
        ("Find one opportunity near our school you could apply for this year.",),
    ),
)


def lesson_topics(subjects: list[str]) -> dict[str, Topic]:
    """Every topic a lesson can open on, by key: the general ones, then one per school subject."""
    topics = [*GENERAL_TOPICS, *(subject_topic(s) for s in sorted(subjects))]
    return {t.key: t for t in topics}


def new_class_code() -> str:
    """A random class code such as ``K7QM-3TXP``: nothing about the class or its students."""
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def opening_for(topic: Topic, school_area: str | None) -> str:
    """What the chat sends to open a lesson on ``topic``: opportunities open on the school's own area
    (the first part of its postcode) when the school has one."""
    if topic.key == "opportunities" and school_area:
        return payload(Intent.FIND_OPPORTUNITIES, location=school_area)
    return topic.opening


def link_signature(secret: bytes, school: str, topic: str, activity: str) -> str:
    """The signature that lets a lesson link for ``school`` and ``topic`` show ``activity``."""
    message = "\n".join((school, topic, activity)).encode("utf-8", "replace")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def lesson_activity(topics: Mapping[str, Topic], school: str, query: Mapping[str, str], secret: bytes) -> str:
    """The activity a lesson link asks for (``topic`` and ``activity`` in ``query``): one of the topic's
    own by number, or words of the teacher's own with a valid ``sig``; otherwise none."""
    topic = topics.get(query.get("topic", ""))
    wanted = query.get("activity", "")
    if topic is None or not wanted:
        return ""
    if wanted.isascii() and wanted.isdigit() and len(wanted) < 3:
        number = int(wanted)
        return topic.activities[number] if number < len(topic.activities) else ""
    expected = link_signature(secret, school, topic.key, wanted)
    given = query.get("sig", "")
    return wanted if hmac.compare_digest(expected, given.encode("ascii", "replace").decode()) else ""
