"""Short follow-ups that ask the last question again about something else ("what about art?", "and
midwives?", "and uni?"): answered by the same skill that answered last, whatever the NLU made of the
few words (it reads "what about art" without context, and often as something else). After a comparison,
"which one has better hours?" compares the same two again. Likewise a place or a postcode given after
the assistant asked where the school is ("L8", "M14"), which alone reads as anything.

A policy, so that it sees the conversation: it predicts the action that gave the last answer, and then
listening. Rules still decide everything else; risk messages are left to safeguarding and a running
quiz to its form."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.actions.questions import CAREER_ONLY_FACETS, FOLLOW_ON, WHICH_OF_TWO, first_facet
from bot.context_policy import ContextPolicy
from careers_catalog.geo import is_postcode
from contract import RISK_INTENT, Intent, Slot

MAX_WORDS = 7
FIND_OPPORTUNITIES = "action_find_opportunities"
COMPARE = "action_compare_careers"
EDUCATION = "utter_education"
# Messages that are never a follow-up, however they start ("and thanks", "and bye").
NOT_FOLLOW_ONS = frozenset(
    {RISK_INTENT, "thanks", "goodbye", "greet", "insult", Intent.BOT_CHALLENGE, Intent.STOP_QUIZ, "help"}
)
# The skills a follow-up can continue: each one reads the new message itself.
CONTINUED = (
    "action_career_info",
    "action_suggest_careers",
    "action_save_career",
    FIND_OPPORTUNITIES,
    "action_role_models",
    COMPARE,
    EDUCATION,
)


def is_follow_on(text: str) -> bool:
    return bool(text) and len(text.split()) <= MAX_WORDS and bool(FOLLOW_ON.match(text))


def answers_where(tracker: DialogueStateTracker) -> bool:
    """Whether the latest message answers the assistant's "where is your school?" with a place."""
    message = tracker.latest_message
    if not tracker.get_slot(Slot.AWAITING_LOCATION) or message is None or tracker.active_loop_name:
        return False
    text = (message.text or "").strip()
    if not text or text.startswith("/") or (message.intent or {}).get("name") in NOT_FOLLOW_ONS:
        return False
    return is_postcode(text) or any(e.get("entity") == "location" for e in message.entities)


def last_answer(tracker: DialogueStateTracker) -> str | None:
    """The skill that answered the message before the latest one."""
    events = tracker.applied_events()
    said = [i for i, e in enumerate(events) if isinstance(e, UserUttered)]
    if len(said) < 2:
        return None
    for event in events[said[-2] + 1 : said[-1]]:
        if isinstance(event, ActionExecuted) and event.action_name in CONTINUED:
            return event.action_name
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class FollowOnPolicy(ContextPolicy):
    """Predicts the last skill again for a short follow-up, then listening."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 9}  # above the RulePolicy's; below the privacy reminder, which goes first

    def choose(self, tracker: DialogueStateTracker) -> str | None:
        if answers_where(tracker):
            return FIND_OPPORTUNITIES
        message = tracker.latest_message
        if (
            message is None
            or tracker.active_loop_name
            or (message.intent or {}).get("name") in NOT_FOLLOW_ONS
            or not (action := last_answer(tracker))
        ):
            return None
        text = message.text or ""
        # "and the pay after?" after an explainer is about a job, not the school system.
        about_a_job = action == EDUCATION and first_facet(text) in CAREER_ONLY_FACETS
        which_of_two = action == COMPARE and WHICH_OF_TWO.match(text)
        return action if not about_a_job and (is_follow_on(text) or which_of_two) else None
