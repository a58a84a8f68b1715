"""Working out which career a student means: from an entity, the message text, or the conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.actions.questions import FOLLOW_ON
from careers_catalog import CareerMatch, Catalog
from careers_catalog.careers.discovery import CareerTextIndex, SubjectIndex
from careers_catalog.careers.plan import MAX_PLAN_CAREERS
from careers_catalog.careers.reference import Reference
from careers_catalog.paths import DATA_DIR
from careers_catalog.text import singular, words
from contract import Entity, Slot


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The one catalogue of this action server process (opened on first use)."""
    return Catalog()


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The reference tables the catalogue's facts come from (minimum wage rates, for apprentices' pay)."""
    return Reference(DATA_DIR / "reference")


@lru_cache(maxsize=1)
def subject_index() -> SubjectIndex:
    """School subjects and their loose names, for finding subjects in messages."""
    return SubjectIndex(catalog().subject_names())


def warm_up() -> None:
    """Build what the first questions would otherwise build while other students wait: the catalogue's
    name index and summaries, the text index discovery matches likes against, and the subject index
    (with 800 careers, a second or more on a busy machine)."""
    cat = catalog()
    cat.find_in_text("warm up")
    CareerTextIndex.of(cat.summaries())
    subject_index()


@dataclass
class CareerMention:
    """What the latest message says about careers.

    ``career``: the career clearly meant, if any. ``suggestions``: close matches to offer when the
    student named something the catalogue does not clearly have. ``named``: what they typed for it.
    """

    career: CareerMatch | None = None
    suggestions: list[CareerMatch] = field(default_factory=list)
    named: str | None = None


def mentioned_career(tracker: Tracker) -> CareerMention:
    """The career named in the latest message (entity first, then the text), without context."""
    cat = catalog()
    text = tracker.latest_message.get("text") or ""
    entities = [e for e in tracker.latest_message.get("entities", []) if e.get("entity") == "career"]
    values = [str(e.get("value")) for e in entities]
    in_text = cat.find_in_text(text) if not text.startswith("/") else None
    for entity, value in zip(entities, values, strict=True):
        match = cat.resolve(value)
        if match:
            # The NLU may tag part of a longer name ("architect" of "landscape architect"), and its
            # synonyms turn that part into a career's id: the whole name, written out in the message, is
            # what the student meant.
            typed = _typed(text, entity) or value
            longer = (
                in_text is not None
                and in_text.score == 100.0
                and in_text.career_id != match.career_id
                and {singular(w) for w in words(typed)} <= {singular(w) for w in words(in_text.matched)}
            )
            if longer:
                return CareerMention(career=in_text, named=in_text.matched)
            return CareerMention(career=match, named=value)
    if in_text and in_text.strong:
        return CareerMention(career=in_text, named=in_text.matched)
    if values:
        return CareerMention(suggestions=cat.search(values[0], limit=4), named=values[0])
    return CareerMention()


def _typed(text: str, entity: dict) -> str | None:
    """The words of the message an entity was read from, when the NLU says where they are."""
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return text[start:end]
    return None


# Words that can stand beside a career name in a reply that is only the name ("a plumber pls").
_BARE_EXTRAS = frozenset(
    "a an the pls please plz um erm maybe probably ok okay then that one i think".split()
)


def is_bare_mention(tracker: Tracker, named: str | None) -> bool:
    """Whether the latest message is just a career name, as in a reply to "which career?"."""
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        return True  # a button
    rest = set(words(text)) - set(words(named or "")) - _BARE_EXTRAS
    return not rest


# How many of the student's earlier messages may name the career a question without one is about.
RECENT_MESSAGES = 3


def career_in_focus(tracker: Tracker) -> str | None:
    """The id of the career the conversation is currently about: the one last answered about (the
    ``career`` slot), or else one the student named lately in a message answered as something else ("my
    dad says girls can't be electricians" ... "how do i become one then")."""
    career_id = tracker.get_slot(Slot.CAREER)
    if career_id and catalog().ref(career_id):
        return career_id
    earlier = [e for e in tracker.events if e.get("event") == "user"][:-1][-RECENT_MESSAGES:]
    for event in reversed(earlier):
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") == Entity.CAREER and (
                match := catalog().resolve(str(entity.get("value")))
            ):
                return match.career_id
    return None


def all_mentioned_careers(tracker: Tracker) -> list[str]:
    """Every career the latest message names clearly (entities, then the text), in order, once each."""
    cat = catalog()
    found: list[str] = []
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == Entity.CAREER:
            match = cat.resolve(str(entity.get("value")))
            if match:
                found.append(match.career_id)
    text = tracker.latest_message.get("text") or ""
    if not text.startswith("/"):
        found += [m.career_id for m in cat.names.find_all_in_text(text) if m.strong]
    return list(dict.fromkeys(found))


def mentioned_subjects(tracker: Tracker) -> list[str]:
    """The school subjects the latest message names (entities and text), as canonical names."""
    index = subject_index()
    found = [
        index.resolve(str(e.get("value")))
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") == "subject"
    ]
    text = tracker.latest_message.get("text") or ""
    if not text.startswith("/"):
        found += index.find_in_text(text)
    return list(dict.fromkeys(s for s in found if s))


def remember(tracker: Tracker, slot: str, *career_ids: str) -> SlotSet:
    """Add careers to a list slot (``careers_viewed`` or ``careers_saved``), most recent last."""
    kept = [c for c in (tracker.get_slot(slot) or []) if c not in career_ids]
    return SlotSet(slot, [*kept, *career_ids][-MAX_PLAN_CAREERS:])


@dataclass(frozen=True)
class LastReply:
    """The assistant's latest answer before the student's message: its kind and the careers it was about
    (from the metadata each message carries, see ``messages.about``)."""

    kind: str | None = None
    careers: tuple[str, ...] = ()


def last_reply(tracker: Tracker) -> LastReply:
    """What the assistant last answered, before the latest message."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest:
                break
            seen_latest = True
        elif event.get("event") == "bot" and seen_latest:
            metadata = event.get("metadata") or {}
            if metadata.get("reply"):
                return LastReply(metadata["reply"], tuple(metadata.get("careers") or ()))
    return LastReply()


_FOLLOW_ON_EXTRAS = _BARE_EXTRAS | {"being", "becoming", "for", "with", "them", "those", "ones"}


def follows_on(tracker: Tracker, named: str | None) -> bool:
    """Whether the latest message asks the last question again about another career, and nothing else
    ("what about midwives?", "and paramedics")."""
    said = FOLLOW_ON.match((tracker.latest_message.get("text") or "").lower())
    if not said:
        return False
    rest = {singular(w) for w in words(said.group(1))} - {singular(w) for w in words(named or "")}
    rest -= _FOLLOW_ON_EXTRAS
    return not rest
