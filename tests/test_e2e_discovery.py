"""End to end over the REST channel: discovery from subjects and likes, the interests quiz (with an
interruption, a pause and a resume), comparing careers, role models, the FAQ answers and the plan."""

from __future__ import annotations

import uuid

import pytest

from careers_catalog.careers.interests import load_interests
from deploy.launcher import Assistant

pytestmark = pytest.mark.e2e
QUESTIONS = len(load_interests().quiz)
LOVE = '/quiz_answer{"quiz_choice": "love"}'
NO = '/quiz_answer{"quiz_choice": "no"}'


def _text(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def _buttons(replies: list[dict]) -> list[str]:
    return [b["title"] for r in replies for b in r.get("buttons", [])]


def _sender() -> str:
    return uuid.uuid4().hex


@pytest.mark.parametrize(
    ("message", "opening", "one_of"),
    [
        (
            "what jobs can I get with maths",
            "Careers where Maths really helps",
            ["Actuary", "Data analyst", "Data scientist", "Statistician", "Operational researcher"],
        ),
        (
            "I'm into art, are there tech jobs for creative people?",
            "Tech careers where Art and Design really helps",
            ["Game artist", "UI designer", "Animator"],
        ),
        ("I like biology and computers", "Careers where Biology and Computer Science", ["Bioinformatician"]),
        (
            "I'm good at English, anything in tech for me?",
            "Tech careers where English Language",
            ["Technical writer"],
        ),
        ("what careers can i do with comp sci, DT and further maths", "Careers where Computer Science", []),
    ],
)
def test_subjects_to_careers(servers: Assistant, message: str, opening: str, one_of: list[str]):
    replies = servers.say(_sender(), message)
    text = _text(replies)
    assert opening in text
    assert len([line for line in text.splitlines() if line.startswith("•")]) >= 4
    assert not one_of or any(title in text for title in one_of)
    assert len(_buttons(replies)) >= 4


def test_free_text_likes_give_careers_with_reasons(servers: Assistant):
    text = _text(servers.say(_sender(), "I like solving puzzles and building things"))
    assert "Careers that fit what you enjoy" in text
    assert "puzzles" in text or "hands-on" in text or "Close to what you told me" in text


def test_the_quiz_can_be_interrupted_paused_resumed_and_finished(servers: Assistant):
    sender = _sender()
    text = _text(servers.say(sender, "I have no idea what I want to do"))
    assert "completely normal" in text and f"Question 1 of {QUESTIONS}" in text
    for number in range(2, 6):
        assert f"Question {number} of" in _text(servers.say(sender, LOVE if number % 2 else NO))
    # A question in the middle: answered, then back to question 5.
    text = _text(servers.say(sender, "how much does a vet earn"))
    assert "Pay for a vet" in text and "Question 5 of" in text
    assert "paused the quiz" in _text(servers.say(sender, "stop the quiz"))
    # Outside the quiz, other questions work as usual.
    assert "Electrician:" in _text(servers.say(sender, "what does an electrician do"))
    text = _text(servers.say(sender, "carry on with the quiz"))
    assert "answered 4 of" in text and "Question 5 of" in text
    for number in range(5, QUESTIONS):
        assert f"Question {number + 1} of" in _text(servers.say(sender, "yeah i'd love that"))
    results = servers.say(sender, "skip")
    assert "Careers that could suit you" in _text(results)
    assert len(_buttons(results)) >= 4


def test_compare_two_careers(servers: Assistant):
    text = _text(servers.say(_sender(), "software developer vs data scientist"))
    assert "Software developer and Data scientist, side by side" in text
    assert "Pay" in text and "Routes in" in text and "Outlook" in text


@pytest.mark.parametrize(
    ("message", "needle"),
    [
        ("is tech only for boys?", "Source:"),
        ("I'm a girl, can I still be a programmer?", "Source:"),
        ("do I have to be a genius at maths?", "maths"),
        ("what are t levels", "T Level"),
        ("what does year 9 options mean", "GCSE"),
        ("what are the different apprenticeship levels", "Level"),
    ],
)
def test_confidence_and_education_answers(servers: Assistant, message: str, needle: str):
    replies = servers.say(_sender(), message)
    assert needle in _text(replies)
    assert "Sorry, I didn't quite get that" not in _text(replies)


def test_role_models_are_real_people_with_sources(servers: Assistant):
    sender = _sender()
    first = _text(servers.say(sender, "who are some famous women in computing?"))
    assert first.count("Source:") == 3
    more = _text(servers.say(sender, "/ask_role_models"))
    assert more.count("Source:") == 3
    assert set(first.splitlines()[1:]).isdisjoint(more.splitlines()[1:])


def test_the_plan_collects_the_careers_looked_at_and_saved(servers: Assistant):
    sender = _sender()
    servers.say(sender, "what does a web developer do")
    assert "Saved Web developer" in _text(servers.say(sender, "save this to my plan"))
    servers.say(sender, "how much does a nurse earn")
    text = _text(servers.say(sender, "show my plan"))
    assert "Your careers plan" in text and "Saved: Web developer." in text and "Adult nurse" in text
    assert "/plan?careers=web-developer" in text
    assert "Your careers plan" in _text(servers.say(sender, "bye"))
