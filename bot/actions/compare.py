"""The compare skill: two careers side by side ("software developer vs data scientist")."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import career_context, messages
from bot.actions.career_context import all_mentioned_careers, career_in_focus, remember
from careers_catalog.text import words
from contract import Slot


class ActionCompareCareers(Action):
    """Compare the two careers a message names; with one named, compare it with the career in focus."""

    def name(self) -> str:
        return "action_compare_careers"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        named = all_mentioned_careers(tracker)
        focus = career_in_focus(tracker)
        if not named and (pair := two_in_play(tracker)):
            named = list(pair)  # "which one has better hours?"
        if len(named) == 1 and focus and focus != named[0]:
            named = [focus, named[0]]
        elif len(named) == 1 and tracker.get_slot(Slot.PENDING_FACET):
            # The career asked for after "which career?", which the NLU took for a comparison.
            from bot.actions.careers import answer  # careers imports this module

            return answer(dispatcher, tracker, "overview")
        if len(named) < 2:
            dispatcher.utter_message(
                text='Which two careers shall I compare? Type them like "nurse vs paramedic" or '
                '"web developer or app developer".',
                buttons=[
                    {
                        "title": "Software developer vs data scientist",
                        "payload": "software developer vs data scientist",
                    },
                    {"title": "Electrician vs plumber", "payload": "electrician vs plumber"},
                ],
                **messages.about("ask_which_career"),
            )
            return []
        return compare(dispatcher, tracker, named[0], named[1])


def compare(dispatcher: CollectingDispatcher, tracker: Tracker, first: str, second: str) -> list[EventType]:
    """Send two careers side by side, keep the second in focus and note both for the plan."""
    catalog = career_context.catalog()
    a, b = catalog.profile(first), catalog.profile(second)
    if a is None or b is None:
        return []
    dispatcher.utter_message(**messages.compare_message(a, b))
    return [SlotSet(Slot.CAREER, b.id), remember(tracker, Slot.CAREERS_VIEWED, a.id, b.id)]


_WHICH_OF_TWO = re.compile(
    r"\b(?:which one|which of (?:them|those|the two|these)|which is|which pays|difference|compare|vs|versus"
    r"|between (?:them|the two|those))\b"
)


_JOINERS = frozenset("and or vs versus a an the".split())
# Words of a student choosing between two careers ("stuck between electrician and plumber").
_CHOOSING = re.compile(r"\b(?:between|vs|versus|or|better|difference|compare|choose|decide|stuck|torn)\b")


def torn_between(tracker: Tracker) -> tuple[str, str] | None:
    """Two careers named in a message about choosing between them, whatever else it says."""
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/") or not _CHOOSING.search(text.lower()):
        return None
    named = all_mentioned_careers(tracker)
    return (named[0], named[1]) if len(named) == 2 else None


def two_named(tracker: Tracker) -> tuple[str, str] | None:
    """Two careers and nothing else ("nurse and paramedic", "plumber or electrician?"): they are to be
    compared."""
    text = tracker.latest_message.get("text") or ""
    named = all_mentioned_careers(tracker)
    if len(named) != 2 or text.startswith("/"):
        return None
    names = [
        str(e.get("value")) for e in tracker.latest_message.get("entities", []) if e.get("entity") == "career"
    ]
    names += [m.matched for m in career_context.catalog().names.find_all_in_text(text)]
    rest = set(words(text)) - {w for n in names for w in words(n)} - _JOINERS
    return (named[0], named[1]) if not rest else None


def two_in_play(tracker: Tracker) -> tuple[str, str] | None:
    """The two careers a message naming none means by "which one ..." or "what's the difference": the last
    two the student looked at."""
    if not _WHICH_OF_TWO.search((tracker.latest_message.get("text") or "").lower()):
        return None
    viewed = [c for c in tracker.get_slot(Slot.CAREERS_VIEWED) or [] if career_context.catalog().ref(c)]
    return (viewed[-2], viewed[-1]) if len(viewed) >= 2 else None
