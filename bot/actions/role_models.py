"""The role models skill: real people from many backgrounds whose stories show a career is open to you."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import career_context, messages
from bot.actions.career_context import all_mentioned_careers
from careers_catalog.careers.discovery import DIGITAL, asks_for_tech
from careers_catalog.text import normalize
from contract import Slot

SHOWN = 3
# Words in a request and the role-model tag each asks for ("famous women in computing" -> woman).
TAG_WORDS = {
    "woman": r"wom[ae]n|girls?|female|ladies|lady|she|her",
    "black": r"black|african|caribbean",
    "asian": r"asian|indian|pakistani|bangladeshi|chinese|south asian",
    "disabled": r"disabled|disability|disabilities|wheelchair|deaf|blind",
    "neurodivergent": r"autistic|autism|dyslexic|dyslexia|adhd|neurodivergent|neurodiverse",
    "lgbtq": r"lgbt\w*|gay|lesbian|trans|queer|bisexual",
    "working-class": r"poor|working class|council estate|no money|state school|free school meals|skint",
    "no-degree": (
        r"no uni|without uni|without a degree|no degree|didn t go to uni|apprentices?|apprenticeship"
    ),
    "uk": r"uk|british|britain|england|english|scotland|scottish|wales|welsh|northern ireland",
    "refugee": r"refugees?|immigrants?|migrants?",
}
_TAG_PATTERNS = {tag: re.compile(rf"\b(?:{words})\b") for tag, words in TAG_WORDS.items()}


def tags_asked_for(text: str) -> set[str]:
    said = normalize(text)
    return {tag for tag, pattern in _TAG_PATTERNS.items() if pattern.search(said)}


class ActionRoleModels(Action):
    """Show a few real role models that fit what was asked (a group, a career, tech), different people
    each time the student asks for more."""

    def name(self) -> str:
        return "action_role_models"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        catalog = career_context.catalog()
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):  # "More role models": the same wishes as last time
            wishes = tracker.get_slot(Slot.ROLE_MODEL_FILTER) or {}
            tags, careers = set(wishes.get("tags", [])), set(wishes.get("careers", []))
        else:
            tags, careers = tags_asked_for(text), set(all_mentioned_careers(tracker))
            if not careers and asks_for_tech(text):
                careers = {s.id for s in catalog.summaries() if s.sector == DIGITAL}
        people = catalog.role_models(tags or None, careers or None)
        intro = "Here are some real people whose stories show careers are for people like you:"
        if not people:  # nobody matches every wish: loosen to any one of them
            everyone = catalog.role_models()
            people = [p for p in everyone if set(p.tags) & tags or p.career.id in careers] or everyone
            intro = "I don't have someone who matches all of that yet, but these stories come close:"
        seen = set(tracker.get_slot(Slot.ROLE_MODELS_SEEN) or [])
        unseen = [p for p in people if p.name not in seen]
        if not unseen:  # every match has been shown: start again
            seen, unseen = set(), people
        shown = unseen[:SHOWN]
        dispatcher.utter_message(**messages.role_models_message(intro, shown))
        return [
            SlotSet(Slot.ROLE_MODELS_SEEN, sorted(seen | {p.name for p in shown})),
            SlotSet(Slot.ROLE_MODEL_FILTER, {"tags": sorted(tags), "careers": sorted(careers)}),
        ]
