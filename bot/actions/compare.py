"""The compare skill: two careers side by side ("software developer vs data scientist")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import career_context, messages
from bot.actions.career_context import all_mentioned_careers, career_in_focus, remember


class ActionCompareCareers(Action):
    """Compare the two careers a message names; with one named, compare it with the career in focus."""

    def name(self) -> str:
        return "action_compare_careers"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        named = all_mentioned_careers(tracker)
        focus = career_in_focus(tracker)
        if len(named) == 1 and focus and focus != named[0]:
            named = [focus, named[0]]
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
            )
            return []
        catalog = career_context.catalog()
        a, b = catalog.profile(named[0]), catalog.profile(named[1])
        if a is None or b is None:
            return []
        dispatcher.utter_message(**messages.compare_message(a, b))
        return [SlotSet("career", b.id), remember(tracker, "careers_viewed", a.id, b.id)]
