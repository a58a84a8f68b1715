"""The careers skill: a career's profile, one facet at a time (overview, pay, subjects, routes, ...)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import career_context, messages
from bot.actions.career_context import (
    career_in_focus,
    follows_on,
    is_bare_mention,
    last_reply,
    mentioned_career,
    remember,
)
from bot.actions.compare import compare, torn_between, two_in_play, two_named
from bot.actions.discovery import ActionSuggestCareers
from bot.actions.questions import (
    ABOUT_APPRENTICES,
    facet_by_words,
    narrows_last_question,
    other_facets,
    tells_likes,
)
from careers_catalog.careers.workplaces import Workplace, workplace_in
from contract import WIDGET_CHANNEL, Slot

FACET_REPLIES = {messages.reply_of_facet(f): f for f in messages.FACETS}
# Careers offered when a student asks about a facet but has not said which career yet.
STARTER_CAREERS = ["software-developer", "nurse", "electrician", "games-designer", "cyber-security-analyst"]


class ActionCareerInfo(Action):
    """Answer any career question: pick the facet from the intent and the career from the message,
    the conversation, or by asking; offer close matches when the name is unclear."""

    def name(self) -> str:
        return "action_career_info"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return answer(dispatcher, tracker, messages.FACET_OF_INTENT.get(intent or "", "overview"))


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, facet: str) -> list[EventType]:
    """Answer a question about a career's ``facet``: the career from the message, the conversation, or by
    asking; close matches when the name is unclear; "and nurses?" asks the last question again."""
    text = tracker.latest_message.get("text") or ""
    facet = facet_by_words(text, facet)
    mention = mentioned_career(tracker)
    pending = tracker.get_slot(Slot.PENDING_FACET)
    bare = mention.career is not None and is_bare_mention(tracker, mention.named)
    if facet == "overview" and pending and bare:
        facet = pending  # "how much do they earn?" ... "plumbers"
    last = last_reply(tracker)
    if mention.career and follows_on(tracker, mention.named) and last.kind in FACET_REPLIES:
        facet = FACET_REPLIES[last.kind]  # the pay of plumbers ... "and electricians?"
    elif not mention.named and narrows_last_question(text) and last.kind in FACET_REPLIES:
        facet = FACET_REPLIES[last.kind]  # the pay of electricians ... "on an apprenticeship tho"
    if (facet == "overview" and (pair := two_named(tracker))) or (pair := torn_between(tracker)):
        return compare(dispatcher, tracker, *pair)  # "nurse and paramedic", "stuck between a and b"
    if mention.career:
        career_id = mention.career.career_id
    elif place := workplace_in(text):
        return show_workplace(dispatcher, tracker, place, facet)
    elif mention.named:
        return _unclear(dispatcher, mention.named, mention.suggestions, facet)
    elif pair := two_in_play(tracker):
        return compare(dispatcher, tracker, *pair)  # "which one has better hours?"
    else:
        career_id = career_in_focus(tracker)
    if career_id is None and facet == "related" and tells_likes(text):
        return ActionSuggestCareers().run(dispatcher, tracker, {})  # "what jobs are there if i like animals"
    if career_id is None:
        return _ask_which(dispatcher, facet)
    # "What's the pay like and do I need a degree?": every question in the message, in turn.
    events: list[EventType] = []
    asked_facets = [facet, *other_facets(text, facet)]
    for asked in asked_facets:
        events = show_facet(dispatcher, tracker, career_id, asked) or events
    if "pay" in asked_facets and ABOUT_APPRENTICES.search(text):
        _show_apprentice_pay(dispatcher, career_id)
    return events


def _show_apprentice_pay(dispatcher: CollectingDispatcher, career_id: str) -> None:
    profile = career_context.catalog().profile(career_id)
    if profile is not None:
        rate, since = career_context.reference().apprentice_rate
        dispatcher.utter_message(
            text=messages.apprentice_pay_text(profile, rate, since), **messages.about("pay", profile.id)
        )


def _unclear(dispatcher: CollectingDispatcher, named: str, suggestions: list, facet: str) -> list[EventType]:
    if suggestions:
        dispatcher.utter_message(**messages.suggestion_message(named, suggestions, facet))
    else:
        dispatcher.utter_message(
            text="I don't have that career yet. Here are some to explore, or type another job title.",
            buttons=messages.career_buttons(_starters(), facet),
            **messages.about("not_in_catalogue"),
        )
    return [SlotSet(Slot.PENDING_FACET, facet)]


def _ask_which(dispatcher: CollectingDispatcher, facet: str) -> list[EventType]:
    dispatcher.utter_message(
        text="Which career would you like to know about? Type a job title, or pick one of these.",
        buttons=messages.career_buttons(_starters(), facet),
        **messages.about("ask_which_career"),
    )
    return [SlotSet(Slot.PENDING_FACET, facet)]


def show_facet(
    dispatcher: CollectingDispatcher, tracker: Tracker, career_id: str, facet: str
) -> list[EventType]:
    """Send one facet of a career, keep the career in focus for follow-up questions, and note it for
    the student's plan."""
    profile = career_context.catalog().profile(career_id)
    if profile is None:
        return []
    if facet == "overview" and tracker.get_latest_input_channel() == WIDGET_CHANNEL:
        dispatcher.utter_message(**messages.career_card_message(profile))
    else:
        dispatcher.utter_message(**messages.facet_message(profile, facet))
    return [
        SlotSet(Slot.CAREER, profile.id),
        SlotSet(Slot.PENDING_FACET, None),
        remember(tracker, Slot.CAREERS_VIEWED, profile.id),
    ]


def show_workplace(
    dispatcher: CollectingDispatcher, tracker: Tracker, place: Workplace, facet: str
) -> list[EventType]:
    """'I want to work at Rockstar': the most likely job there, with the others as buttons."""
    refs = [r for r in map(career_context.catalog().ref, place.careers) if r is not None]
    if not refs:
        return []
    dispatcher.utter_message(**messages.workplace_message(place.name, refs))
    return show_facet(dispatcher, tracker, refs[0].id, facet)


def _starters() -> list:
    refs = [career_context.catalog().ref(cid) for cid in STARTER_CAREERS]
    return [r for r in refs if r is not None]
