"""The discovery skill: careers from the subjects a student likes or the things they enjoy."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import career_context, messages
from bot.actions.career_context import mentioned_subjects
from careers_catalog.careers.discovery import (
    DIGITAL,
    asks_for_tech,
    sector_sampler,
    suggest_careers,
    suggest_for_message,
)
from careers_catalog.careers.interests import load_interests
from careers_catalog.opportunities.search import sectors_named
from contract import Entity, Intent, Slot

# Subjects offered as buttons when a student asks "what jobs can I do?" without naming one.
POPULAR_SUBJECTS = [
    "Maths",
    "English Language",
    "Art and Design",
    "Biology",
    "Computer Science",
    "Physical Education",
]
SUGGESTIONS_SHOWN = 6
# Shows tech careers for the subjects last named (kept in the ``subjects`` slot).
TECH_SAMPLE_INTRO = (
    "Tech careers to start with, one for each kind of person. Tell me the subjects or things you enjoy "
    "and I'll find the ones that fit you best:"
)
TECH_ONLY_BUTTON = messages.button("Tech careers only", Intent.ASK_CAREERS_FOR_SUBJECTS, sector=DIGITAL)


class ActionSuggestCareers(Action):
    """'What jobs can I get with maths?', 'I like biology and computers', 'I like solving puzzles and
    building things': careers that fit the subjects and likes in the message, each with why."""

    def name(self) -> str:
        return "action_suggest_careers"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        button = text.startswith("/")
        asked_sector = next(tracker.get_latest_entity_values(Entity.SECTOR), None)
        subjects = mentioned_subjects(tracker)
        if not subjects and asked_sector:  # the "Tech careers only" button: the subjects named before
            subjects = list(tracker.get_slot(Slot.SUBJECTS) or [])
        tech = DIGITAL in sectors_named(asked_sector) or (not button and asks_for_tech(text))
        sector = DIGITAL if tech else None
        interests = load_interests()
        careers = career_context.catalog().summaries()
        if tech and button and not subjects:  # "Careers in tech", with nothing known about the student yet
            sample = sector_sampler(careers, DIGITAL, SUGGESTIONS_SHOWN)
            dispatcher.utter_message(
                **messages.suggestions_message(TECH_SAMPLE_INTRO, sample, "careers_for_interests")
            )
            return []
        if button:
            suggestions = suggest_careers(
                careers, interests, subjects, sector=sector, limit=SUGGESTIONS_SHOWN
            )
        else:
            suggestions = suggest_for_message(careers, interests, text, subjects, sector, SUGGESTIONS_SHOWN)
        if not suggestions and not tech:
            return self._ask_what_they_like(dispatcher)
        if not suggestions:  # no tech career fits: show the best of any kind
            suggestions = suggest_careers(careers, interests, subjects, limit=SUGGESTIONS_SHOWN)
            named = _join(subjects) if subjects else "what you told me"
            intro = f"No tech careers in my list fit {named}, but these do:"
        else:
            intro = _intro(subjects, tech)
        if not suggestions:
            return self._ask_what_they_like(dispatcher)
        reply = "careers_for_subjects" if subjects else "careers_for_interests"
        message = messages.suggestions_message(intro, suggestions, reply)
        if subjects and not tech:
            message["buttons"].append(TECH_ONLY_BUTTON)
        dispatcher.utter_message(**message)
        return [SlotSet(Slot.SUBJECTS, subjects)] if subjects else []

    @staticmethod
    def _ask_what_they_like(dispatcher: CollectingDispatcher) -> list[EventType]:
        buttons = [messages.button(s, Intent.ASK_CAREERS_FOR_SUBJECTS, subject=s) for s in POPULAR_SUBJECTS]
        buttons.append(messages.button("Take the interests quiz", Intent.START_QUIZ))
        dispatcher.utter_message(
            text="Which subjects do you enjoy, or what do you like doing in your free time? Tell me in your "
            "own words, pick a subject, or take a quick quiz.",
            buttons=buttons,
            **messages.about("ask_what_they_like"),
        )
        return []


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _intro(subjects: list[str], tech: bool) -> str:
    kind = "Tech careers" if tech else "Careers"
    if subjects:
        return f"{kind} where {_join(subjects)} really helps:"
    return f"{kind} that fit what you enjoy:"
