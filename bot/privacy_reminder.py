"""A kind word when a student volunteers personal data ("I'm Sam, add me on snap ..."): the assistant
says it doesn't need it and doesn't keep it, then answers the message as usual.

The policy here predicts ``action_privacy_reminder`` first, right after such a message; that action
sends the reminder and reverts itself (``ActionReverted``), so every other policy then sees the message
as if the reminder had not been there and answers it by the usual rules. What counts is read with the
redaction's own finder (privacy/redaction.py, which takes the data out of every stored copy anyway), keeping
only what a student says about themselves: contact details, handles, addresses, birthdays, their
name after "I'm" or "my name is", and their school by name. Risk messages are left to
safeguarding, which answers first."""

from __future__ import annotations

import re
from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.context_policy import UntrainedPolicy
from contract import RISK_INTENT
from privacy import redaction

ACTION = "action_privacy_reminder"
ALWAYS = frozenset({"email", "phone", "handle", "address", "date"})
_SELF = re.compile(r"\b(?:i'?m|i am|im|my name is|my names|my name's|call me|this is)\s+$", re.IGNORECASE)
_SCHOOL = re.compile(
    r"\b(?:i go to|i'?m at|i am at|my school is|from|at)\s+"
    r"(?P<name>(?:st\.?\s+)?[a-z][\w']+(?:\s+[a-z][\w']+)?)\s+"
    r"(?:academy|high school|high|grammar|school|college|primary)\b",
    re.IGNORECASE,
)
# Words that make "at ... school" a kind of school rather than one school's name.
_KINDS_OF_SCHOOL = frozenset(
    "my the a an this that our your sixth secondary primary boarding drama art local good grammar private "
    "state catholic new uni community special music dance film law medical med business".split()
)


def volunteers_personal_data(text: str) -> bool:
    """Whether a message tells the assistant something that identifies the student. A full postcode is
    not counted: students give their school's when asked where it is (the redaction still cuts it)."""
    if not text or text.startswith("/"):
        return False
    for found in redaction.find(text):
        if found.kind in ALWAYS:
            return True
        if found.kind == "name" and _SELF.search(text[: found.start]):
            return True
    school = _SCHOOL.search(text)
    return bool(school and school.group("name").split()[0].lower() not in _KINDS_OF_SCHOOL)


def reminded_already(tracker: DialogueStateTracker) -> bool:
    """Whether the reminder was sent for the latest message (it reverts itself, so look at every event)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ACTION:
            return True
    return False


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class PrivacyReminderPolicy(UntrainedPolicy):
    """Predicts the reminder, before anything else, after a message with personal data in it."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 10}  # above the RulePolicy's, so that it goes first

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: dict | None = None, **kwargs: Any
    ) -> PolicyPrediction:
        scores = self._default_predictions(domain)
        message = tracker.latest_message
        if (
            tracker.latest_action_name == "action_listen"
            and message is not None
            and (message.intent or {}).get("name") != RISK_INTENT
            and not reminded_already(tracker)
            and volunteers_personal_data(message.text or "")
        ):
            scores[domain.index_for_action(ACTION)] = 1.0
        return self._prediction(scores)
