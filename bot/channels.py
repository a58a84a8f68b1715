"""The ``widget`` channel: Rasa's REST channel for the web app's chat widget (see ``web/chat.py``).

A channel of its own so that actions know the client shows career cards, and so that conversations
from school websites are told apart from other clients. It keeps only the lesson metadata the web app
sends (school, class code, topic, year group, teacher's preview) and drops anything else a caller adds.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from contract import LESSON_METADATA_KEYS, WIDGET_CHANNEL


class WidgetInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return WIDGET_CHANNEL

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        sent = (request.json or {}).get("metadata")
        if not isinstance(sent, dict):
            return None
        kept = {k: sent[k] for k in LESSON_METADATA_KEYS if isinstance(sent.get(k), (str, int, bool))}
        return kept or None
