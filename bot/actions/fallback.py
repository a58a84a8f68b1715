"""What the assistant says when it is not sure what a message means: never a dead end."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import career_context, messages
from bot.actions.careers import show_facet
from bot.actions.opportunities import ActionFindOpportunities, locator
from careers_catalog.geo import FULL_POSTCODE, OUTWARD_CODE, LocationError

HELP_TEXT = (
    "Sorry, I didn't quite get that. I'm a careers helper: ask me what a job is like, what it pays, "
    "which subjects help, or how to get in. You could try one of these:"
)
DID_YOU_MEAN = "I'm not sure I understood. Did you mean one of these careers?"
# A message the NLU did not understand is offered careers only when one comes this close: with hundreds of
# careers, some name is always faintly like any sentence ("purple monkey dishwasher", "pot washer").
DID_YOU_MEAN_SCORE = 70.0


class ActionFallback(Action):
    """For messages the NLU is unsure about: if the text names a career, show it; otherwise say
    briefly what the assistant can do, with buttons."""

    def name(self) -> str:
        return "action_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("awaiting_location") and _answers_where(text):
            # The answer to "where is your school?" that the NLU did not recognise ("CH41 4DQ").
            return ActionFindOpportunities().run(dispatcher, tracker, domain)
        match = career_context.catalog().find_in_text(text) if not text.startswith("/") else None
        if match and match.strong:
            facet = tracker.get_slot("pending_facet") or "overview"
            return show_facet(dispatcher, tracker, match.career_id, facet)
        close = [
            m
            for m in (career_context.catalog().search(text, limit=3) if 0 < len(text) <= 60 else [])
            if m.score >= DID_YOU_MEAN_SCORE
        ]
        buttons = (
            messages.career_buttons(close)
            if close
            else [
                messages.button(
                    "What does a software developer do?", "ask_career_overview", "software-developer"
                ),
                messages.button(
                    "Jobs without going to uni", "ask_routes_without_degree", "software-developer"
                ),
                messages.button("What can you help with?", "help"),
            ]
        )
        dispatcher.utter_message(text=DID_YOU_MEAN if close else HELP_TEXT, buttons=buttons)
        return []


def _answers_where(text: str) -> bool:
    """Whether a message is a place, or an attempt at a postcode (which deserves a precise answer)."""
    if not text or text.startswith("/") or len(text) > 60:
        return False
    if FULL_POSTCODE.search(text) or (
        OUTWARD_CODE.fullmatch(text.strip()) and any(c.isdigit() for c in text)
    ):
        return True
    try:
        locator().locate(text)
    except LocationError:
        return False
    return True
