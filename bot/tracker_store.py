"""Rasa's SQL tracker store, with personal data taken out of every event before it is written.

endpoints.yml names ``bot.tracker_store.RedactingSQLTrackerStore``. The new events of each save are
turned into their stored form and cleaned (:func:`redact_events`):

- what a student typed (the message text, in the event and in its parse data) has its personal data
  replaced (privacy/redaction.py);
- every other copy of those words is replaced too, wherever it is: an entity whose span falls on them
  (so "SW1A 1AA" split into two entities cannot be put back together), slot values, metadata, and the
  assistant's replies where they repeat what the student said;
- the assistant's own words are otherwise left exactly as the student saw them (a date in a reply is
  not a student's birthday).

The names of intents, actions, slots and entities, times and ids are structure, not text, and are left as
they are. The conversation in memory is not changed, so the reply to the message that held the data is
unaffected; only what is kept is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from privacy import redaction

# Keys whose values name things in the assistant, or are times, ids or numbers, never what a person said.
# (Each string not here is searched for personal data, which costs a run of spaCy's recogniser: on a busy
# server this is most of the work of storing a message, so what is structure says so here.)
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
        "id",
        "model_id",
        "assistant_id",
        "response_selector",
        "retrieval_intent",
        "utter_action",
        "template_name",
        "role",
        "group",
    }
)


def redact_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored events (as ``Event.as_dict()`` gives them) with personal data taken out: see the module's
    docstring."""
    typed = [
        (event["text"], redaction.find(event["text"]))
        for event in events
        if event.get("event") == "user" and isinstance(event.get("text"), str)
    ]
    scrub = redaction.Scrubber.of(typed)
    found_in = dict(typed)
    cleaned = []
    for event in events:
        kind = event.get("event")
        if kind == "user" and isinstance(event.get("text"), str):
            cleaned.append(_user_event(event, found_in[event["text"]], scrub))
        elif kind == "bot":
            cleaned.append(_strings(event, scrub))  # the assistant's words, but for what it repeated
        else:
            cleaned.append(_strings(event, lambda text: scrub(redaction.redact(text))))
    return cleaned


def _user_event(
    event: dict[str, Any], found: list[redaction.Found], scrub: redaction.Scrubber
) -> dict[str, Any]:
    text = event["text"]
    clean_text = scrub(redaction.apply(text, found))

    def clean(value: str) -> str:
        return clean_text if value == text else scrub(redaction.redact(value))

    given = event.get("parse_data")
    # The answers the model ranked for the message are the assistant's words, cleaned as its replies are.
    selector = given.get("response_selector") if isinstance(given, dict) else None
    if selector is not None:
        event = {**event, "parse_data": {k: v for k, v in given.items() if k != "response_selector"}}
    out = _strings(event, clean)
    parse_data = out.get("parse_data")
    if isinstance(parse_data, dict):
        entities = (given or {}).get("entities") or []
        parse_data["entities"] = [_entity(e, text, found, clean) for e in entities if isinstance(e, dict)]
        if selector is not None:
            parse_data["response_selector"] = _strings(selector, scrub)
    return out


def _entity(
    entity: dict[str, Any], text: str, found: list[redaction.Found], clean: Callable[[str], str]
) -> dict[str, Any]:
    """An entity whose span falls on personal data holds only its label; any other is cleaned as text."""
    out = _strings(entity, clean)
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int):
        hit = next((f for f in found if f.start < end and start < f.end), None)
        # The district of a postcode says only the area, and stays: "SW1A" of "SW1A 1AA".
        outward = (
            hit is not None and hit.kind == "postcode" and end <= hit.start + len(hit.replacement.split()[0])
        )
        if hit is not None and not outward:
            out["value"] = redaction.LABELS[hit.kind]
    return out


def _strings(value: Any, clean: Callable[[str], str], key: str | None = None) -> Any:
    """``value`` with ``clean`` applied to every string in it that is not structure."""
    if key in STRUCTURE_KEYS and not isinstance(value, (dict, list)):
        return value
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _strings(v, clean, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v, clean, key) for v in value]
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
        events = list(super()._additional_events(session, tracker))
        for event, data in zip(events, redact_events([e.as_dict() for e in events]), strict=True):
            yield _StoredEvent(event.type_name, data)
