"""The discovery, quiz, compare, role model and plan actions against the real catalogue."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.compare import ActionCompareCareers
from bot.actions.discovery import ActionSuggestCareers
from bot.actions.plan import ActionGoodbye, ActionSaveCareer, ActionShowPlan
from bot.actions.quiz import (
    ActionAskQuizAnswer,
    ActionQuizResults,
    ActionStartQuiz,
    ValidateInterestQuizForm,
    answer_value,
)
from bot.actions.role_models import ActionRoleModels, tags_asked_for
from careers_catalog.careers.interests import LOVE, NOT_FOR_ME, OK, load_interests
from tests.chat import career, entity, run, tracker

pytestmark = pytest.mark.usefixtures("actions_catalog")
QUIZ = load_interests().quiz


def _titles(message: dict) -> list[str]:
    return [b["title"] for b in message.get("buttons", [])]


def test_subjects_to_careers_lists_careers_with_why_and_buttons():
    messages, slots = run(
        ActionSuggestCareers(),
        tracker("I like biology and computers", "ask_careers_for_subjects", entity("subject", "biology")),
    )
    text = messages[0]["text"]
    assert text.startswith("Careers where Biology and Computer Science really helps")
    assert "Bioinformatician: Biology and Computer Science:" in text
    assert len(text.splitlines()) == 7  # intro and six careers
    assert "Bioinformatician" in _titles(messages[0]) and "Tech careers only" in _titles(messages[0])
    assert slots["subjects"] == ["Biology", "Computer Science"]


def test_tech_careers_for_creative_people():
    messages, _ = run(
        ActionSuggestCareers(),
        tracker("I'm into art, are there tech jobs for creative people?", "ask_careers_for_subjects"),
    )
    assert messages[0]["text"].startswith("Tech careers where Art and Design really helps")
    assert "Game artist" in messages[0]["text"] or "UI designer" in messages[0]["text"]
    assert "Nurse" not in messages[0]["text"]


def test_the_tech_only_button_reuses_the_subjects_already_named():
    messages, _ = run(
        ActionSuggestCareers(),
        tracker(
            '/ask_careers_for_subjects{"sector": "digital"}',
            "ask_careers_for_subjects",
            entity("sector", "digital"),
            subjects=["English Language"],
        ),
    )
    assert messages[0]["text"].startswith("Tech careers where English Language really helps")
    assert "Technical writer" in messages[0]["text"]


def test_tech_careers_with_nothing_known_yet_show_a_spread_for_every_kind_of_person(actions_catalog):
    messages, _ = run(
        ActionSuggestCareers(),
        tracker(
            '/ask_careers_for_subjects{"sector": "digital"}',
            "ask_careers_for_subjects",
            entity("sector", "digital"),
        ),
    )
    text, buttons = messages[0]["text"], messages[0]["buttons"]
    assert text.startswith("Tech careers to start with")
    assert len(buttons) == 6
    profiles = [actions_catalog.profile(b["payload"].split('"career": "')[1].split('"')[0]) for b in buttons]
    assert all(p.sector == "digital" for p in profiles)
    assert len({p.riasec[0] for p in profiles}) >= 4  # not six careers for one kind of person


def test_likes_without_subjects_give_careers_with_the_reason():
    messages, _ = run(
        ActionSuggestCareers(), tracker("I like solving puzzles and building things", "tell_interests")
    )
    assert messages[0]["text"].startswith("Careers that fit what you enjoy")
    assert "solving puzzles" in messages[0]["text"] or "hands-on" in messages[0]["text"]


def test_nothing_to_go_on_asks_what_they_enjoy_with_subject_buttons():
    messages, _ = run(ActionSuggestCareers(), tracker("what jobs are there", "ask_careers_for_subjects"))
    assert "Which subjects do you enjoy" in messages[0]["text"]
    assert {"Maths", "Take the interests quiz"} <= set(_titles(messages[0]))


def _answer(form: ValidateInterestQuizForm, text: str, answers: list, choice: str | None = None) -> dict:
    t = tracker(
        text,
        "quiz_answer",
        entity("quiz_choice", choice) if choice else [],
        active_loop="interest_quiz_form",
        quiz_answers=answers,
        requested_slot="quiz_answer",
    )
    return form.validate_quiz_answer(text, CollectingDispatcher(), t, {})


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("love it", LOVE),
        ("yeah sounds fun", LOVE),
        ("kinda", OK),
        ("nah not for me", NOT_FOR_ME),
        ("skip", None),
        ("not bad", OK),
        ("mid tbh", OK),
        ("nahh", NOT_FOR_ME),
        ("i wouldnt", NOT_FOR_ME),
        ("i'd like that", LOVE),
    ],
)
def test_typed_quiz_answers_are_understood(text: str, value: int | None):
    assert answer_value(text, None) == (True, value)


def test_the_quiz_asks_each_question_records_answers_and_finishes():
    form = ValidateInterestQuizForm()
    messages, slots = run(ActionStartQuiz(), tracker("take the quiz", "start_quiz"))
    assert "quiz" in messages[0]["text"] and slots["quiz_answers"] == []
    answers: list = []
    for index in range(len(QUIZ)):
        asked, _ = run(ActionAskQuizAnswer(), tracker("", "quiz_answer", quiz_answers=answers))
        assert asked[0]["text"].startswith(f"Question {index + 1} of {len(QUIZ)}")
        assert QUIZ[index].question in asked[0]["text"]
        assert _titles(asked[0])[:4] == ["Love it", "It's OK", "Not for me", "Skip"]
        choice = "love" if QUIZ[index].code == "R" else ("skip" if index == 1 else "no")
        answers = _answer(form, f'/quiz_answer{{"quiz_choice": "{choice}"}}', answers, choice)["quiz_answers"]
    remaining = asyncio.run(
        form.required_slots(
            ["quiz_answer"], CollectingDispatcher(), tracker("", "quiz_answer", quiz_answers=answers), {}
        )
    )
    assert remaining == [] and answers[1] is None
    messages, slots = run(ActionQuizResults(), tracker("", "quiz_answer", quiz_answers=answers))
    assert "doing and making" in messages[0]["text"]
    assert "hands-on" in messages[0]["text"]
    assert slots["interest_profile"] == "R"


def test_a_quiz_answer_it_cannot_read_asks_again_and_loses_nothing():
    form = ValidateInterestQuizForm()
    result = _answer(form, "purple", [LOVE, OK])
    assert result == {"quiz_answer": None}


def test_coming_back_to_the_quiz_carries_on_where_it_stopped():
    messages, slots = run(
        ActionStartQuiz(), tracker("carry on with the quiz", "start_quiz", quiz_answers=[2, 1, 0])
    )
    assert "answered 3 of" in messages[0]["text"] and "quiz_answers" not in slots
    asked, _ = run(ActionAskQuizAnswer(), tracker("", "start_quiz", quiz_answers=[2, 1, 0]))
    assert asked[0]["text"].startswith("Question 4 of")


def test_compare_two_careers_side_by_side_with_sources():
    messages, slots = run(
        ActionCompareCareers(),
        tracker(
            "software developer vs data scientist",
            "compare_careers",
            career("software developer", "data scientist"),
        ),
    )
    text = messages[0]["text"]
    assert text.startswith("Software developer and Data scientist, side by side")
    for row in ("Pay", "Hours", "Routes in", "Subjects that help", "Outlook"):
        assert f"\n{row}\n" in f"\n{text}\n" or f"\n\n{row}\n" in text, row
    assert text.count("Source:") == 2
    assert slots["careers_viewed"] == ["software-developer", "data-scientist"]


def test_compare_with_one_career_uses_the_one_in_focus():
    messages, _ = run(
        ActionCompareCareers(),
        tracker(
            "how does that compare to a plumber", "compare_careers", career("plumber"), career="electrician"
        ),
    )
    assert messages[0]["text"].startswith("Electrician and Plumber, side by side")


def test_compare_finds_both_careers_in_the_text_when_nlu_misses_one():
    messages, _ = run(
        ActionCompareCareers(),
        tracker("nurse or paramedic which is better", "compare_careers", career("nurse")),
    )
    assert "Paramedic" in messages[0]["text"].splitlines()[0]


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("who are some famous women in computing", {"woman"}),
        ("any black engineers i can look up to", {"black"}),
        ("people who didn't go to uni", {"no-degree"}),
        ("role models from poor backgrounds in the uk", {"working-class", "uk"}),
    ],
)
def test_role_model_requests_are_read_for_who_is_wanted(text: str, tags: set[str]):
    assert tags_asked_for(text) == tags


def test_famous_women_in_computing_are_real_women_in_tech_with_sources(actions_catalog):
    messages, slots = run(
        ActionRoleModels(), tracker("who are some famous women in computing", "ask_role_models")
    )
    text = messages[0]["text"]
    shown = slots["role_models_seen"]
    assert len(shown) == 3 and text.count("Source:") == 3
    people = {p.name: p for p in actions_catalog.role_models()}
    assert all(
        "woman" in people[name].tags
        and people[name].career.id in {s.id for s in actions_catalog.summaries() if s.sector == "digital"}
        for name in shown
    )
    more, more_slots = run(
        ActionRoleModels(),
        tracker(
            "/ask_role_models",
            "ask_role_models",
            role_models_seen=shown,
            role_model_filter=slots["role_model_filter"],
        ),
    )
    assert (
        not set(shown) & (set(more_slots["role_models_seen"]) - set(shown))
        and len(more_slots["role_models_seen"]) == 6
    )


def test_save_show_plan_and_goodbye_with_the_plan():
    messages, slots = run(ActionSaveCareer(), tracker("save this", "save_career", career="web-developer"))
    assert "Saved Web developer" in messages[0]["text"]
    assert slots["careers_saved"] == ["web-developer"]
    viewed = ["nurse", "web-developer"]
    messages, _ = run(
        ActionShowPlan(),
        tracker("show my plan", "show_plan", careers_viewed=viewed, careers_saved=["web-developer"]),
    )
    text = messages[0]["text"]
    assert "Saved: Web developer." in text and "You also looked at: Adult nurse" in text
    assert "Subjects that keep these careers open" in text and "Next steps" in text
    assert "/plan?careers=web-developer%2Cnurse&saved=web-developer" in text
    messages, _ = run(ActionGoodbye(), tracker("bye", "goodbye", careers_viewed=viewed))
    assert messages[0]["text"].startswith("Your careers plan") and "Good luck" in messages[1]["text"]


def test_an_empty_plan_says_how_to_fill_it_and_goodbye_is_plain():
    messages, _ = run(ActionShowPlan(), tracker("show my plan", "show_plan"))
    assert "Your plan is empty" in messages[0]["text"]
    messages, _ = run(ActionGoodbye(), tracker("bye", "goodbye"))
    assert messages == [
        {"response": "utter_goodbye", **{k: v for k, v in messages[0].items() if k != "response"}}
    ]
