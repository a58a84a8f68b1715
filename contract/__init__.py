"""The names the assistant's processes share, written once: bot (Rasa and the actions), web (the chat
API, the widget and the dashboard) and analytics all import them from here.

- The NLU's intents, entities and slots, and the custom actions, exactly as ``domain.yml`` declares
  them (``tests/test_contract.py`` checks both ways, and that code names them only through here).
- What the web app sends Rasa with each message: the channel, the lesson metadata keys, the longest
  message, and button payloads (``/intent{"entity": "value"}``).
- What the actions send back for a career card.

It imports nothing of the project, so that any process can depend on it and Rasa stays replaceable
behind it.
"""

from __future__ import annotations

import json
from typing import Final


def _names(namespace: type) -> frozenset[str]:
    return frozenset(v for k, v in vars(namespace).items() if k.isupper() and isinstance(v, str))


class Intent:
    """Every intent the NLU tells apart."""

    GREET: Final = "greet"
    GOODBYE: Final = "goodbye"
    THANKS: Final = "thanks"
    HELP: Final = "help"
    AFFIRM: Final = "affirm"
    DENY: Final = "deny"
    BOT_CHALLENGE: Final = "bot_challenge"
    ASK_CAREER_OVERVIEW: Final = "ask_career_overview"
    ASK_PAY: Final = "ask_pay"
    ASK_SUBJECTS: Final = "ask_subjects"
    ASK_ROUTES: Final = "ask_routes"
    ASK_ROUTES_WITHOUT_DEGREE: Final = "ask_routes_without_degree"
    ASK_SKILLS: Final = "ask_skills"
    ASK_HOURS: Final = "ask_hours"
    ASK_OUTLOOK: Final = "ask_outlook"
    ASK_RELATED: Final = "ask_related"
    ASK_CAREERS_FOR_SUBJECTS: Final = "ask_careers_for_subjects"
    TELL_INTERESTS: Final = "tell_interests"
    NO_IDEA: Final = "no_idea"
    START_QUIZ: Final = "start_quiz"
    STOP_QUIZ: Final = "stop_quiz"
    QUIZ_ANSWER: Final = "quiz_answer"
    COMPARE_CAREERS: Final = "compare_careers"
    ASK_ROLE_MODELS: Final = "ask_role_models"
    SAVE_CAREER: Final = "save_career"
    SHOW_PLAN: Final = "show_plan"
    FIND_OPPORTUNITIES: Final = "find_opportunities"
    GIVE_LOCATION: Final = "give_location"
    FILTER_OPPORTUNITIES: Final = "filter_opportunities"
    CONFIDENCE: Final = "confidence"
    EDUCATION: Final = "education"
    OUT_OF_SCOPE: Final = "out_of_scope"
    SAFEGUARDING_CONCERN: Final = "safeguarding_concern"  # a message that may show a child at risk
    INSULT: Final = "insult"
    ASK_FOR_PERSON: Final = "ask_for_person"  # "can I talk to someone real": a careers adviser takes over
    NLU_FALLBACK: Final = "nlu_fallback"  # Rasa's FallbackClassifier: nothing understood well enough


class Entity:
    """Every entity the NLU picks out of a message (or a button payload carries)."""

    CAREER: Final = "career"
    SUBJECT: Final = "subject"
    QUIZ_CHOICE: Final = "quiz_choice"
    SECTOR: Final = "sector"
    LOCATION: Final = "location"
    OPPORTUNITY_KIND: Final = "opportunity_kind"
    PAGE: Final = "page"
    RISK_CATEGORY: Final = "risk_category"  # set by the safeguarding classifier, never by a button


class Slot:
    """Every slot of a conversation."""

    CAREER: Final = "career"
    PENDING_FACET: Final = "pending_facet"
    SUBJECTS: Final = "subjects"
    CAREERS_VIEWED: Final = "careers_viewed"
    CAREERS_SAVED: Final = "careers_saved"
    QUIZ_ANSWER: Final = "quiz_answer"
    QUIZ_ANSWERS: Final = "quiz_answers"
    INTEREST_PROFILE: Final = "interest_profile"
    ROLE_MODELS_SEEN: Final = "role_models_seen"
    ROLE_MODEL_FILTER: Final = "role_model_filter"
    SEARCH_AREA: Final = "search_area"
    AWAITING_LOCATION: Final = "awaiting_location"
    OPPORTUNITY_KINDS: Final = "opportunity_kinds"
    OPPORTUNITY_AREAS: Final = "opportunity_areas"
    OPPORTUNITY_OFFSET: Final = "opportunity_offset"


class Action:
    """The custom actions (run by the action server) and Rasa's own actions that analytics reads."""

    CAREER_INFO: Final = "action_career_info"
    FALLBACK: Final = "action_fallback"
    SUGGEST_CAREERS: Final = "action_suggest_careers"
    START_QUIZ: Final = "action_start_quiz"
    ASK_QUIZ_ANSWER: Final = "action_ask_quiz_answer"
    VALIDATE_QUIZ: Final = "validate_interest_quiz_form"
    QUIZ_RESULTS: Final = "action_quiz_results"
    COMPARE_CAREERS: Final = "action_compare_careers"
    ROLE_MODELS: Final = "action_role_models"
    SAVE_CAREER: Final = "action_save_career"
    SHOW_PLAN: Final = "action_show_plan"
    GOODBYE: Final = "action_goodbye"
    FIND_OPPORTUNITIES: Final = "action_find_opportunities"
    SAFEGUARDING: Final = "action_safeguarding"
    PRIVACY_REMINDER: Final = "action_privacy_reminder"
    HANDOVER: Final = "action_handover"


INTENTS: Final = _names(Intent)
ENTITIES: Final = _names(Entity)
SLOTS: Final = _names(Slot)
CUSTOM_ACTIONS: Final = _names(Action)
# Rasa's own actions, which its events name beside ours.
RASA_ACTIONS: Final = frozenset(
    {"action_listen", "action_session_start", "action_restart", "action_default_fallback"}
    | {"action_extract_slots", "action_two_stage_fallback", "action_back", "action_unlikely_intent"}
    | {"action_deactivate_loop", "action_revert_fallback_events", "action_default_ask_affirmation"}
    | {"action_default_ask_rephrase"}
)

RISK_INTENT: Final = Intent.SAFEGUARDING_CONCERN

# --- what the web app sends Rasa ------------------------------------------------------------------
WIDGET_CHANNEL: Final = "widget"  # Rasa's input channel for the web app's chat widget (career cards)
MAX_MESSAGE_CHARS: Final = 1000  # the longest message the chat takes (the widget reads it from config)


class Lesson:
    """The metadata keys the web app adds to each message (never anything about the student)."""

    SCHOOL: Final = "school"
    CLASS_CODE: Final = "class_code"
    TOPIC: Final = "topic"
    YEAR_GROUP: Final = "year_group"
    PREVIEW: Final = "preview"  # a teacher trying the lesson out
    # A careers adviser has this chat (set by the web app from its own records, never by the browser):
    # the assistant stays silent, except to answer a message that signals a risk.
    HANDOVER: Final = "handover"


LESSON_METADATA_KEYS: Final = (
    Lesson.SCHOOL,
    Lesson.CLASS_CODE,
    Lesson.TOPIC,
    Lesson.YEAR_GROUP,
    Lesson.PREVIEW,
    Lesson.HANDOVER,
)

# --- what the actions send back -------------------------------------------------------------------
CARD_FIELDS: Final = ("id", "title", "summary", "pay")  # a career card's fields, all text
# A reply's custom data may carry a signal for the web app, which the student never sees: under this key,
# one of :class:`Signal`.
SIGNAL_KEY: Final = "signal"


class Signal:
    """What a reply tells the web app beside its text."""

    RISK: Final = "risk"  # the message signalled a risk: the safeguarding lead must see it at once
    HANDOVER: Final = "handover"  # the student asked for a person: the web app asks the school's advisers


def payload(intent: str, career_id: str | None = None, **entities: str) -> str:
    """A message that triggers ``intent`` directly, as a button does, with the career (when given) and
    other entities: ``/ask_pay{"career": "nurse"}``."""
    values = {Entity.CAREER: career_id, **entities} if career_id is not None else entities
    return f"/{intent}{json.dumps(values)}" if values else f"/{intent}"
