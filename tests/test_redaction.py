"""Personal data taken out of what a student types (privacy/redaction.py) and out of every stored copy of it
(bot/tracker_store.py), and ordinary careers questions, and what the assistant said, left exactly as they
were."""

from __future__ import annotations

import pytest

from bot.tracker_store import redact_events
from privacy.redaction import redact


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("email me at amy.smith99@gmail.com pls", "email me at [email] pls"),
        ("my number is 07700 900123", "my number is [phone]"),
        ("call 07700900123 or +44 7700 900 123", "call [phone] or [phone]"),
        ("our landline is 0151 496 0000", "our landline is [phone]"),
        ("i live at L3 4AF", "i live at L3 [postcode]"),
        ("postcode is m13 9pl", "postcode is M13 [postcode]"),
        ("my name is Amy Smith and i like art", "my name is [name] and i like art"),
        ("hi im called jordan", "hi im called [name]"),
        ("i live at 12 Acacia Avenue near the park", "i live at [address] near the park"),
        ("my address is 221b baker street", "my address is [address]"),
        ("my birthday is 03/05/2011", "my birthday is [date]"),
        ("i was born on 3rd May 2011", "i was born on [date]"),
        ("born March 14 2012", "born [date]"),
    ],
)
def test_personal_data_is_replaced_by_what_kind_of_thing_it_was(said, kept):
    assert redact(said) == kept


@pytest.mark.parametrize(
    "said",
    [
        "what does a software developer do",
        "how much does a vet earn in 2025",
        "any work experience near L3",
        "i like maths and computers",
        "my name is not important, what jobs use art",
        "i'm interested in year 10 work experience",
        "is a level 4 apprenticeship worth it",
        "what gcses do i need, i got 7 in maths",
        "i am really into coding",
        "this is so confusing",
        "this is boring",
        "can you call me back later",
        "E8 or N16 please",
    ],
)
def test_ordinary_careers_questions_are_left_exactly_as_they_were(said):
    assert redact(said) == said


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("I'm Jessica Thompson from year 10", "I'm [name] from year 10"),
        ("hiya its priya sharma, what does a pharmacist do", "hiya its [name], what does a pharmacist do"),
        ("Elif Demir. Architecture or interior design?", "[name]. Architecture or interior design?"),
        ("jess dot thompson at gmail dot com", "[email]"),
        ("email me on nadia dot iqbal 2010 at gmail", "email me on [email]"),
        ("add me on snap jess_t2010", "add me on snap [handle]"),
        ("my insta is @amir.k", "my insta is [handle]"),
        ("number is oh seven seven double oh nine double oh one eight five", "number is [phone]"),
        ("dob: 2009-11-02", "dob: [date]"),
    ],
)
def test_personal_data_without_the_usual_cues_is_found_too(said, kept):
    assert redact(said) == kept


@pytest.mark.parametrize(
    "said",
    [
        "how did Marcus Rashford get into football",
        "I want to be a scientist like Marie Curie",
        "what does a Pilates instructor do",
        "Mark schemes are confusing, how do i use them to revise",
        "I'm from Leeds and I like art",
        "i'm Muslim and want to be a doctor",
        "open day on 14 March 2027, should I go",
        "i got 8 8 7 7 7 6 6 5 5 in my mocks",
        "Hola, ¿qué necesito para ser enfermera en el Reino Unido?",
        "Best Paid Jobs In The UK",
    ],
)
def test_people_places_dates_and_words_that_are_not_the_students_stay(said):
    assert redact(said) == said


def test_every_stored_copy_of_a_message_loses_the_same_personal_data():
    text = "I'm Jessica Thompson, any work experience near SW1A 1AA"
    events = [
        {
            "event": "user",
            "text": text,
            "metadata": {"school": "demo", "note": "from Jessica"},
            "parse_data": {
                "text": text,
                "entities": [
                    {"entity": "location", "start": 47, "end": 51, "value": "SW1A"},
                    {"entity": "location", "start": 52, "end": 55, "value": "1AA"},
                ],
            },
        },
        {"event": "slot", "name": "location", "value": "1AA"},
        {
            "event": "bot",
            "text": "Near SW1A 1AA for Jessica: 5 Jul to 9 Jul 2027, call 0151 496 0000",
            "data": {},
        },
    ]
    user, slot, bot = redact_events(events)
    assert (
        user["text"] == user["parse_data"]["text"] == "I'm [name], any work experience near SW1A [postcode]"
    )
    assert [e["value"] for e in user["parse_data"]["entities"]] == ["SW1A", "[postcode]"]
    assert user["metadata"] == {"school": "demo", "note": "from [name]"}
    assert slot["value"] == "[postcode]"
    # The assistant's words stay as the student saw them, but for what it repeated of theirs.
    assert bot["text"] == "Near SW1A [postcode] for [name]: 5 Jul to 9 Jul 2027, call 0151 496 0000"


def test_the_answers_the_model_ranked_are_kept_as_the_assistant_wrote_them_but_for_what_it_repeated():
    text = "hi im Jessica Thompson, do i need a degree"
    answer = {"text": "Jessica, many careers do not need a degree.", "buttons": [{"title": "Ways in"}]}
    selector = {"default": {"response": {"responses": [answer], "intent_response_key": "education/uni"}}}
    event = {"event": "user", "text": text, "parse_data": {"text": text, "response_selector": selector}}
    (user,) = redact_events([event])
    stored = user["parse_data"]["response_selector"]["default"]["response"]
    assert stored["responses"] == [
        {"text": "[name], many careers do not need a degree.", "buttons": [{"title": "Ways in"}]}
    ]
    assert stored["intent_response_key"] == "education/uni"
    # The conversation in memory keeps what the model gave, so the reply is unaffected.
    assert event["parse_data"]["response_selector"] is selector and answer["text"].startswith("Jessica")
