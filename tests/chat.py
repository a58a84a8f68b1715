"""Helpers for running custom actions as the action server would: a tracker holding one message."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def tracker(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    **slots: Any,
) -> Tracker:
    """A conversation whose latest message is ``text``, classified as ``intent``, with ``slots`` set."""
    return Tracker(
        sender_id="test",
        slots={"career": None, "pending_facet": None, **slots},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def career(*values: str) -> list[dict[str, Any]]:
    """``career`` entities as the NLU would extract them."""
    return [{"entity": "career", "value": value} for value in values]


def entity(name: str, *values: str) -> list[dict[str, Any]]:
    return [{"entity": name, "value": value} for value in values]


def run(action: Action, t: Tracker) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The messages an action sends and the slots it sets."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return dispatcher.messages, slots
