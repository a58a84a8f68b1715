"""The opportunities skill: work experience, insight days, talks, mentoring, tasters, apprenticeships and
virtual placements near the student's school, nearest first.

The place is asked for as a town or the first part of a postcode, never an address; only the outward
code or town name is kept (slot ``search_area``). What was asked for (kinds, areas) waits in slots
while the student says where they are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import settings
from bot.actions import career_context, messages
from careers_catalog.geo import FULL_POSTCODE, LocationError, Locator, Place
from careers_catalog.opportunities.models import KINDS
from careers_catalog.opportunities.search import OpportunityFinder, areas_in, kinds_in, sectors_named
from careers_catalog.opportunities.vacancies import FindAnApprenticeshipClient
from contract import Entity, Intent, Slot
from privacy import redaction

PAGE = 5
# "... in Liverpool", "near L3 4AF", "around st helens": the words after these name a place.
_PLACE_AFTER = re.compile(r"\b(?:in|near|around|nr|by|at|from)\s+([a-z0-9][a-z0-9 .'-]{1,40})", re.IGNORECASE)
ASK_WHERE = (
    "Where is your school? Tell me the town or the first part of its postcode (like L3 or E8). "
    "Please don't give your home address."
)


@lru_cache(maxsize=1)
def locator() -> Locator:
    return Locator.from_settings()


@lru_cache(maxsize=1)
def finder() -> OpportunityFinder:
    """The finder over the catalogue, with Find an apprenticeship's API when a key is configured."""
    api = settings.current().apprenticeships_api()
    remote = FindAnApprenticeshipClient(*api) if api else None
    return OpportunityFinder(career_context.catalog().engine, remote)


class ActionFindOpportunities(Action):
    """Find opportunities: a new search, a reply saying where, or a filter on the last list."""

    def name(self) -> str:
        return "action_find_opportunities"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name")
        text = message.get("text") or ""
        typed = "" if text.startswith("/") else text
        kinds = _entity_kinds(tracker) | kinds_in(typed)
        areas = _entity_areas(tracker) | areas_in(typed)
        offset = 0
        if intent == Intent.FILTER_OPPORTUNITIES or (
            intent != Intent.FIND_OPPORTUNITIES and tracker.get_slot(Slot.AWAITING_LOCATION)
        ):
            # Narrowing the last search, or saying where: keep what was asked for unless it changed.
            kinds = kinds or set(tracker.get_slot(Slot.OPPORTUNITY_KINDS) or [])
            areas = areas or set(tracker.get_slot(Slot.OPPORTUNITY_AREAS) or [])
            if next(tracker.get_latest_entity_values(Entity.PAGE), None) == "next" or _asks_for_more(typed):
                offset = int(tracker.get_slot(Slot.OPPORTUNITY_OFFSET) or 0) + PAGE
        wishes = [
            SlotSet(Slot.OPPORTUNITY_KINDS, sorted(kinds)),
            SlotSet(Slot.OPPORTUNITY_AREAS, sorted(areas)),
        ]
        try:
            place = self._place(tracker, intent, typed)
        except LocationError as problem:
            dispatcher.utter_message(text=f"{problem.reason} {ASK_WHERE}", **messages.about("ask_location"))
            return [*wishes, SlotSet(Slot.AWAITING_LOCATION, True)]
        if place is None:
            dispatcher.utter_message(text=ASK_WHERE, **messages.about("ask_location"))
            return [*wishes, SlotSet(Slot.AWAITING_LOCATION, True)]
        result = finder().search(place, kinds, areas, limit=PAGE, offset=offset)
        if offset and not result.found:
            offset = 0
            result = finder().search(place, kinds, areas, limit=PAGE)
        dispatcher.utter_message(**messages.opportunities_message(place.label, kinds, areas, result, offset))
        return [
            *wishes,
            SlotSet(Slot.SEARCH_AREA, place.label),
            SlotSet(Slot.AWAITING_LOCATION, False),
            SlotSet(Slot.OPPORTUNITY_OFFSET, offset),
        ]

    @staticmethod
    def _place(tracker: Tracker, intent: str | None, text: str) -> Place | None:
        """The place in this message, else the one from before; None if neither."""
        # A home address is never where to search ("i live at 12 elm road"): it is taken out first.
        found = redaction.addresses(text)
        home = [text[f.start : f.end].lower() for f in found]
        text = redaction.apply(text, found)
        named = [str(v) for v in tracker.get_latest_entity_values(Entity.LOCATION) if v]
        named = [v for v in named if not any(v.lower() in h for h in home)]
        replying = intent == Intent.GIVE_LOCATION or bool(tracker.get_slot(Slot.AWAITING_LOCATION))
        if FULL_POSTCODE.search(text):  # before the entity, which may hold only part of the postcode
            return locator().locate(text)
        if named:
            return locator().locate(" ".join(named), fuzzy=True)
        after = _PLACE_AFTER.findall(text)
        for candidate in after:
            try:
                return locator().locate(candidate, fuzzy=False)
            except LocationError:
                continue
        if replying and 0 < len(text) <= 60:  # a short reply to "where is your school?"
            return locator().locate(text, fuzzy=True)
        area = tracker.get_slot(Slot.SEARCH_AREA)
        if area:
            try:
                return locator().locate(str(area))
            except LocationError:
                return None
        return None


def _asks_for_more(text: str) -> bool:
    return bool(re.search(r"\b(more|others?|next)\b", text.lower()))


def _entity_kinds(tracker: Tracker) -> set[str]:
    """Kinds named by the NLU (in students' words) or by a button (as stored)."""
    values = [str(v) for v in tracker.get_latest_entity_values(Entity.OPPORTUNITY_KIND)]
    return {k for v in values for k in kinds_in(v)} | {v for v in values if v in KINDS}


def _entity_areas(tracker: Tracker) -> set[str]:
    """Areas named by the NLU or a button, and the sectors of any careers named."""
    values = [str(v) for v in tracker.get_latest_entity_values(Entity.SECTOR)]
    areas = {a for v in values for a in sectors_named(v)}
    named = set(career_context.all_mentioned_careers(tracker))
    areas |= {s.sector for s in career_context.catalog().summaries() if s.id in named}
    return areas
