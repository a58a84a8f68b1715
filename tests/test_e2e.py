"""End to end: the real Rasa server and action server, talked to over the REST channel.

Needs the trained model (``make test`` trains it first). Starts both servers on free ports with a
fresh SQLite tracker store, holds the conversations from the issue, then runs ``rasa test`` on
``tests/test_stories.yml`` against the same action server.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.conversations import Runner
from deploy.launcher import Assistant, child_env
from settings import ROOT
from tests.conftest import MODEL

pytestmark = pytest.mark.e2e


def _text(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def _sender() -> str:
    return uuid.uuid4().hex


def test_greeting_offers_buttons(servers: Assistant):
    replies = servers.say(_sender(), "hiya")
    assert "careers helper" in _text(replies)
    assert replies[0]["buttons"]


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("wat does a sofware enginer do", "Software developer:"),
        ("tell me about cyber security jobs", "Cyber security analyst:"),
        ("can you get paid to be a hacker", "enetration tester"),
        ("network engineer", "Network engineer:"),
    ],
)
def test_what_a_career_is_like_in_the_students_own_words(servers: Assistant, message: str, title: str):
    assert title in _text(servers.say(_sender(), message))


def test_pay_with_source_and_follow_ups_in_context(servers: Assistant):
    sender = _sender()
    pay = _text(servers.say(sender, "how much does a web developer earn"))
    assert "web developer" in pay and "£" in pay and "Source:" in pay
    follow = _text(servers.say(sender, "what subjects would help with that?"))
    assert "Subjects that help to become a web developer" in follow
    hours = _text(servers.say(sender, "and what hours do they work"))
    assert "web developer" in hours and "hours a week" in hours


def test_conversations_are_kept_in_the_sql_tracker_store(servers: Assistant):
    sender = _sender()
    servers.say(sender, "how much does a plumber earn")
    servers.say(sender, "and what hours do they work")
    engine = sa.create_engine(servers.tracker_url, future=True)
    with engine.connect() as conn:
        intents = (
            conn.execute(
                sa.text(
                    "select intent_name from events where sender_id = :s and type_name = 'user' order by id"
                ),
                {"s": sender},
            )
            .scalars()
            .all()
        )
    assert intents == ["ask_pay", "ask_hours"]


def test_a_short_follow_up_is_answered_by_the_skill_that_answered_last(servers: Assistant):
    sender = _sender()
    assert "Careers where Maths really helps" in _text(
        servers.say(sender, "im good at maths what jobs could i do")
    )
    assert "where Art and Design really helps" in _text(servers.say(sender, "what about art"))
    servers.say(sender, "how much do nurses earn")
    assert "Pay for a midwife" in _text(servers.say(sender, "and midwives?"))
    servers.say(sender, "doctor vs nurse")
    # Whatever the NLU makes of it, the question is about the two just compared.
    again = _text(servers.say(sender, "which one has better hours"))
    assert "side by side" in again and "Nurse" in again, again


def test_personal_data_gets_a_kind_reminder_and_the_question_is_still_answered(servers: Assistant):
    sender = _sender()
    replies = servers.say(sender, "how much do plumbers make, add me on snap sam_x09 if u can send more")
    assert "I don't need your name" in replies[0]["text"]
    assert "Pay for a plumber" in _text(replies[1:])
    # Said once per message: the next question is answered as usual.
    assert "I don't need" not in _text(servers.say(sender, "and what hours do they work"))


def test_routes_without_uni(servers: Assistant):
    text = _text(servers.say(_sender(), "can I become a software developer without going to uni?"))
    assert "without going to university" in text and "Apprenticeship" in text


def test_question_first_then_career(servers: Assistant):
    sender = _sender()
    assert "Which career" in _text(servers.say(sender, "how much do they get paid"))
    assert "Pay for an electrician" in _text(servers.say(sender, "electrician"))


def test_a_misspelt_or_missing_career_gets_buttons_not_a_dead_end(servers: Assistant):
    replies = servers.say(_sender(), "what does an astronot do")
    assert replies and any(r.get("buttons") for r in replies)


def test_anything_else_gets_a_short_fallback_with_buttons(servers: Assistant):
    replies = servers.say(_sender(), "purple monkey dishwasher")
    assert "careers helper" in _text(replies) or "Did you mean" in _text(replies)
    assert any(r.get("buttons") for r in replies)


ODD_INPUT = {
    "empty": "",
    "spaces": "   ",
    "html": "<script>alert('x')</script>",
    "sql": "'; DROP TABLE events; --",
    "emoji": "🤖🤖",
    "2000 characters": "x" * 2000,
    "spanish": "¿Qué hace un ingeniero?",
    "right-to-left override": "\u202etxet",
}


@pytest.mark.parametrize("message", ODD_INPUT.values(), ids=ODD_INPUT.keys())
def test_odd_input_gets_a_reply_and_the_next_message_still_works(servers: Assistant, message: str):
    sender = _sender()
    replies = servers.say(sender, message)
    assert "<script>" not in _text(replies)
    assert "Electrician:" in _text(servers.say(sender, "what does an electrician do"))


def test_rasa_test_stories_pass(servers: Assistant, tmp_path: Path):
    out = tmp_path / "results"
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            "tests/test_stories.yml",
            "--endpoints",
            str(servers.endpoints),
            "--out",
            str(out),
            "--fail-on-prediction-errors",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=child_env(),
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


# Conversations whose questions the NLU alone reads as another topic, or reads without the conversation
# around them: (what the student types, the reply expected, the career it is about).
IN_CONTEXT = {
    "a named career's question read as an explainer": [
        ("what gcses do i need to be an astronaut", "subjects", "astronaut"),
        ("how do i become a model", "routes", "fashion-model"),
    ],
    "the career in focus, not the school system in general": [
        ("how much do electricians earn", "pay", "electrician"),
        ("what a levels would i need", "subjects", "electrician"),
        ("what are t levels", "education_answer", None),
        ("and the pay after", "pay", "electrician"),
    ],
    "a career named in a question answered as something else stays in focus": [
        ("my dad says girls cant be electricians", "confidence_answer", None),
        ("how do i become one then", "routes", "electrician"),
    ],
    "two careers a student is choosing between": [
        ("im stuck between being an electrician and a plumber, which is better", "compare", None),
    ],
    "likes, not a job title": [("i like gaming", "careers_for_interests", None)],
    "the last question narrowed": [
        ("how much do sparkies make", "pay", "electrician"),
        ("on an apprenticeship tho", "pay", "electrician"),
    ],
    "and uni after the ways in without it": [
        ("can i be a nurse without uni", "routes_without_degree", "nurse"),
        ("and uni?", "routes", "nurse"),
    ],
}


@pytest.mark.parametrize("name", list(IN_CONTEXT))
def test_questions_are_answered_in_the_context_they_were_asked(servers: Assistant, name: str):
    runner = Runner(servers.rasa_url, servers.env["RASA_API_TOKEN"])
    sender = _sender()
    for user, reply, career in IN_CONTEXT[name]:
        expect = {"reply": reply, **({"career": career} if career else {})}
        turn = runner.turn(sender, user, expect)
        assert turn.passed, (user, turn.problems)
