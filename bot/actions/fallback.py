"""What the assistant says when it is not sure what a message means: never a dead end. The second time in
a session, it offers a careers adviser (bot/actions/handover.py)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import career_context, messages
from bot.actions.careers import answer, show_workplace
from bot.actions.discovery import ActionSuggestCareers
from bot.actions.handover import OFFERED, failed_twice, offers_people
from bot.actions.opportunities import ActionFindOpportunities, locator
from bot.actions.questions import first_facet, tells_likes
from careers_catalog.careers.workplaces import workplace_in
from careers_catalog.geo import LocationError, is_postcode
from contract import Intent, Slot

HELP_TEXT = (
    "Sorry, I didn't quite get that. I'm a careers helper: ask me what a job is like, what it pays, "
    "which subjects help, or how to get in. You could try one of these:"
)
OUT_OF_SCOPE = (
    "That's not something I can help with: I'm a careers helper. Ask me what a job is like, what it pays, "
    "which subjects help, or how to get in. You could try one of these:"
)
DID_YOU_MEAN = "I'm not sure I understood. Did you mean one of these careers?"
# The second time in a session the assistant cannot help (it did not understand, or the question was
# not one it answers): a person is offered.
OFFER_PERSON = (
    "Sorry, I'm not managing to help you. Would you like to ask one of your school's careers advisers "
    "instead? They'll see this chat, but not your name. Or try one of these:"
)
ASK_A_PERSON = "Ask a careers adviser"
# A message the NLU did not understand is offered careers only when one comes this close: with hundreds of
# careers, some name is always faintly like any sentence ("purple monkey dishwasher", "pot washer").
DID_YOU_MEAN_SCORE = 70.0
# Below the fallback threshold, the NLU's best guess is still followed when it is at least this sure and
# the message asks for something that cannot go far wrong: careers for what the student likes,
# opportunities, or help.
GUESS_CONFIDENCE = 0.25
GUESSED: dict[str, type[Action]] = {
    Intent.TELL_INTERESTS: ActionSuggestCareers,
    Intent.ASK_CAREERS_FOR_SUBJECTS: ActionSuggestCareers,
    Intent.FIND_OPPORTUNITIES: ActionFindOpportunities,
}


class ActionFallback(Action):
    """For messages the NLU is unsure about: a career the text names (answered as its words ask), a place
    of work, the NLU's best guess when it came close, close career names; otherwise say briefly what the
    assistant can do, with buttons."""

    def name(self) -> str:
        return "action_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tracker.get_slot(Slot.AWAITING_LOCATION) and _answers_where(text):
            # The answer to "where is your school?" that the NLU did not recognise ("CH41 4DQ").
            return ActionFindOpportunities().run(dispatcher, tracker, domain)
        guess = best_guess(tracker) if intent == Intent.NLU_FALLBACK else None
        match = career_context.catalog().find_in_text(text) if not text.startswith("/") else None
        if match and match.strong:
            # The career is clear; which question, the words say ("how do i become a model").
            return answer(dispatcher, tracker, first_facet(text) or "overview")
        if place := workplace_in(text):
            return show_workplace(dispatcher, tracker, place, first_facet(text) or "overview")
        if guess in GUESSED:
            return GUESSED[guess]().run(dispatcher, tracker, domain)
        if guess == "help":
            dispatcher.utter_message(response="utter_help")
            return []
        if tells_likes(text):  # "i like gaming": careers that fit, not close names
            return ActionSuggestCareers().run(dispatcher, tracker, domain)
        if (facet := first_facet(text)) and career_context.career_in_focus(tracker):
            return answer(dispatcher, tracker, facet)  # "can i do an apprenticeship instead"
        close = [
            m
            for m in (career_context.catalog().search(text, limit=3) if 0 < len(text) <= 60 else [])
            if m.score >= DID_YOU_MEAN_SCORE and intent != Intent.OUT_OF_SCOPE
        ]
        buttons = (
            messages.career_buttons(close)
            if close
            else [
                messages.button(
                    "What does a software developer do?", Intent.ASK_CAREER_OVERVIEW, "software-developer"
                ),
                messages.button(
                    "Jobs without going to uni", Intent.ASK_ROUTES_WITHOUT_DEGREE, "software-developer"
                ),
                messages.button("What can you help with?", "help"),
            ]
        )
        if failed_twice(tracker) and offers_people(tracker):
            buttons = [messages.button(ASK_A_PERSON, Intent.ASK_FOR_PERSON), *buttons]
            dispatcher.utter_message(text=OFFER_PERSON, buttons=buttons, **messages.about(OFFERED))
        elif close:
            dispatcher.utter_message(text=DID_YOU_MEAN, buttons=buttons, **messages.about("did_you_mean"))
        elif intent == Intent.OUT_OF_SCOPE:
            dispatcher.utter_message(text=OUT_OF_SCOPE, buttons=buttons, **messages.about("out_of_scope"))
        else:
            dispatcher.utter_message(text=HELP_TEXT, buttons=buttons, **messages.about("fallback"))
        return []


def best_guess(tracker: Tracker) -> str | None:
    """The intent the NLU thought most likely, when it was not sure enough to say (its ranking under the
    fallback), if it came close."""
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        if ranked.get("name") not in (Intent.NLU_FALLBACK, None):
            return ranked["name"] if (ranked.get("confidence") or 0.0) >= GUESS_CONFIDENCE else None
    return None


def _answers_where(text: str) -> bool:
    """Whether a message is a place, or an attempt at a postcode (which deserves a precise answer)."""
    if not text or text.startswith("/") or len(text) > 60:
        return False
    if is_postcode(text):
        return True
    try:
        locator().locate(text)
    except LocationError:
        return False
    return True
