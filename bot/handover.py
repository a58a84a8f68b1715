"""Silence while a careers adviser has the chat: the web app still passes each message to Rasa (so that
it is stored, redacted, and counted like any other), marked with ``handover`` in its metadata, and this
policy answers it by listening. A message that signals a risk is left to the safeguarding rule, so the
student still gets the signposting and the safeguarding lead still sees it.

The mark comes from the web app's own records of handovers (web/handover.py), never from the browser.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.context_policy import UntrainedPolicy
from contract import RISK_INTENT, Lesson


def with_a_person(tracker: DialogueStateTracker) -> bool:
    """Whether the latest message was written while a careers adviser had the chat."""
    message = tracker.latest_message
    return message is not None and (message.metadata or {}).get(Lesson.HANDOVER) is True


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class HandoverPolicy(UntrainedPolicy):
    """Predicts listening, before any other policy, for a message written to a careers adviser, unless it
    signals a risk."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 11}  # above the privacy reminder's (10) and the rules' (6)

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: dict | None = None, **kwargs: Any
    ) -> PolicyPrediction:
        scores = self._default_predictions(domain)
        if (
            tracker.latest_action_name == ACTION_LISTEN_NAME
            and with_a_person(tracker)
            and (tracker.latest_message.intent or {}).get("name") != RISK_INTENT
        ):
            scores[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(scores)
