"""The privacy reminder (see bot/privacy_reminder.py for when it is sent): a kind word that the assistant
doesn't need or keep personal data, after which the message is answered as usual."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionReverted, EventType
from rasa_sdk.executor import CollectingDispatcher


class ActionPrivacyReminder(Action):
    def name(self) -> str:
        return "action_privacy_reminder"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_privacy_reminder")
        # Undone at once, so that the rules answer the message as if the reminder had not come first.
        return [ActionReverted()]
