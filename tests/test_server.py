"""The Rasa server we start (bot/server.py) checks each action server reply exactly as Rasa's own does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.server import validate_action_reply

ACTION = RemoteAction("action_career_overview", None)
GOOD_REPLIES = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "career", "value": "nurse"}], "responses": [{"text": "Hi"}]},
    {"events": [{"event": "followup", "name": "action_listen"}]},
]
BAD_REPLIES = [
    [],
    {"events": "slot"},
    {"events": [{"name": "career"}]},  # an event with no type
    {"events": [{"event": "slot", "name": 5}]},
    {"responses": ["Hi"]},
]


@pytest.mark.parametrize("reply", GOOD_REPLIES)
def test_a_good_reply_is_accepted_as_rasa_accepts_it(reply):
    assert RemoteAction._validate_action_result(ACTION, reply)
    assert validate_action_reply(ACTION, reply)


@pytest.mark.parametrize("reply", BAD_REPLIES)
def test_a_bad_reply_is_refused_with_rasas_own_message(reply):
    with pytest.raises(ValidationError) as rasas:
        RemoteAction._validate_action_result(ACTION, reply)
    with pytest.raises(ValidationError) as ours:
        validate_action_reply(ACTION, reply)
    assert ours.value.message == rasas.value.message
    assert "Failed to validate Action server response" in ours.value.message
