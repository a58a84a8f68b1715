"""The interests quiz: about a dozen questions with buttons, run as a Rasa form that can be left and
resumed; the answers score Holland (RIASEC) interests and recommend careers with reasons.

The form asks one slot, ``quiz_answer``, again and again; each answer is appended to ``quiz_answers``
(LOVE/OK/NOT_FOR_ME, or None for a skipped question) until every question has an answer.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import career_context, messages
from bot.actions.discovery import SUGGESTIONS_SHOWN
from careers_catalog.careers.discovery import suggest_careers
from careers_catalog.careers.interests import LOVE, NOT_FOR_ME, OK, load_interests
from careers_catalog.text import normalize
from contract import Entity, Intent, Slot

FORM = "interest_quiz_form"
SKIP = "skip"
# Button payload values and typed answers, in the order they are tried.
CHOICES = {"love": LOVE, "ok": OK, "no": NOT_FOR_ME, SKIP: None}
_TYPED = [
    (SKIP, r"\b(skip|pass|next|dunno|don t know|dont know|idk|not sure|no idea)\b"),
    ("ok", r"\b(not bad|not too bad|mid)\b"),  # before "not" is read as no
    (
        "no",
        r"\b(no|nah+|nope|not|not really|not for me|hate|never|boring|no way|not at all|rather not"
        r"|wouldn t|wouldnt|would not|no thanks)\b",
    ),
    ("ok", r"\b(ok|okay|maybe|kinda|kind of|sort of|sometimes|meh|alright|it s fine|fine|a bit|depends)\b"),
    (
        "love",
        r"\b(yes|yeah|yep|yh|ye|love|loved|definitely|deffo|fun|enjoy|sure|great|cool|would|100|like)\b",
    ),
]


def answer_value(text: str, choice: str | None) -> tuple[bool, int | None]:
    """(understood, value) for a quiz answer from a button choice or typed text."""
    if choice in CHOICES:
        return True, CHOICES[choice]
    said = normalize(text)
    for key, pattern in _TYPED:
        if re.search(pattern, said):
            return True, CHOICES[key]
    return False, None


def answers(tracker: Tracker) -> list[int | None]:
    return list(tracker.get_slot(Slot.QUIZ_ANSWERS) or [])


class ActionStartQuiz(Action):
    """Introduce the quiz, or welcome the student back to where they left it; a finished quiz starts
    afresh."""

    def name(self) -> str:
        return "action_start_quiz"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        total = len(load_interests().quiz)
        done = answers(tracker)
        restart = "restart" in normalize(tracker.latest_message.get("text") or "")
        if done and len(done) < total and not restart:
            dispatcher.utter_message(
                text=f"Welcome back to the quiz: you've answered {len(done)} of {total}. Let's carry on.",
                **messages.about("quiz_intro"),
            )
            return []
        dispatcher.utter_message(
            text=f"Here's a quick quiz: {total} things people enjoy doing. For each one, tell me how much "
            "you'd enjoy it. There are no wrong answers, you can skip any question, and you can say "
            '"stop" at any time and come back later.',
            **messages.about("quiz_intro"),
        )
        return [SlotSet(Slot.QUIZ_ANSWERS, [])]


class ActionAskQuizAnswer(Action):
    """Ask the next unanswered quiz question, with answer buttons."""

    def name(self) -> str:
        return "action_ask_quiz_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        quiz = load_interests().quiz
        index = min(len(answers(tracker)), len(quiz) - 1)
        buttons = [
            messages.button(title, Intent.QUIZ_ANSWER, quiz_choice=value)
            for title, value in (("Love it", "love"), ("It's OK", "ok"), ("Not for me", "no"), ("Skip", SKIP))
        ]
        buttons.append(messages.button("Stop the quiz", Intent.STOP_QUIZ))
        dispatcher.utter_message(
            text=f"Question {index + 1} of {len(quiz)}: how much would you enjoy this?\n"
            f"{quiz[index].question}",
            buttons=buttons,
            **messages.about("quiz_question"),
        )
        return []


class ValidateInterestQuizForm(FormValidationAction):
    """Record each answer and keep asking until every question is answered."""

    def name(self) -> str:
        return f"validate_{FORM}"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return [Slot.QUIZ_ANSWER] if len(answers(tracker)) < len(load_interests().quiz) else []

    def validate_quiz_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = next(tracker.get_latest_entity_values(Entity.QUIZ_CHOICE), None)
        understood, value = answer_value(str(slot_value or ""), choice)
        if not understood:
            dispatcher.utter_message(
                text='Sorry, I didn\'t catch that. Pick a button, or type "yes", "maybe", "no" or "skip".',
                **messages.about("quiz_question"),
            )
            return {Slot.QUIZ_ANSWER: None}
        return {Slot.QUIZ_ANSWER: None, Slot.QUIZ_ANSWERS: [*answers(tracker), value]}


class ActionQuizResults(Action):
    """Score the answers and recommend careers, each with the reason it fits."""

    def name(self) -> str:
        return "action_quiz_results"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        interests = load_interests()
        scores = interests.from_quiz(dict(enumerate(answers(tracker))))
        strongest = interests.strongest(scores or {})
        if not scores or not strongest:
            dispatcher.utter_message(
                text="Thanks for doing the quiz! Nothing stood out strongly yet, which is completely normal. "
                "Tell me a subject you enjoy, or something you like doing, and I'll suggest some careers.",
                buttons=[messages.button("Start the quiz again", Intent.START_QUIZ)],
                **messages.about("ask_what_they_like"),
            )
            return []
        suggestions = suggest_careers(
            career_context.catalog().summaries(),
            interests,
            subjects=tracker.get_slot(Slot.SUBJECTS) or [],
            scores=scores,
            limit=SUGGESTIONS_SHOWN,
        )
        names = " and ".join(t.name.lower() for t in strongest)
        intro = f"Thanks! Your answers point most to {names}. Careers that could suit you:"
        dispatcher.utter_message(**messages.suggestions_message(intro, suggestions, "careers_for_interests"))
        return [SlotSet(Slot.INTEREST_PROFILE, "".join(t.code for t in strongest))]
