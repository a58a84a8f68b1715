"""The plan skill: save careers, show the student's careers plan, and offer it when they say goodbye.

The plan is built from the career ids in the ``careers_viewed`` and ``careers_saved`` slots only: no
login and nothing about the student.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

import settings
from bot.actions import career_context, messages
from bot.actions.career_context import all_mentioned_careers, career_in_focus, remember
from careers_catalog.careers.plan import build_plan, plan_path
from contract import Intent, Slot


def show_plan(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Send the plan; False (and nothing sent) if the student has not looked at any career yet."""
    viewed = tracker.get_slot(Slot.CAREERS_VIEWED) or []
    saved = tracker.get_slot(Slot.CAREERS_SAVED) or []
    plan = build_plan(career_context.catalog(), viewed, saved)
    if plan.empty:
        return False
    link = settings.current().web_app_url + plan_path(viewed, saved)
    dispatcher.utter_message(**messages.plan_message(plan, link))
    return True


class ActionSaveCareer(Action):
    """'Save this': add the named career, or the one in focus, to the plan."""

    def name(self) -> str:
        return "action_save_career"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        named = all_mentioned_careers(tracker)
        focus = career_in_focus(tracker)
        to_save = named or ([focus] if focus else [])
        if not to_save:
            dispatcher.utter_message(
                text='Which career would you like to save? Look one up first, then say "save it".',
                buttons=[messages.button("Ideas for me", Intent.NO_IDEA)],
                **messages.about("ask_which_career"),
            )
            return []
        titles = [ref.title for ref in map(career_context.catalog().ref, to_save) if ref]
        dispatcher.utter_message(
            text=f'Saved {" and ".join(titles)} to your plan. Say "show my plan" whenever you like.',
            buttons=[messages.button("Show my plan", Intent.SHOW_PLAN)],
            **messages.about("saved", *to_save),
        )
        return [
            remember(tracker, Slot.CAREERS_SAVED, *to_save),
            remember(tracker, Slot.CAREERS_VIEWED, *to_save),
        ]


class ActionShowPlan(Action):
    """'Show my plan': the careers looked at and saved, subjects that keep them open, next steps."""

    def name(self) -> str:
        return "action_show_plan"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not show_plan(dispatcher, tracker):
            dispatcher.utter_message(
                text="Your plan is empty so far. Look at a few careers (and save the ones you like), and "
                "I'll put them in a plan with the subjects that keep them open and your next steps.",
                buttons=[
                    messages.button("Ideas for me", Intent.NO_IDEA),
                    messages.button("Software developer", Intent.ASK_CAREER_OVERVIEW, "software-developer"),
                ],
                **messages.about("plan"),
            )
        return []


class ActionGoodbye(Action):
    """Say goodbye, with the plan when the student has looked at careers."""

    def name(self) -> str:
        return "action_goodbye"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if show_plan(dispatcher, tracker):
            dispatcher.utter_message(
                text="Good luck! Come back any time to explore more careers.", **messages.about("goodbye")
            )
        else:
            dispatcher.utter_message(response="utter_goodbye")
        return []
