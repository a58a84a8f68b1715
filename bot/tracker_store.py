"""Rasa's SQL tracker store, with personal data taken out of every event before it is written.

endpoints.yml names ``bot.tracker_store.RedactingSQLTrackerStore``. Each new event is turned into its
stored form, every piece of free text in it (what the student typed, entity and slot values, the
assistant's replies) is passed through :func:`bot.redaction.redact`, and only that is written. The
names of intents, actions, slots and entities, times, ids and the widget's lesson metadata (school, class
code, topic) are structure, not text, and are left as they are.

The conversation in memory is not changed, so the reply to the message that held the data is unaffected;
only what is kept is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from bot.redaction import redact

# Keys whose values name things in the assistant, or are times, ids or numbers, never what a person said.
STRUCTURE_KEYS = frozenset(
    {
        "event",
        "timestamp",
        "name",
        "intent",  # inside parse_data it is a dict, handled by recursion; as a string it is a name
        "intent_name",
        "action_name",
        "policy",
        "confidence",
        "entity",
        "extractor",
        "start",
        "end",
        "processors",
        "message_id",
        "input_channel",
        "metadata",
        "id",
        "response_selector",
        "retrieval_intent",
        "utter_action",
        "template_name",
    }
)


def redact_event_data(value: Any, key: str | None = None) -> Any:
    """A stored event (as ``Event.as_dict()`` gives it) with personal data taken out of its text."""
    if key in STRUCTURE_KEYS and not isinstance(value, (dict, list)):
        return value
    if key == "metadata":
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_event_data(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_event_data(v, key) for v in value]
    return value


@dataclass(frozen=True)
class _StoredEvent:
    """An event's stored form: what ``SQLTrackerStore.save`` reads from each event it writes."""

    type_name: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return self.data


class RedactingSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` (SQLite, PostgreSQL, ...) that never writes personal data, and that checks a
    pooled connection before using it, so that the first message after the database comes back finds
    the conversation rather than a dead connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _StoredEvent(event.type_name, redact_event_data(event.as_dict()))
