"""A realistic synthetic chat history in Rasa's ``events`` table, for the dashboard's benchmark and tests:
students of several schools and classes, in lessons and on their own, asking about careers, pay, routes
and subjects, taking the quiz, looking for work experience, and sometimes saying things the assistant
does not understand. Events have the shape Rasa's SQL tracker store writes.

    python -m bench.analytics_history URL [EVENTS]    write a history into the database at URL
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

RASA_EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)
SCHOOLS = ("demo", "northfield-academy", "riverside-high", "st-marys", "oakwood-college")
CAREERS = (
    "software-developer", "data-scientist", "nurse", "vet", "electrician", "plumber", "web-designer",
    "web-developer", "teacher", "civil-engineer", "graphic-designer", "police-officer", "accountant",
    "game-designer", "paramedic", "architect", "chef", "solicitor", "mechanical-engineer", "ux-designer",
)  # fmt: skip
SUBJECTS = ("Maths", "Computer Science", "Biology", "Art and Design", "English Language", "Physics",
            "Chemistry", "Geography", "Business", "Design and Technology")  # fmt: skip
# (intent, typed text, action, sets the career slot)
ASKS = (
    ("ask_career_overview", "what does a {career} do", "action_career_info", True),
    ("ask_pay", "how much does a {career} earn", "action_career_info", True),
    ("ask_routes", "how do i become a {career}", "action_career_info", True),
    ("ask_routes_without_degree", "can i be a {career} without uni", "action_career_info", True),
    ("ask_subjects", "what gcses do i need to be a {career}", "action_career_info", True),
    ("ask_hours", "what hours does a {career} work", "action_career_info", True),
    ("ask_careers_for_subjects", "what jobs can i do with {subject}", "action_suggest_careers", False),
    ("tell_interests", "i like {subject} and drawing", "action_suggest_careers", False),
    ("compare_careers", "{career} vs software developer", "action_compare_careers", False),
    ("ask_role_models", "are there women in tech", "action_role_models", False),
    ("confidence", "is tech only for boys", "utter_confidence", False),
    ("education", "what is a t level", "utter_education", False),
    ("find_opportunities", "any work experience near L3", "action_find_opportunities", False),
    ("filter_opportunities", "show me more", "action_find_opportunities", False),
    ("start_quiz", "i have no idea what to do", "interest_quiz_form", False),
    ("save_career", "save this career", "action_save_career", False),
)
NOT_UNDERSTOOD = (
    "can i get paid to play minecraft", "wat about being a youtuber", "how do i become a youtuber",
    "is being an influencer a real job", "how much do footballers earn a week", "do astronauts get holidays",
    "what about esports", "can u do my homework", "asdfghjkl", "how do i become a pro gamer",
)  # fmt: skip


def rasa_event(sender: str, kind: str, at: float, **data: Any) -> dict[str, Any]:
    body = {
        "event": kind,
        "timestamp": at,
        "metadata": {"model_id": "bench", "assistant_id": "careers-assistant"},
    }
    body.update(data)
    intent = (data.get("parse_data") or {}).get("intent", {}).get("name") if kind == "user" else None
    action = data.get("name") if kind in ("action", "slot") else None
    return {
        "sender_id": sender,
        "type_name": kind,
        "timestamp": at,
        "intent_name": intent,
        "action_name": action,
        "data": json.dumps(body),
    }


def conversations(seed: int = 7, start: float = 1_788_220_800.0, days: int = 270) -> Iterator[list[dict]]:
    """An endless stream of conversations (each a list of events), spread over ``days`` school days from
    ``start`` (1 September 2026 by default)."""
    rng = random.Random(seed)
    initials = {s: "".join(w[0] for w in s.split("-")).upper() for s in SCHOOLS}
    classes = {s: [f"{initials[s]}-{y}{c}" for y in range(7, 14) for c in "XY"] for s in SCHOOLS}
    students = [(uuid.UUID(int=rng.getrandbits(128)).hex, rng.choice(SCHOOLS)) for _ in range(8000)]
    while True:
        sender, school = rng.choice(students)
        at = start + rng.randrange(days) * 86400 + rng.randrange(8 * 3600, 16 * 3600)
        metadata: dict[str, Any] = {"school": school}
        if rng.random() < 0.6:  # in a lesson
            class_code = rng.choice(classes[school])
            metadata |= {"class_code": class_code, "year_group": int(class_code.split("-")[1][:-1])}
            metadata["topic"] = rng.choice(
                ("subject:Maths", "tech", "quiz", "opportunities", "subject:Biology")
            )
        events = [
            rasa_event(sender, "slot", at, name="session_started_metadata", value=metadata),
            rasa_event(sender, "action", at, name="action_session_start"),
            rasa_event(sender, "session_started", at),
            rasa_event(sender, "action", at, name="action_listen"),
        ]
        career = rng.choice(CAREERS)
        for _ in range(rng.randint(2, 12)):
            at += rng.uniform(8, 90)
            if rng.random() < 0.07:
                intent, text, action = "nlu_fallback", rng.choice(NOT_UNDERSTOOD), "action_fallback"
                sets_career = False
                confidence = rng.uniform(0.1, 0.44)
            else:
                intent, text, action, sets_career = rng.choice(ASKS)
                confidence = rng.uniform(0.5, 1.0)
                if rng.random() < 0.15:
                    career = rng.choice(CAREERS)
            subject = rng.choice(SUBJECTS)
            entities = [{"entity": "subject", "value": subject}] if "{subject}" in text else []
            text = text.format(career=career.replace("-", " "), subject=subject)
            parse = {"intent": {"name": intent, "confidence": confidence}, "entities": entities, "text": text}
            events.append(
                rasa_event(
                    sender, "user", at, text=text, parse_data=parse, input_channel="widget", metadata=metadata
                )
            )
            events.append(rasa_event(sender, "action", at + 0.05, name=action))
            events.append(rasa_event(sender, "bot", at + 0.06, text="(an answer)", data={}))
            if sets_career:
                events.append(rasa_event(sender, "slot", at + 0.06, name="career", value=career))
            if intent == "start_quiz":
                events.append(
                    rasa_event(sender, "slot", at + 0.07, name="interest_profile", value=rng.choice("RIASEC"))
                )
            events.append(rasa_event(sender, "action", at + 0.08, name="action_listen"))
        yield events


def write_history(engine: Engine, events: int, seed: int = 7, batch: int = 20_000) -> int:
    """Append at least ``events`` events of synthetic history (whole conversations); returns how many."""
    RASA_EVENTS.create(engine, checkfirst=True)
    written, pending = 0, []
    for conversation in conversations(seed):
        pending.extend(conversation)
        if len(pending) >= batch or written + len(pending) >= events:
            with engine.begin() as conn:
                conn.execute(RASA_EVENTS.insert(), pending)
            written += len(pending)
            pending = []
            if written >= events:
                return written
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("events", type=int, nargs="?", default=1_000_000)
    args = parser.parse_args()
    print(f"wrote {write_history(sa.create_engine(args.url, future=True), args.events)} events")
