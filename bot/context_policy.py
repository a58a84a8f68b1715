"""The shape of the policies that read the conversation where the NLU reads one message alone
(bot/follow_on.py, bot/career_questions.py): each picks the action for the latest message, or none, and
once that action has run, listens. Rules decide everything they leave alone. Also the base of every
policy of ours that learns nothing (bot/privacy_reminder.py, bot/handover.py)."""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class UntrainedPolicy(Policy):
    """A policy that reads the conversation by rules of its own: nothing to learn from the stories."""

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource


def answered_by(tracker: DialogueStateTracker, policy: str) -> bool:
    """Whether the answer to the latest message was chosen by the named policy."""
    for event in reversed(tracker.applied_events()):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return policy in (event.policy or "")
    return False


class ContextPolicy(UntrainedPolicy):
    """Predicts :meth:`choose`'s action for a new message, then listening."""

    def choose(self, tracker: DialogueStateTracker) -> str | None:
        """The action that answers the latest message, or None to leave it to the rules."""
        raise NotImplementedError

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        scores = self._default_predictions(domain)
        if tracker.latest_action_name == ACTION_LISTEN_NAME:
            if action := self.choose(tracker):
                scores[domain.index_for_action(action)] = 1.0
        elif answered_by(tracker, type(self).__name__):
            scores[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(scores)
