"""A student who asks for a person ("can I talk to someone real"): the reply signals the web app
(``Signal.HANDOVER``), which asks the school's careers advisers and tells the student what happens next,
since only it knows whether an adviser is in and whether one was already asked. A school that has not
set up handovers (no ``adviser_hours``) gets a plain answer instead: whom to ask in school.

The fallback offers a person too, the second time in a session that the assistant cannot help
(:func:`failed_twice`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import messages
from bot.actions.schools import school_of
from contract import SIGNAL_KEY, Signal
from contract import Action as ActionName

NO_ADVISERS = (
    "I can't pass this chat to a person at your school. Your school's careers adviser is the best person to "
    "ask, though: ask your form tutor or the school office how to book a careers appointment."
)
OFFERED = "fallback_offer"  # the reply that offers a person: the count of failures starts again


def offers_people(tracker: Tracker) -> bool:
    """Whether the student's school has careers advisers who take chats handed over to them."""
    school = school_of(tracker)
    return bool(school and school.adviser_hours)


def failed_twice(tracker: Tracker) -> bool:
    """Whether the assistant already failed to help once in this session since it last offered a person,
    so that failing again is the second time."""
    failures = 0
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        reply = (event.get("metadata") or {}).get("reply") if event.get("event") == "bot" else None
        if reply == OFFERED:
            break
        failures += reply in messages.CANNOT_HELP_REPLIES
    return failures >= 1


class ActionHandover(Action):
    def name(self) -> str:
        return ActionName.HANDOVER

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if offers_people(tracker):
            dispatcher.utter_message(json_message={SIGNAL_KEY: Signal.HANDOVER}, **messages.about("handover"))
        else:
            dispatcher.utter_message(text=NO_ADVISERS, **messages.about("no_advisers"))
        return []
