"""The careers skill: a career's profile, one facet at a time (overview, pay, subjects, routes, ...)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import WIDGET_CHANNEL
from bot.actions import career_context, messages
from bot.actions.career_context import career_in_focus, is_bare_mention, mentioned_career, remember

# Careers offered when a student asks about a facet but has not said which career yet.
STARTER_CAREERS = ["software-developer", "nurse", "electrician", "games-designer", "cyber-security-analyst"]


class ActionCareerInfo(Action):
    """Answer any career question: pick the facet from the intent and the career from the message,
    the conversation, or by asking; offer close matches when the name is unclear."""

    def name(self) -> str:
        return "action_career_info"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        facet = messages.FACET_OF_INTENT.get(intent or "", "overview")
        mention = mentioned_career(tracker)
        pending = tracker.get_slot("pending_facet")
        if facet == "overview" and pending and mention.career and is_bare_mention(tracker, mention.named):
            facet = pending  # "how much do they earn?" ... "plumbers"

        if mention.career:
            career_id = mention.career.career_id
        elif mention.named:
            return self._unclear(dispatcher, mention.named, mention.suggestions, facet)
        else:
            career_id = career_in_focus(tracker)
        if career_id is None:
            return self._ask_which(dispatcher, facet)
        return show_facet(dispatcher, tracker, career_id, facet)

    @staticmethod
    def _unclear(
        dispatcher: CollectingDispatcher, named: str, suggestions: list, facet: str
    ) -> list[EventType]:
        if suggestions:
            dispatcher.utter_message(**messages.suggestion_message(named, suggestions, facet))
        else:
            dispatcher.utter_message(
                text="I don't have that career yet. Here are some to explore, or type another job title.",
                buttons=messages.career_buttons(_starters(), facet),
            )
        return [SlotSet("pending_facet", facet)]

    @staticmethod
    def _ask_which(dispatcher: CollectingDispatcher, facet: str) -> list[EventType]:
        dispatcher.utter_message(
            text="Which career would you like to know about? Type a job title, or pick one of these.",
            buttons=messages.career_buttons(_starters(), facet),
        )
        return [SlotSet("pending_facet", facet)]


def show_facet(
    dispatcher: CollectingDispatcher, tracker: Tracker, career_id: str, facet: str
) -> list[EventType]:
    """Send one facet of a career, keep the career in focus for follow-up questions, and note it for
    the student's plan."""
    profile = career_context.catalog().profile(career_id)
    if profile is None:
        return []
    if facet == "overview" and tracker.get_latest_input_channel() == WIDGET_CHANNEL:
        dispatcher.utter_message(**messages.career_card_message(profile))
    else:
        dispatcher.utter_message(**messages.facet_message(profile, facet))
    return [
        SlotSet("career", profile.id),
        SlotSet("pending_facet", None),
        remember(tracker, "careers_viewed", profile.id),
    ]


def _starters() -> list:
    refs = [career_context.catalog().ref(cid) for cid in STARTER_CAREERS]
    return [r for r in refs if r is not None]
