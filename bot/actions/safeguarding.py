"""The reply to a student who may be at risk: short, kind, and pointing to people who can help now.

Triggered by the ``safeguarding_concern`` intent in any flow (data/rules/safeguarding.yml), whether the
model or the phrase list in bot/data/safeguarding.yml spotted it. It names Childline, Shout, Samaritans,
999 and the school's own safeguarding contact (from the schools file), says plainly that the chat cannot
see who the student is or send help, and offers to carry on with the quiz if one was paused. The reply
also signals the risk to the web app (``Signal.RISK``), which flags a chat with an adviser at once.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import messages
from bot.actions.schools import school_of
from bot.safeguarding import CATEGORY_ENTITY
from contract import SIGNAL_KEY, Intent, Signal
from settings.schools import DEFAULT_SAFEGUARDING_CONTACT

OPENINGS = {
    "suicide": "I'm really sorry you're feeling like this. You matter, and you don't have to cope with it on "
    "your own.",
    "self_harm": "I'm really sorry you're going through this. You deserve support, and you don't have to "
    "cope with it on your own.",
    "abuse_home": "Thank you for telling me. What's happening is not your fault, and you deserve to be safe "
    "at home.",
    "abuse_other": "Thank you for telling me. What's happening is not your fault, and nobody has the right "
    "to treat you like that.",
    "bullying": "I'm sorry this is happening. Bullying is never OK and it's not your fault.",
    "exploitation": "That doesn't sound OK. Anyone who gives you things and then says you owe them, or "
    "makes you carry or hide things, is using you. You're not in trouble for telling someone.",
    "adult_contact": "That doesn't sound OK. An adult who asks you to meet up, send pictures or keep "
    "secrets is not being a friend. You haven't done anything wrong.",
    "danger_now": "If you're in danger right now, call 999 straight away.",
}
DEFAULT_OPENING = (
    "Thank you for telling me. What you've said matters, and you don't have to deal with it on your own."
)


def reply_text(category: str | None, contact: str) -> str:
    """The safeguarding reply for a category of risk, naming the school's contact."""
    opening = OPENINGS.get(category or "", DEFAULT_OPENING)
    return (
        f"{opening}\n\n"
        "People who can help, free and at any time:\n"
        "- In danger right now: call 999.\n"
        "- Childline: call 0800 1111, or chat online at https://www.childline.org.uk\n"
        "- Shout: text SHOUT to 85258.\n"
        "- Samaritans: call 116 123.\n\n"
        f"Please talk to a trusted adult too, or {contact}.\n\n"
        "I'm a chatbot: I can't see who you are, so I can't send anyone to help. Those people can."
    )


def school_contact(tracker: Tracker) -> str:
    """The contact the student's school set up, or the default wording."""
    school = school_of(tracker)
    return school.safeguarding_contact if school else DEFAULT_SAFEGUARDING_CONTACT


def _quiz_paused_now(tracker: Tracker) -> bool:
    """Whether the rule stopped the quiz for this message (it deactivates the form before this action)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") is None:
            return True
    return False


class ActionSafeguarding(Action):
    """Answer a message that signals risk, whatever was going on."""

    def name(self) -> str:
        return "action_safeguarding"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        category = next(tracker.get_latest_entity_values(CATEGORY_ENTITY), None)
        buttons = []
        if _quiz_paused_now(tracker):
            buttons.append(messages.button("Carry on with the quiz", Intent.START_QUIZ))
        dispatcher.utter_message(
            text=reply_text(category, school_contact(tracker)),
            buttons=buttons,
            json_message={SIGNAL_KEY: Signal.RISK},  # the web app flags a chat with an adviser at once
            **messages.about("safeguarding_signposting"),
        )
        return []
