"""Questions about a career that the NLU read as another topic: "what gcses to be an astronaut" as the
GCSE explainer, "how do i become a model" as role models, "what's an ai ethics specialist" as a question
about the assistant itself. With the career in focus, "what a levels would i need" asks about that
career, not about A levels in general, and "what's the pay like after" is never an explainer.

A policy, so that it sees the conversation: when the message asks one of a career's questions by its
words (``questions.first_facet``) and is about a career, named in it or in focus, the careers skill
answers, and then the assistant listens. The explainers keep what only they answer: "what are t levels",
"is a btec as good as a levels", "how do apprenticeships work" with no career in them."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker

from bot.actions.questions import CAREER_ONLY_FACETS, first_facet, narrows_last_question
from bot.context_policy import ContextPolicy
from bot.follow_on import last_answer
from contract import Intent, Slot

CAREER_INFO = "action_career_info"
# Intents a career question is misread as. Confidence questions ("can girls be electricians") and the
# rest keep their own answers.
MISREAD_AS = frozenset({"education", Intent.BOT_CHALLENGE, Intent.OUT_OF_SCOPE, Intent.ASK_ROLE_MODELS})
# A question about what something is ("what are t levels", "how do degree apprenticeships work") is the
# explainer's; one about what a student needs or should choose, or that points back at the job ("for
# it", "the apprenticeship one") is the career's.
_DEFINES = re.compile(
    r"^\s*(?:so\s+|and\s+)?(?:what|wat|wot)(?:'s|’s|s|\s+is|\s+are|\s+r)\b|\bhow (?:do|does) .+ work\b"
    r"|\bexplain\b|\bmean(?:s|ing)?\b|\bdifference between\b",
    re.I,
)
# Money for studying is the explainers' ("do you have to pay for uni", "student loans").
_COST_OF_STUDY = re.compile(
    r"\b(?:pay|paying|paid|cost|costs|money) (?:for|to go to) (?:uni|university|college|a degree)\b"
    r"|\bstudent (?:finance|loans?)\b|\btuition\b|\bfees\b|\bbursar(?:y|ies)\b",
    re.I,
)
_ASKS_WHAT_TO_DO = re.compile(
    r"\b(?:need|needed|require[sd]?|take|pick|choose|should|best|useful|help|helps|become|becoming)\b", re.I
)
_POINTS_BACK = re.compile(
    r"\bthe \w+ one\b|\bfor (?:it|that|this|them)\b|\b(?:do|be|become) (?:it|that|this|one)\b"
    r"|\b(?:the|that|this) (?:job|career)\b",
    re.I,
)


def misread_career_question(tracker: DialogueStateTracker) -> bool:
    """Whether the latest message asks about a career although its intent is another topic's."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name:
        return False
    intent = (message.intent or {}).get("name")
    text = message.text or ""
    if intent not in MISREAD_AS or not text or text.startswith("/"):
        return False
    facet = first_facet(text)
    if facet is None or (intent == Intent.ASK_ROLE_MODELS and "role" in text.lower()):
        return False
    if intent == Intent.ASK_ROLE_MODELS or any(e.get("entity") == "career" for e in message.entities):
        return True  # "how do i become a model" is not about role models
    if intent != Intent.EDUCATION or not tracker.get_slot(Slot.CAREER):
        return False
    if _COST_OF_STUDY.search(text):
        return False
    if facet in CAREER_ONLY_FACETS or _POINTS_BACK.search(text):
        return True
    if narrows_last_question(text) and last_answer(tracker) == CAREER_INFO:
        return True  # the pay of electricians ... "on an apprenticeship tho"
    return not _DEFINES.search(text) and bool(_ASKS_WHAT_TO_DO.search(text))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class CareerQuestionPolicy(ContextPolicy):
    """Predicts the careers skill for a career question read as another topic, then listening."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 8}  # above the RulePolicy's; below the follow-ons', which read context first

    def choose(self, tracker: DialogueStateTracker) -> str | None:
        return CAREER_INFO if misread_career_question(tracker) else None
